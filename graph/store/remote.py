"""The store on a shared SPARQL 1.1 server (Oxigraph server, Virtuoso, Fuseki, GraphDB).

Writes use the SPARQL 1.1 Graph Store HTTP Protocol (PUT replaces a card's graph, DELETE
removes it, GET reads it). A server without it (404/405/501 on the first PUT) is
remembered and written with SPARQL 1.1 Update instead: ``DROP SILENT GRAPH`` + ``INSERT
DATA`` in one request, which the servers above apply as one transaction. Queries use the
SPARQL 1.1 Protocol with the server's way of making the default graph the union of all
named graphs (see :mod:`graph.store.endpoints`).

A shared server holds other people's graphs (Virtuoso keeps its own system graphs too), so
the store only counts, lists and exports graphs whose IRI starts with the servicegraph base
``https://w3id.org/servicegraph/``. Queries still see the whole server as their default
graph; the catalogue's queries select by servicegraph classes, so foreign triples do not
change their answers.

``revision()`` reads one marker triple that every write through servicegraph replaces in
the small graph ``STATE_GRAPH``: O(1) on every server, but a change made behind
servicegraph's back (a bulk LOAD by hand) is seen only after the next servicegraph write.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Unpack

import httpx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.query import Result, ResultRow
from rdflib.term import Node

from graph.errors import QueryError, StoreError
from graph.settings import Settings
from graph.sparql.guard import canonical_query, check_query, subselect
from graph.sparql.template import Page, Template, load_template
from graph.store.base import (
    GRAPH_FORMATS,
    QUAD_FORMATS,
    RDFLIB_FORMATS,
    Limit,
    QueryResult,
    Seconds,
    Store,
    Triples,
)
from graph.store.endpoints import Endpoints, endpoints_from_settings
from graph.store.protocol import first_line, send_query
from graph.store.results import (
    EARLY_STOP,
    RDF_PARSERS,
    ROW_CAP,
    SPARQL_JSON,
    SPARQL_XML,
    base_type,
    cap_rows,
    check_and_cap,
    parse_graph,
    parse_json_results,
    server_limits,
)
from graph.store.transport import Transport, TransportOptions
from ontology.namespace import BASE, ID

STATE_GRAPH = ID["graph/store-state"]
_ACCEPT_RESULTS = f"{SPARQL_JSON}, {SPARQL_XML};q=0.5"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_NO_GSP = frozenset({404, 405, 501})
_UPDATE_TRIPLES = 2000
_FORBIDDEN_IN_IRI = set('<>"{}|^`\\ \t\r\n')


def _iri(name: URIRef) -> str:
    if not isinstance(name, URIRef) or _FORBIDDEN_IN_IRI & set(name):
        raise StoreError(f"graph name {name!r} is not an absolute IRI")
    return f"<{name}>"


class RemoteStore(Store):
    """A :class:`graph.store.base.Store` on a remote SPARQL 1.1 server."""

    def __init__(self, endpoints: Endpoints, transport: Transport, settings: Settings) -> None:
        self.endpoints = endpoints
        self.transport = transport
        self.read_timeout = settings.store_read_timeout
        self.has_gsp: bool | None = None if endpoints.gsp else False  # None: not tried yet

    @classmethod
    def from_settings(
        cls, settings: Settings, **transport_options: Unpack[TransportOptions]
    ) -> RemoteStore:
        """The store the settings name (``store`` URL and endpoint, auth, timeout fields)."""
        endpoints = endpoints_from_settings(settings)
        transport = Transport(
            settings, user=endpoints.user, password=endpoints.password, **transport_options
        )
        return cls(endpoints, transport, settings)

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.transport.close()

    # -- writing --------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[URIRef, Triples]) -> None:
        """Replace several graphs, each atomically, with one revision marker at the end.

        With the Graph Store each graph is one PUT; without it graphs are grouped into
        updates of about ``_UPDATE_TRIPLES`` triples (Virtuoso refuses much larger
        ``INSERT DATA``), each graph's DROP and INSERT always in the same request.
        """
        pending: list[tuple[str, str]] = []  # (graph IRI, N-Triples) for SPARQL Update
        for name, triples in graphs.items():
            iri = _iri(name)
            graph = triples if isinstance(triples, Graph) else _graph_of(triples)
            if len(graph) == 0:
                self.delete_graph(name)
                continue
            body = graph.serialize(format="nt", encoding="utf-8")
            if self.has_gsp is not False:
                response = self._gsp("PUT", name, content=body)
                if response.status_code not in _NO_GSP:
                    self._check_write(response, "PUT", name)
                    self.has_gsp = True
                    continue
                self.has_gsp = False
            pending.append((iri, body.decode("utf-8")))
        if self.has_gsp and not pending:
            self._gsp_mark()
            return
        batch: list[str] = []
        size = 0
        for iri, text in pending:
            batch.append(f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ GRAPH {iri} {{\n{text}}} }}")
            size += text.count("\n")
            if size >= _UPDATE_TRIPLES:
                self._update(" ;\n".join(batch))
                batch, size = [], 0
        if batch:
            self._update(" ;\n".join(batch))

    def delete_graph(self, name: URIRef) -> bool:
        iri = _iri(name)
        if not self.query(_query("graph-exists").render({"graph": [name]})).boolean:
            return False
        if self.has_gsp is not False:
            response = self._gsp("DELETE", name)
            if response.status_code in (200, 202, 204):
                self._gsp_mark()
                return True
            if response.status_code not in _NO_GSP:
                self._check_write(response, "DELETE", name)
            # 404 for a graph that exists: no usable Graph Store here, drop it by update
        self._update(f"DROP SILENT GRAPH {iri}")
        return True

    def _gsp(self, method: str, name: URIRef, content: bytes | None = None) -> httpx.Response:
        assert self.endpoints.gsp is not None
        headers = {"Content-Type": "application/n-triples; charset=utf-8"}
        if method == "GET":
            headers = {"Accept": "application/n-triples, text/turtle;q=0.9"}
        return self.transport.request(
            method,
            self.endpoints.gsp,
            idempotent=True,  # GET, PUT and DELETE of a whole graph can be repeated safely
            params={self.endpoints.graph_param: str(name)},
            headers=headers,
            content=content,
        )

    def _check_write(self, response: httpx.Response, method: str, name: URIRef) -> None:
        if response.status_code < 300:
            return
        where = self.endpoints.gsp
        if response.status_code in (401, 403):
            raise StoreError(
                f"{where} refused {method} (HTTP {response.status_code}): check store_user,"
                " store_password and store_auth, and that the user may write"
            )
        raise StoreError(
            f"{method} {name} at {where} failed: HTTP {response.status_code}:"
            f" {first_line(response)}"
        )

    def _marker(self) -> str:
        state = _iri(STATE_GRAPH)
        now = Literal(datetime.now(UTC).isoformat(), datatype=XSD.dateTime).n3()
        token = Literal(uuid.uuid4().hex).n3()
        return (
            f"{state} {_iri(DCTERMS.identifier)} {token} .\n"
            f"{state} {_iri(DCTERMS.modified)} {now} .\n"
        )

    def _gsp_mark(self) -> None:
        response = self._gsp("PUT", STATE_GRAPH, content=self._marker().encode("utf-8"))
        self._check_write(response, "PUT", STATE_GRAPH)

    def _update(self, update: str) -> None:
        state = _iri(STATE_GRAPH)
        update += f" ;\nDROP SILENT GRAPH {state} ;\nINSERT DATA {{ GRAPH {state} {{\n"
        update += self._marker() + "} }"
        response = self.transport.request(
            "POST",
            self.endpoints.update,
            idempotent=False,  # retried only if the connection never opened
            data={"update": update},
        )
        if response.status_code >= 300:
            if response.status_code in (401, 403):
                raise StoreError(
                    f"{self.endpoints.update} refused the update (HTTP"
                    f" {response.status_code}): check store_user, store_password, store_auth"
                )
            raise StoreError(
                f"update at {self.endpoints.update} failed: HTTP {response.status_code}:"
                f" {first_line(response)}"
            )

    # -- reading --------------------------------------------------------------------------

    def query(
        self, sparql: str, *, timeout: Seconds = None, max_results: Limit = None
    ) -> QueryResult:
        return self._query(sparql, timeout, max_results, paging=True)

    def _query(
        self, sparql: str, timeout: float | None, max_results: int | None, *, paging: bool
    ) -> QueryResult:
        sparql = canonical_query(sparql)  # the text checked is the text sent
        form = _form(sparql)
        accept = _ACCEPT_GRAPH if form in ("construct", "describe") else _ACCEPT_RESULTS
        body, headers, content_type = send_query(
            self.transport, self.endpoints, sparql, accept, timeout, self.read_timeout
        )
        where = self.endpoints.display
        kind = base_type(content_type)
        if kind == SPARQL_JSON:
            result = parse_json_results(body, where)
        elif kind in RDF_PARSERS:
            result = QueryResult(kind="graph", graph=parse_graph(body, kind, where))
        elif kind == SPARQL_XML:
            result = _from_rdflib(Result.parse(source=io.BytesIO(body), format="xml"))
        else:
            raise QueryError(f"{where}: unexpected result type {content_type!r}", 502)
        if note := server_limits(headers):
            result.truncated, result.note = True, note
            if paging and result.kind == "select" and ROW_CAP in note:
                result = self._page(sparql, result, timeout, max_results)
        return cap_rows(result, max_results)

    def _page(
        self, sparql: str, first: QueryResult, timeout: float | None, max_results: int | None
    ) -> QueryResult:
        """Read a SELECT the server capped (Virtuoso's ResultSetMaxRows) page by page: the
        query becomes a sub-select ordered by all its variables, LIMIT = the cap."""
        code = check_query(sparql, parse=False).code
        variables = " ".join(f"?{v}" for v in first.variables)
        page = max(len(first.rows), 1)
        rows: list[tuple[Node | None, ...]] = []
        while max_results is None or len(rows) <= max_results:
            paged = (
                f"{subselect(code, variables)} ORDER BY {variables} LIMIT {page} OFFSET {len(rows)}"
            )
            part = self._query(paged, timeout, None, paging=False)
            if part.note and EARLY_STOP in part.note:
                return QueryResult("select", first.variables, rows, truncated=True, note=part.note)
            rows.extend(part.rows)
            if len(part.rows) < page:
                break
        return QueryResult("select", first.variables, rows)

    def query_serialized(
        self, sparql: str, media_type: str, *, timeout: Seconds = None, max_results: Limit = None
    ) -> tuple[bytes, bool]:
        sparql = canonical_query(sparql)
        _form(sparql)
        body, headers, content_type = send_query(
            self.transport, self.endpoints, sparql, media_type, timeout, self.read_timeout
        )
        wanted, got = base_type(media_type), base_type(content_type)
        if got != wanted and not (wanted == "application/n-triples" and got == "text/plain"):
            raise QueryError(
                f"{self.endpoints.display} answered {got or 'no type'} instead of {wanted}", 406
            )
        body, capped = check_and_cap(body, wanted, max_results, self.endpoints.display)
        return body, capped or server_limits(headers) is not None

    def _select_all(self, name: str, **params: Node) -> list[tuple[Node | None, ...]]:
        """All rows of the store's query ``name``, read again in pages (its ``$page``) when
        the server caps rows."""
        query = _query(name)
        values = {key: [value] for key, value in params.items()}
        result = self.query(query.render(values))
        if not result.truncated:
            return result.rows
        rows: list[tuple[Node | None, ...]] = []
        size = max(len(result.rows), 1)
        while True:
            part = self.query(query.render(values, Page(size, len(rows))))
            if part.note and EARLY_STOP in part.note:
                raise StoreError(f"{self.endpoints.display}: {part.note}")
            rows.extend(part.rows)
            if len(part.rows) < size:
                return rows

    def graph_names(self) -> list[URIRef]:
        rows = self._select_all("own-graphs", base=Literal(BASE), state=STATE_GRAPH)
        return sorted({row[0] for row in rows if isinstance(row[0], URIRef)})

    def get_graph(self, name: URIRef) -> Graph:
        """The graph by Graph Store GET, checked against a count: Virtuoso's GET stops at
        ResultSetMaxRows without saying so; a short answer is re-read in pages."""
        _iri(name)  # a StoreError naming a graph name no IRIREF can hold
        count = self.query(_query("graph-size").render({"graph": [name]}))
        expected = _first_int(count)
        if expected == 0:
            return Graph()
        if self.has_gsp is not False:
            response = self._gsp("GET", name)
            if response.status_code < 300:
                kind = response.headers.get("content-type", "")
                graph = parse_graph(response.content, kind, self.endpoints.gsp or "")
                if len(graph) == expected:
                    return graph
            elif response.status_code not in _NO_GSP:
                self._check_write(response, "GET", name)
        graph = Graph()
        for s, p, o in self._select_all("graph-triples", graph=name):
            if s is not None and p is not None and o is not None:  # the pattern binds all
                graph.add((s, p, o))
        return graph

    def export(self, fmt: str) -> bytes:
        if fmt not in GRAPH_FORMATS:
            raise StoreError(f"unknown export format {fmt!r} (one of {', '.join(GRAPH_FORMATS)})")
        dataset = Dataset()
        for name in self.graph_names():
            target = dataset.graph(name)
            for triple in self.get_graph(name):
                target.add(triple)
        if fmt in QUAD_FORMATS:
            return dataset.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
        merged = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")

    def triple_count(self) -> int:
        own: dict[str, Sequence[Node]] = {"base": [Literal(BASE)], "state": [STATE_GRAPH]}
        result = self.query(_query("own-triple-count").render(own))
        if result.truncated:
            raise StoreError(f"{self.endpoints.display}: counting stopped early: {result.note}")
        return _first_int(result)

    def revision(self) -> str:
        result = self.query(_query("revision").render({"state": [STATE_GRAPH]}))
        return f"remote:{result.rows[0][0] if result.rows else 'none'}"


def _query(name: str) -> Template:
    """One of the store's own queries, ``graph/store/queries/<name>.rq``."""
    return load_template("graph", f"store/queries/{name}.rq")


def _form(sparql: str) -> str:
    """The query form; refuses SERVICE and LOAD, which would make the server fetch URLs."""
    form = check_query(sparql, parse=False).form
    if form == "unknown":
        raise QueryError("not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    return form


def _first_int(result: QueryResult) -> int:
    """The count a one-cell SELECT answered (a Literal, a ``str``), 0 when unbound."""
    cell = result.rows[0][0] if result.rows else None
    return int(str(cell)) if cell is not None else 0


def _graph_of(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _from_rdflib(result: Result) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(kind="ask", boolean=bool(result.askAnswer))
    variables = [str(v) for v in result.vars or []]
    rows: list[tuple[Node | None, ...]] = [tuple(r) for r in result if isinstance(r, ResultRow)]
    return QueryResult(kind="select", variables=variables, rows=rows)
