"""``servicegraph viz``: write an interactive dependency map as one offline HTML file.

The views are :mod:`viz.views`; the page is :func:`viz.page.render`. A TARGET is
``kind:key`` (``system:shahkar``, ``service:13091710000``) or just a key or name, matched
like the API's ``{id}`` (IRI, IRI key, service ID or any spelling of a label).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.cli import fail, settings_of

KINDS = ("service", "agency", "system", "field")


def _split_target(target: str) -> tuple[str | None, str]:
    """``system:shahkar`` -> ("system", "shahkar"); a bare key has no kind.

    >>> _split_target("system:shahkar"), _split_target("https://w3id.org/x")
    (('system', 'shahkar'), (None, 'https://w3id.org/x'))
    """
    kind, sep, key = target.partition(":")
    return (kind, key) if sep and kind in KINDS else (None, target)


def viz_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")],
    focus_target: Annotated[
        str | None, typer.Option("--focus", help="Draw TARGET and its neighbourhood.")
    ] = None,
    impact_target: Annotated[
        str | None, typer.Option("--impact", help="Draw what a change to TARGET breaks.")
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(min=1, help="Neighbourhood depth (focus, default 1) or impact hops."),
    ] = None,
    lang: Annotated[str, typer.Option(help="Label language: fa or en.")] = "fa",
    aggregate: Annotated[
        bool | None,
        typer.Option("--aggregate/--no-aggregate", help="Agencies and systems only."),
    ] = None,
    agency: Annotated[list[str] | None, typer.Option(help="Only services of AGENCY.")] = None,
    system: Annotated[list[str] | None, typer.Option(help="Only services using SYSTEM.")] = None,
    service_type: Annotated[
        list[str] | None, typer.Option(help="Only services of type G2C, G2B or G2G.")
    ] = None,
) -> None:
    """Write a self-contained, offline HTML dependency map (landscape, focus or impact)."""
    from graph.analysis.sources import stored_dependency_graph
    from viz.page import render
    from viz.views import find_node, focus, impact_view, landscape

    if lang not in ("fa", "en"):
        raise fail(f"--lang {lang!r}: expected fa or en")
    if focus_target and impact_target:
        raise fail("--focus and --impact: choose one view")
    settings = settings_of(ctx)
    G = stored_dependency_graph(settings)
    if focus_target:
        kind, key = _split_target(focus_target)
        net = focus(G, find_node(G, kind, key), depth=depth or 1, lang=lang)  # type: ignore[arg-type]
    elif impact_target:
        kind, key = _split_target(impact_target)
        net = impact_view(G, [find_node(G, kind, key)], depth=depth, lang=lang)  # type: ignore[arg-type]
    else:
        net = landscape(
            G,
            lang=lang,  # type: ignore[arg-type]
            agencies=agency or (),
            systems=system or (),
            service_types=service_type or (),
            aggregate=aggregate,
        )
    html = render(net, service_base=f"http://{settings.host}:{settings.port}/services/")
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise fail(f"{output}: cannot write: {exc.strerror or exc}") from exc
    typer.echo(f"{output}: {len(net.nodes)} nodes, {len(net.edges)} edges ({net.info.title})")
