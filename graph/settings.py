"""Settings shared by the CLI and the API, read from flags and ``SERVICEGRAPH_*`` variables.

One model so that ``servicegraph serve`` and ``servicegraph ingest`` agree on where the
data lives and which limits apply; the CLI overrides fields from its global options.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of servicegraph; environment variables are ``SERVICEGRAPH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SERVICEGRAPH_", extra="ignore")

    data_dir: Path = Field(Path(".servicegraph"), description="embedded store directory")
    store: str | None = Field(
        None, description="remote SPARQL store URL (sparql+http://...); None = embedded store"
    )
    query_url: str | None = None
    update_url: str | None = None
    gsp_url: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    store_token: str | None = None
    store_auth: str = Field("basic", description="basic, digest or bearer")
    store_connect_timeout: float = 5.0
    store_read_timeout: float = 60.0

    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = Field(None, description="bearer token for write operations")
    query_timeout: float = Field(10.0, description="seconds a SPARQL query may run")
    max_results: int = Field(100_000, description="rows or triples a query may return")
    page_size: int = Field(
        500, ge=1, description="rows per page of a catalogue query's JSON answer (REST)"
    )
    max_query_bytes: int = Field(64 * 1024, description="largest accepted query text")
    max_upload_bytes: int = Field(5 * 1024 * 1024, description="largest accepted card upload")
    query_workers: int = Field(2, description="worker processes that run SPARQL queries")
    max_answer_bytes: int = Field(
        32 * 1024 * 1024, description="largest answer of one query, in bytes; 0: unbounded"
    )
    spool_answer_bytes: int = Field(
        1024 * 1024,
        description="a /sparql answer larger than this is streamed from a temporary file, "
        "so a client that reads slowly holds no server memory; 0: always in memory",
    )
    worker_memory_mb: int = Field(
        1024, description="private memory a query worker may use (RLIMIT_DATA); 0: unbounded"
    )
    validate_per_minute: int = Field(
        30, description="POST /validate requests a client without the token may send a minute"
    )
    queue_wait: float = Field(
        8.0, description="seconds a query may wait for a free worker before 503 + Retry-After"
    )
    fast_lane_seconds: float = Field(
        1.0,
        description="while every worker is busy, a spare worker runs new queries this long",
    )
    result_cache_bytes: int = Field(
        64 * 1024 * 1024, description="serialized query answers kept per store revision; 0: off"
    )


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment with explicit (non-None) overrides applied."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
