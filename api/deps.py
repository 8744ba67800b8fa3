"""Shared dependencies: settings, the store, the query pool and the write token check.

Routers declare what they need as ``Annotated`` aliases (``store: StoreDep``), and tests
override :func:`get_settings` and friends through ``app.dependency_overrides`` (Prez's habit).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from api.pool import QueryPool
from api.problems import ProblemError
from graph.settings import Settings
from graph.store.base import Store


def get_settings(request: Request) -> Settings:
    """The settings ``create_app`` was built with."""
    settings: Settings = request.app.state.settings
    return settings


def _follow_writes(request: Request) -> None:
    """A read-only server follows writes made elsewhere (a CLI ingest into the same data
    directory): when a newer snapshot is published, reopen it and move the workers on."""
    store = request.app.state.store
    if store.refresh():
        request.app.state.pool.revision = store.revision()


def get_store(request: Request) -> Store:
    """The server process's own store handle (the single writer, or a read-only follower)."""
    _follow_writes(request)
    store: Store = request.app.state.store
    return store


def get_pool(request: Request) -> QueryPool:
    """The worker pool that runs SPARQL queries under the time limit."""
    _follow_writes(request)
    pool: QueryPool = request.app.state.pool
    return pool


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
PoolDep = Annotated[QueryPool, Depends(get_pool)]


def has_token(request: Request, settings: Settings) -> bool:
    """Whether the request carries the server's write token (compared in constant time)."""
    if not settings.token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8"), settings.token.encode("utf-8")
    )


def require_token(request: Request, settings: SettingsDep) -> None:
    """Writes need ``Authorization: Bearer <token>``; none configured means no writes.

    The comparison is constant-time (``hmac.compare_digest``) so the token cannot be
    guessed byte by byte from response times.
    """
    if not settings.token:
        raise ProblemError(403, "writes are disabled: the server has no token configured")
    if not has_token(request, settings):
        raise ProblemError(
            401,
            "a valid 'Authorization: Bearer <token>' header is required for writes",
            headers={"WWW-Authenticate": 'Bearer realm="servicegraph"'},
        )


WriteAccess = Annotated[None, Depends(require_token)]
