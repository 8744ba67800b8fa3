"""One SPARQL 1.1 Protocol request to a remote server, read within a deadline.

Kept apart from :mod:`graph.store.remote` (which decides what to ask and how to read the
answer) because this part is about HTTP alone: the form fields a server needs for its
union default graph and its own timeout, a deadline on reading the body (a server that
trickles an answer forever must not hold the caller), and turning HTTP statuses into the
project's errors with the server's first line of explanation.
"""

from __future__ import annotations

import time

import httpx

from graph.errors import QueryError, StoreError
from graph.store.endpoints import Endpoints
from graph.store.transport import Transport

GRACE = 5.0  # seconds the client waits beyond a server-side query timeout


def first_line(body: bytes | httpx.Response) -> str:
    """The first line of a server's answer (at most 200 characters), for an error message.

    >>> first_line(b"\\n  Virtuoso 37000 Error SP030: syntax\\nat line 1")
    'Virtuoso 37000 Error SP030: syntax'
    """
    if isinstance(body, httpx.Response):
        body = body.content
    text = body.decode("utf-8", "replace").strip()
    return (text.splitlines() or ["no message"])[0][:200]


def send_query(
    transport: Transport,
    endpoints: Endpoints,
    sparql: str,
    accept: str,
    timeout: float | None,
    read_timeout: float,
) -> tuple[bytes, httpx.Headers, str]:
    """POST a query, read the body within the deadline; (body, headers, content type)."""
    form = {"query": sparql, **endpoints.union_params}
    if timeout is not None and endpoints.timeout_param:
        form[endpoints.timeout_param] = str(int(timeout * endpoints.timeout_scale))
    limit = read_timeout if timeout is None else timeout + GRACE
    deadline = time.monotonic() + limit
    where = endpoints.display
    with transport.stream(
        "POST",
        endpoints.query,
        idempotent=True,  # a query changes nothing
        read_timeout=limit,
        data=form,
        headers={"Accept": accept},
    ) as response:
        chunks = []
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise QueryError(f"{where}: query exceeded {limit:g}s", 504)
        except httpx.TimeoutException:
            raise QueryError(f"{where}: query exceeded {limit:g}s", 504) from None
        except httpx.HTTPError as exc:
            raise StoreError(f"{where}: reading the result failed: {exc}") from exc
        body = b"".join(chunks)
        check_status(response.status_code, body, where)
        return body, response.headers, response.headers.get("content-type", "")


def check_status(status: int, body: bytes, where: str) -> None:
    """The project's error for a query the server did not answer (nothing when it did)."""
    if status < 300:
        return
    if status in (401, 403):
        raise StoreError(
            f"{where} refused the query (HTTP {status}): check store_user,"
            " store_password and store_auth"
        )
    if status == 404:
        raise StoreError(f"{where}: no SPARQL endpoint here (HTTP 404)")
    if status == 406:
        raise QueryError(f"{where} cannot give this result in the requested format", 406)
    raise QueryError(
        f"{where} rejected the query (HTTP {status}): {first_line(body)}",
        400 if status < 500 else 502,
    )
