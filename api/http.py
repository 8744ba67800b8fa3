"""The HTTP/1.1 protocol ``servicegraph serve`` runs: uvicorn's h11, with honest refusals.

A request whose line or headers pass the parser's buffer (``h11_max_incomplete_event_size``:
room for a GET query as long as the endpoint accepts, percent-encoded) cannot reach the
endpoint, which would answer 413. Plain uvicorn then writes a plain-text 400 and closes at
once, while the client is still sending: the client sees a reset, not an answer. Here such a
request is read to the end of its headers and thrown away as it comes (bounded in bytes and
time, nothing kept), then answered 414 as problem+json, with the headers every other answer
carries.
"""

from __future__ import annotations

import json
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

DRAIN_BYTES = 64 * 1024 * 1024  # read at most this much of a refused request ...
DRAIN_SECONDS = 30.0  # ... for at most this long, then close


class H11Protocol414(H11Protocol):
    """:class:`H11Protocol` that answers an oversized request line or header block 414."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._draining: tuple[float, int] | None = None  # (deadline, bytes left)
        self._tail = b""

    def send_400_response(self, msg: str) -> None:
        buffered = self.conn.trailing_data[0]
        limit = self.config.h11_max_incomplete_event_size
        if limit is None or len(buffered) < limit:
            super().send_400_response(msg)  # malformed, not oversized
            return
        self._draining = (time.monotonic() + DRAIN_SECONDS, DRAIN_BYTES)
        self._tail = b""
        self._drain(buffered)

    def data_received(self, data: bytes) -> None:
        if self._draining is None:
            super().data_received(data)
        else:
            self._drain(data)

    def _drain(self, data: bytes) -> None:
        assert self._draining is not None
        deadline, left = self._draining
        seen = self._tail + data
        if b"\r\n\r\n" in seen or len(data) >= left or time.monotonic() > deadline:
            self._answer_414()
            return
        self._tail = seen[-3:]
        self._draining = (deadline, left - len(data))

    def _answer_414(self) -> None:
        limit = self.config.h11_max_incomplete_event_size or 0
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "URI Too Long",
                "status": 414,
                "detail": f"the request line or headers are longer than {limit} bytes: "
                "send a long query by POST",
            }
        ).encode()
        head = (
            "HTTP/1.1 414 URI Too Long\r\n"
            "content-type: application/problem+json\r\n"
            "x-content-type-options: nosniff\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self._draining = None
        self.transport.write(head.encode() + body)
        self.transport.close()
