"""A request-body size limit on every route, checked before any handler reads the body.

``Content-Length`` is checked first; a chunked or lying client is stopped as soon as the
bytes actually received pass the limit. Either way the answer is 413 with problem details.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import ProblemResponse


class BodyTooLargeError(Exception):
    """Raised from ``receive`` when the body passes the limit (caught by the middleware)."""


class BodyLimit:
    """ASGI middleware: ``limit_for(path)`` bytes at most per request body."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    await _too_large(limit)(scope, receive, send)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLargeError:
            if not started:
                await _too_large(limit)(scope, receive, send)


def _too_large(limit: int) -> ProblemResponse:
    return ProblemResponse(413, f"request body larger than the limit of {limit} bytes")
