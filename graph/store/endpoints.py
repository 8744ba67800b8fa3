"""Where a remote SPARQL server answers: store URLs to query, update and Graph Store URLs.

A store URL is the server's base URL with ``sparql+`` in front of the scheme, so one
setting names a whole server::

    sparql+http://HOST:7878/                        Oxigraph server
    sparql+http://HOST:8890/sparql                  Virtuoso (anonymous endpoints)
    sparql+http://HOST:8890/sparql-auth             Virtuoso (digest-authenticated endpoints)
    sparql+http://HOST:3030/DATASET                 Apache Jena Fuseki
    sparql+http://HOST:7200/repositories/REPO       Ontotext GraphDB
    sparql+https://HOST/any/path?flavor=generic     any SPARQL 1.1 server (no Graph Store)

The server kind ("flavor") is read from the path as above or given as ``?flavor=``. Each
flavor knows its endpoint layout, how to ask for the union of all named graphs as the
default graph, the name of the Graph Store's graph parameter and the per-query timeout
parameter. ``Settings.query_url``/``update_url``/``gsp_url`` override single endpoints.

>>> e = parse_store_url("sparql+http://127.0.0.1:7878")
>>> (e.flavor, e.query, e.update, e.gsp)
('oxigraph', 'http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> parse_store_url("sparql+http://h:8890/sparql-auth").gsp
'http://h:8890/sparql-graph-crud-auth'
>>> parse_store_url("sparql+http://h:3030/cards").update
'http://h:3030/cards/update'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from graph.errors import StoreError
from graph.settings import Settings

FLAVORS = ("oxigraph", "virtuoso", "fuseki", "graphdb", "generic")


@dataclass(frozen=True)
class Endpoints:
    """The URLs and per-server conventions of one remote SPARQL store."""

    flavor: str
    query: str
    update: str
    gsp: str | None
    graph_param: str = "graph"
    # extra query-string parameters that make the default graph the union of named graphs
    union_params: dict[str, str] = field(default_factory=dict)
    timeout_param: str | None = None
    timeout_scale: float = 1.0  # seconds -> the server's unit
    user: str | None = None
    password: str | None = None

    @property
    def display(self) -> str:
        """The query URL without credentials, for messages."""
        return self.query


def _flavor_of(path: str) -> str:
    segments = [s for s in path.split("/") if s]
    if not segments:
        return "oxigraph"
    if segments[-1] in ("sparql", "sparql-auth"):
        return "virtuoso"
    if segments[0] == "repositories" and len(segments) == 2:
        return "graphdb"
    if len(segments) == 1:
        return "fuseki"
    return "generic"


def _layout(flavor: str, base: str) -> Endpoints:
    """Endpoints of ``flavor`` under ``base`` (scheme://host:port/path, no trailing /)."""
    if flavor == "oxigraph":
        return Endpoints(
            flavor,
            f"{base}/query",
            f"{base}/update",
            f"{base}/store",
            union_params={"union-default-graph": ""},
        )
    if flavor == "virtuoso":
        # /sparql and /sparql-auth answer both queries and updates; the default graph of a
        # query without FROM is already the union of all graphs.
        head, _, tail = base.rpartition("/")
        crud = "sparql-graph-crud-auth" if tail == "sparql-auth" else "sparql-graph-crud"
        return Endpoints(
            flavor,
            base,
            base,
            f"{head}/{crud}",
            graph_param="graph-uri",
            timeout_param="timeout",
            timeout_scale=1000.0,
        )
    if flavor == "fuseki":
        # union default graph is a dataset setting (tdb2:unionDefaultGraph), see README
        return Endpoints(
            flavor, f"{base}/query", f"{base}/update", f"{base}/data", timeout_param="timeout"
        )
    if flavor == "graphdb":
        return Endpoints(
            flavor,
            base,
            f"{base}/statements",
            f"{base}/rdf-graphs/service",
            timeout_param="timeout",
        )
    return Endpoints(flavor, base, base, None)


def parse_store_url(url: str) -> Endpoints:
    """Endpoints of a ``sparql+http(s)://`` store URL (see the module docstring)."""
    parts = urlsplit(url)
    if parts.scheme not in ("sparql+http", "sparql+https"):
        raise StoreError(f"store URL {_redact(url)!r}: expected sparql+http:// or sparql+https://")
    if not parts.hostname:
        raise StoreError(f"store URL {_redact(url)!r}: no host")
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    flavor = params.pop("flavor", None) or _flavor_of(parts.path)
    if flavor not in FLAVORS:
        raise StoreError(
            f"store URL {_redact(url)!r}: unknown flavor {flavor!r} (one of {', '.join(FLAVORS)})"
        )
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    base = urlunsplit(
        (parts.scheme.removeprefix("sparql+"), netloc, parts.path.rstrip("/"), "", "")
    )
    endpoints = _layout(flavor, base)
    if params:  # any other parameters are passed on to every endpoint (e.g. a repository key)
        extra = urlencode(params)
        endpoints = replace(
            endpoints,
            query=_with_query(endpoints.query, extra),
            update=_with_query(endpoints.update, extra),
            gsp=_with_query(endpoints.gsp, extra) if endpoints.gsp else None,
        )
    return replace(endpoints, user=parts.username, password=parts.password)


def _with_query(url: str, extra: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{extra}"


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def endpoints_from_settings(settings: Settings) -> Endpoints:
    """Endpoints from ``settings.store`` with ``query_url``/``update_url``/``gsp_url`` applied.

    Without a store URL, ``query_url`` alone names a generic SPARQL 1.1 server whose update
    endpoint is the same URL unless ``update_url`` says otherwise.

    >>> s = Settings(query_url="http://h/q", gsp_url="http://h/g")
    >>> e = endpoints_from_settings(s)
    >>> (e.flavor, e.query, e.update, e.gsp)
    ('generic', 'http://h/q', 'http://h/q', 'http://h/g')
    """
    if settings.store:
        endpoints = parse_store_url(settings.store)
    elif settings.query_url:
        endpoints = Endpoints("generic", settings.query_url, settings.query_url, None)
    else:
        raise StoreError("no remote store configured: set --store or --query-url")
    for name in ("query", "update", "gsp"):
        url = getattr(settings, f"{name}_url")
        if url:
            if urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{name}_url {_redact(url)!r}: expected an http(s):// URL")
            endpoints = replace(endpoints, **{name: url})
    return endpoints
