"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API sends, whether raised by our code (:class:`graph.errors.ServicegraphError`),
by FastAPI's validation or by Starlette's routing, leaves as the same JSON object, so clients
parse one shape. Persian messages are sent as UTF-8, never ``\\u`` escaped.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import ServicegraphError

PROBLEM_JSON = "application/problem+json"

log = logging.getLogger(__name__)


class ProblemResponse(Response):
    """A problem-details body (RFC 9457 §3): type, title, status, detail and extensions."""

    media_type = PROBLEM_JSON

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        body = {
            "type": "about:blank",  # RFC 9457 §4.2.1: the title is the HTTP reason phrase
            "title": _reason(status),
            "status": status,
            "detail": detail,
            **{k: v for k, v in extensions.items() if v is not None},
        }
        super().__init__(
            json.dumps(body, ensure_ascii=False).encode("utf-8"),
            status_code=status,
            headers=headers,
        )


class ProblemError(Exception):
    """Raised in handlers for an HTTP error that is not a user-input error of the domain."""

    def __init__(
        self, status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
        self.extra = extra


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem details."""

    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> Response:
        return ProblemResponse(exc.status, exc.detail, headers=exc.headers, **exc.extra)

    @app.exception_handler(ServicegraphError)
    async def _domain(_: Request, exc: ServicegraphError) -> Response:
        return ProblemResponse(exc.status_code, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers) if exc.headers else None
        return ProblemResponse(exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        # A defect still answers in the one shape clients parse, without internals.
        log.exception("unexpected error", exc_info=exc)
        return ProblemResponse(500, "internal error: the server could not answer this request")

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return ProblemResponse(
            422, f"{where}: {first.get('msg', 'invalid request')}", errors=_plain(exc.errors())
        )


def _plain(errors: Any) -> list[dict[str, Any]]:
    """Validation errors without the non-JSON values pydantic may attach (ctx objects)."""
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg"), "type": e.get("type")}
        for e in errors
    ]
