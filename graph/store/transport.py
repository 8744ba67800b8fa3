"""HTTP to a SPARQL server: authentication, timeouts and retries on transient failures only.

Retrying is safe only when repeating a request cannot apply a change twice. Reads (GET,
queries) and the Graph Store's PUT and DELETE are idempotent, so they are retried on
connection failures, 502/503/504 and 429 (honouring ``Retry-After``). A SPARQL Update POST
is retried only when the connection could not be opened, i.e. before a byte was sent.
Nothing is retried on another 4xx: the request itself is wrong.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias, TypedDict
from urllib.parse import urlsplit

import httpx

from graph.errors import StoreError
from graph.settings import Settings

TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
_MAX_RETRY_AFTER = 30.0
# What httpx takes as ``auth``: an Auth flow, or a function that signs each request.
Auth: TypeAlias = httpx.Auth | Callable[[httpx.Request], httpx.Request]


def auth_of(
    settings: Settings, user: str | None = None, password: str | None = None
) -> Auth | None:
    """The httpx auth for ``settings.store_auth`` (basic, digest or bearer); None without one.

    >>> auth_of(Settings(store_user="u", store_password="p", store_auth="digest"))
    <httpx.DigestAuth object at ...>
    """
    user = settings.store_user or user
    password = settings.store_password or password
    kind = settings.store_auth.lower()
    if kind == "bearer":
        if not settings.store_token:
            raise StoreError("store_auth is bearer but store_token is not set")
        token = settings.store_token

        def bearer(request: httpx.Request) -> httpx.Request:
            request.headers["Authorization"] = f"Bearer {token}"
            return request

        return bearer
    if kind not in ("basic", "digest"):
        raise StoreError(f"store_auth {settings.store_auth!r}: expected basic, digest or bearer")
    if user is None:
        return None
    if kind == "digest":
        return httpx.DigestAuth(user, password or "")
    return httpx.BasicAuth(user, password or "")


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]


class TransportOptions(TypedDict, total=False):
    """The keyword options of :class:`Transport` a store may pass through."""

    retries: int
    backoff: float
    client: httpx.Client | None
    sleep: Callable[[float], None]


class Transport:
    """One pooled HTTP client with the store's auth, timeouts and retry policy."""

    def __init__(
        self,
        settings: Settings,
        *,
        user: str | None = None,
        password: str | None = None,
        retries: int = 3,
        backoff: float = 0.25,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = httpx.Timeout(
            settings.store_read_timeout,
            connect=settings.store_connect_timeout,
            pool=settings.store_connect_timeout,
        )
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self.client = client or httpx.Client(
            auth=auth_of(settings, user, password),
            timeout=self.timeout,
            headers={"User-Agent": "servicegraph"},
        )

    def close(self) -> None:
        self.client.close()

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        after: str | None = response.headers.get("Retry-After") if response is not None else None
        if after:
            try:
                return min(float(after), _MAX_RETRY_AFTER)
            except ValueError:
                when = email.utils.parsedate_to_datetime(after)
                return max(0.0, min(when.timestamp() - time.time(), _MAX_RETRY_AFTER))
        return self.backoff * 2.0**attempt

    @contextmanager
    def stream(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        read_timeout: float | None = None,
        **kwargs: Any,
    ) -> Iterator[httpx.Response]:
        """Send a request and yield the streamed response, retrying transient failures.

        Raises :class:`StoreError` naming the URL when the server cannot be reached or keeps
        failing; other HTTP statuses are returned for the caller to judge.
        """
        timeout = self.timeout
        if read_timeout is not None:
            timeout = httpx.Timeout(read_timeout, connect=timeout.connect, pool=timeout.pool)
        attempt = 0
        while True:
            try:
                request = self.client.build_request(method, url, timeout=timeout, **kwargs)
                response = self.client.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # nothing reached the server: any request may be repeated
                if attempt < self.retries:
                    self._sleep(self._delay(attempt, None))
                    attempt += 1
                    continue
                raise StoreError(f"cannot reach {_where(url)}: {_reason(exc)}") from exc
            except httpx.TransportError as exc:
                if idempotent and attempt < self.retries:
                    self._sleep(self._delay(attempt, None))
                    attempt += 1
                    continue
                raise StoreError(f"{method} {_where(url)} failed: {_reason(exc)}") from exc
            if response.status_code in TRANSIENT_STATUS and idempotent and attempt < self.retries:
                response.close()
                self._sleep(self._delay(attempt, response))
                attempt += 1
                continue
            try:
                yield response
            finally:
                response.close()
            return

    def request(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        read_timeout: float | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Like :meth:`stream` with the body read in full."""
        with self.stream(
            method, url, idempotent=idempotent, read_timeout=read_timeout, **kwargs
        ) as response:
            try:
                response.read()
            except httpx.HTTPError as exc:
                raise StoreError(f"{method} {_where(url)} failed: {_reason(exc)}") from exc
            return response
