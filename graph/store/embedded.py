"""The embedded store: pyoxigraph (RocksDB) on disk under ``<data_dir>/store``.

Why these choices:

* **Atomic replace.** ``replace_graph`` is one SPARQL update
  (``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``); pyoxigraph applies an
  update in one transaction, so readers see the old graph or the new one and a failure
  (bad term, crash, Ctrl-C) leaves the old one. :meth:`EmbeddedStore.replace_graphs` puts
  several cards in one transaction (faster ingest) with the same all-or-nothing guarantee.
* **Read-only opens see published snapshots.** A read-only RocksDB instance reading the
  live files while another process writes and compacts them is undefined behaviour in
  pyoxigraph (we saw missing-SST "corruption" errors). So the writer *publishes*: a
  RocksDB checkpoint (hard links, cheap) under ``<data_dir>/snapshots/<revision>``,
  written when someone asks for the revision after a write (the API does, after each
  upload) and when the writer closes (the end of an ingest). Read-only instances open the
  newest snapshot, which no one ever writes again, and :meth:`refresh` moves to a newer
  one. The three newest snapshots are kept, so a reader is never left on deleted files.
* **No network.** pyoxigraph would follow ``SERVICE`` clauses over HTTP; every query is
  screened by :func:`graph.sparql.guard.check_query`, which refuses them (and ``LOAD``).
* **Revision.** ``<data_dir>/store.revision`` names the newest published snapshot, so
  other processes see a change by reading a few bytes.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.errors import QueryError, StoreError
from graph.sparql.guard import check_query, subselect
from graph.store.base import (
    QUAD_FORMATS,
    RESULT_FORMATS,
    Limit,
    QueryResult,
    Seconds,
    Store,
    Triples,
)
from graph.store.rows import Rows, parse_tsv
from graph.store.terms import (
    OX_GRAPH_MEDIA,
    OX_RDF_FORMATS,
    OX_RESULT_FORMATS,
    n3,
    ntriples,
    to_rdflib,
)
from ontology.namespace import PREFIXES

__all__ = ["EmbeddedStore"]


class EmbeddedStore(Store):
    """:class:`graph.store.base.Store` on pyoxigraph; ``data_dir=None`` keeps it in memory."""

    def __init__(
        self, data_dir: Path | str | None, *, read_only: bool = False, unpublished: bool = False
    ) -> None:
        """``read_only`` opens the last published snapshot, which no writer touches;
        ``unpublished`` (with ``read_only``) opens what was written instead, published or
        not: what ``validate`` must check after an interrupted ingest."""
        self.read_only = read_only
        self.unpublished = unpublished
        self.path = None if data_dir is None else Path(data_dir) / "store"
        self._revision_file = None if data_dir is None else Path(data_dir) / "store.revision"
        self._memory_revision = 0
        self._dirty = False
        self._snapshots = Path(data_dir) / "snapshots" if data_dir is not None else Path()
        self._store = self._open()
        self._opened_revision = self.revision()

    def _open(self) -> ox.Store:
        if self.path is None:
            return ox.Store()
        try:
            if self.read_only:
                snapshot = self._snapshots / self.revision()
                if (snapshot / "CURRENT").exists() and not self.unpublished:
                    return ox.Store.read_only(str(snapshot))
                if not (self.path / "CURRENT").exists():
                    raise StoreError(f"{self.path}: no store here yet (run servicegraph ingest)")
                return ox.Store.read_only(str(self.path))  # written before snapshots existed
            self.path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(self.path))
        except OSError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "lock" in reason.lower():
                reason = "in use by another servicegraph process (open it read-only)"
            raise StoreError(f"{self.path}: cannot open the store: {reason}") from exc

    # -- writes -------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the store was opened read-only")

    def replace_graphs(self, graphs: Mapping[URIRef, Triples]) -> None:
        """Replace several named graphs in one transaction (all or none)."""
        self.replace_ntriples({name: ntriples(triples) for name, triples in graphs.items()})

    def replace_ntriples(self, graphs: Mapping[URIRef, str]) -> None:
        """The N-Triples bodies go into the update as they are (no parsing)."""
        self._writable()
        parts = []
        for name, body in graphs.items():
            g = n3(name)
            # DROP costs as much as the insert even for a graph that is not there (a new card).
            exists = self._store.contains_named_graph(ox.NamedNode(str(name)))
            drop = f"DROP SILENT GRAPH {g} ;\n" if exists else ""
            parts.append(f"{drop}INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
        if not parts:
            return
        self._update(" ;\n".join(parts))

    def delete_graph(self, name: URIRef) -> bool:
        self._writable()
        node = ox.NamedNode(str(name))
        if not self._store.contains_named_graph(node):
            return False
        self._update(f"DROP GRAPH {n3(name)}")
        return True

    def _update(self, update: str) -> None:
        try:
            self._store.update(update)
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"store update failed: {exc}") from exc
        self._bump()

    def _bump(self) -> None:
        self._memory_revision += 1
        self._dirty = self._revision_file is not None

    def publish(self) -> str:
        """Checkpoint the written state for read-only instances; returns its revision.

        Called by :meth:`revision` and :meth:`close` after writes, so a batch of writes
        (an ingest) costs one checkpoint, not one per card.
        """
        if not self._dirty or self._revision_file is None:
            return self._read_revision()
        count = int(self._read_revision().split("-")[0] or 0) + 1
        name = f"{count:08d}-{uuid.uuid4().hex[:8]}"
        self._snapshots.mkdir(parents=True, exist_ok=True)
        self._store.backup(str(self._snapshots / name))
        tmp = self._revision_file.with_suffix(".tmp")
        tmp.write_text(name, encoding="ascii")
        os.replace(tmp, self._revision_file)
        self._dirty = False
        for old in sorted(p for p in self._snapshots.iterdir() if p.is_dir())[:-3]:
            shutil.rmtree(old, ignore_errors=True)
        return name

    # -- reads --------------------------------------------------------------------------
    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs())

    def get_graph(self, name: URIRef) -> Graph:
        graph = Graph()
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    def _run(self, sparql: str) -> tuple[object, str]:
        checked = check_query(sparql, parse=False)  # the text checked is the text run
        try:
            return self._store.query(checked.text, use_default_graph_as_union=True), checked.form
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def query(
        self, sparql: str, *, timeout: Seconds = None, max_results: Limit = None
    ) -> QueryResult:
        """Run a read-only query over the union of all graphs.

        ``timeout`` is checked between result rows (a single long aggregation cannot be
        interrupted in-process; the API runs queries in worker processes for that).
        """
        result, _ = self._run(sparql)
        deadline = None if timeout is None else time.monotonic() + timeout
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = [], False
            for row in _bounded(result, max_results, deadline, timeout):
                if row is _TRUNCATED:
                    truncated = True
                    break
                rows.append(tuple(to_rdflib(row[v]) for v in variables))
            return QueryResult("select", variables=variables, rows=rows, truncated=truncated)
        graph, truncated = Graph(), False
        for triple in _bounded(result, max_results, deadline, timeout):
            if triple is _TRUNCATED:
                truncated = True
                break
            graph.add(
                (
                    to_rdflib(triple.subject),
                    to_rdflib(triple.predicate),
                    to_rdflib(triple.object),
                )
            )
        return QueryResult("graph", graph=graph, truncated=truncated)

    def select_values(self, sparql: str) -> Rows:
        """Rows serialized as TSV in Rust and split in Python: several times faster than
        building rdflib terms (the projection reads ten rows per service)."""
        body, truncated = self.query_serialized(sparql, RESULT_FORMATS["tsv"])
        if truncated:
            raise StoreError("the store cut a query short that must be read whole")
        return parse_tsv(body)

    def query_serialized(
        self, sparql: str, media_type: str, *, timeout: Seconds = None, max_results: Limit = None
    ) -> tuple[bytes, bool]:
        """Serialize with pyoxigraph's own writers; SELECT rows beyond ``max_results`` are
        cut by running the query as a sub-select with ``LIMIT``."""
        checked = check_query(sparql, parse=False)
        code, form = checked.code, checked.form
        if form in ("construct", "describe"):
            fmt = OX_GRAPH_MEDIA.get(media_type)
            if fmt is None:
                raise QueryError(f"{media_type} is not a graph format", status_code=406)
            result, _ = self._run(sparql)
            deadline = None if timeout is None else time.monotonic() + timeout
            triples = list(_bounded(result, max_results, deadline, timeout))
            truncated = bool(triples) and triples[-1] is _TRUNCATED
            if truncated:
                triples.pop()
            body = ox.serialize(triples, format=fmt, prefixes=PREFIXES)
            return body, truncated
        out_format = OX_RESULT_FORMATS.get(media_type)
        if out_format is None:
            raise QueryError(f"{media_type} is not a SPARQL results format", status_code=406)
        if form == "select" and max_results is not None:
            # Project the original variables in their order: `SELECT *` over a sub-select
            # would let the engine reorder the columns. Solutions are lazy, so asking for
            # the variables does not evaluate the query.
            result, _ = self._run(sparql)
            projection = " ".join(f"?{v.value}" for v in result.variables) or "*"
            limited = f"{subselect(code, projection)} LIMIT {max_results + 1}"
            body = self._serialize(limited, out_format)
            count = _count_rows(body, out_format)
            if count <= max_results:
                return body, False
            limited = limited[: limited.rindex("LIMIT")] + f"LIMIT {max_results}"
            return self._serialize(limited, out_format), True
        return self._serialize(sparql, out_format), False

    def _serialize(self, sparql: str, out_format: ox.QueryResultsFormat) -> bytes:
        result, _ = self._run(sparql)
        if isinstance(result, ox.QueryTriples):
            raise QueryError("a graph query needs an RDF media type", status_code=406)
        return result.serialize(format=out_format)

    def export(self, fmt: str) -> bytes:
        """Every graph in ``fmt``; triple formats get the union of all graphs."""
        if fmt not in OX_RDF_FORMATS:
            raise StoreError(f"unknown export format {fmt!r} (one of {', '.join(OX_RDF_FORMATS)})")
        out_format = OX_RDF_FORMATS[fmt]
        if fmt in QUAD_FORMATS:
            return self._store.dump(format=out_format, prefixes=PREFIXES)
        triples = {q.triple for q in self._store}
        return ox.serialize(sorted(triples, key=str), format=out_format, prefixes=PREFIXES)

    def triple_count(self) -> int:
        return len(self._store)

    def revision(self) -> str:
        if self._revision_file is None:
            return str(self._memory_revision)
        if self._dirty:  # a revision handed out is one readers can open
            return self.publish()
        return self._read_revision()

    def _read_revision(self) -> str:
        assert self._revision_file is not None
        try:
            return self._revision_file.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return "0"

    def refresh(self) -> bool:
        """Reopen a read-only store when another process has written since it was opened."""
        current = self.revision()
        if not self.read_only or current == self._opened_revision:
            return False
        self._store = self._open()
        self._opened_revision = current
        return True

    def close(self) -> None:
        """Flush and publish what was written; a full disk is a StoreError, not a crash,
        and the snapshot published before stays what readers see."""
        try:
            if not self.read_only and self.path is not None:
                self._store.flush()
                self.publish()
        except OSError as exc:
            raise StoreError(
                f"cannot write the store in {self.path}: {exc} (is the disk full?); "
                "the last published snapshot is kept"
            ) from None
        finally:
            del self._store
            self._store = ox.Store()  # a closed store answers as empty instead of crashing


_TRUNCATED = object()


def _count_rows(body: bytes, out_format: ox.QueryResultsFormat) -> int:
    """Rows in a serialized SELECT result (CSV is lossy, so pyoxigraph will not parse it)."""
    if out_format == ox.QueryResultsFormat.CSV:
        return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)
    return sum(1 for _ in ox.parse_query_results(body, format=out_format))


def _bounded(
    results: Iterable[object], limit: int | None, deadline: float | None, timeout: float | None
) -> Iterator[object]:
    """Yield results, then ``_TRUNCATED`` if more than ``limit`` exist; enforce the deadline."""
    for n, item in enumerate(results):
        if limit is not None and n >= limit:
            yield _TRUNCATED
            return
        if deadline is not None and n % 256 == 0 and time.monotonic() > deadline:
            raise QueryError(f"query ran longer than {timeout:g} s", status_code=504)
        yield item
