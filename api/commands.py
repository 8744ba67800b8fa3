"""``servicegraph serve``: the SPARQL endpoint and REST API with uvicorn.

It binds 127.0.0.1 by default: exposing the server to a network is a decision
(``--host 0.0.0.0``), and writes stay disabled until ``SERVICEGRAPH_TOKEN`` is set.
"""

from __future__ import annotations

from typing import Annotated

import typer

from graph.cli import settings_of


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int | None, typer.Option(help="Query worker processes (default: settings).")
    ] = None,
) -> None:
    """Serve /sparql, the REST API (/docs) and the query editor on HOST:PORT."""
    import uvicorn

    from api.app import create_app
    from api.http import H11Protocol414

    settings = settings_of(ctx)
    updates = {"host": host, "port": port}
    if workers is not None:
        updates["query_workers"] = workers
    settings = settings.model_copy(update=updates)
    typer.echo(f"servicegraph: serving http://{host}:{port}/ (data: {settings.data_dir})", err=True)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        # A GET query may be as long as a POSTed one once percent-encoded (3 bytes a byte):
        # the request line must fit, so the endpoint itself answers 413 past the query
        # limit; a longer request line is answered 414 by the protocol (api/http.py).
        h11_max_incomplete_event_size=3 * settings.max_query_bytes + 16 * 1024,
        http=H11Protocol414,
    )
