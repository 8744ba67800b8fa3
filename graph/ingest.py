"""Ingest: card files -> parse -> resolve -> build -> validate -> one named graph each.

Guarantees (tested in ``tests/graph/test_ingest.py``):

* **No source is lost.** The raw bytes of every card are kept under
  ``<data_dir>/raw/<sha256><suffix>`` before its graph is written.
* **Per-card atomicity.** A card's graph is replaced in one store transaction, so Ctrl-C or
  a crash leaves every card either as before or as new. Cards are written in batches of
  ``batch_size`` (one transaction each) for speed; an interrupted batch is simply absent.
  Only cards already parsed, built and validated enter a batch, so a bad card never
  takes good ones down with it.
* **Parallel, single writer.** The pure per-card work (parse, resolve, build, validate,
  serialize) runs in worker processes (:mod:`graph.pool`); only this process writes, in
  input order, so the report, the progress callback and the store see the cards in the
  order given.
* **A bad card does not stop the rest.** It is reported with a one-line reason; a card
  with SHACL violations is loaded with them recorded on its card record unless ``strict``.
* **Idempotent.** Ingesting the same bytes again gives the same triples: the card's
  ``prov:generatedAtTime`` is kept from the stored version while its SHA-256 is unchanged.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD

from graph.build import BuiltCard, build_card
from graph.card import Card
from graph.errors import ServicegraphError, StoreError
from graph.pool import default_jobs, ordered_map
from graph.store.base import REFERENCE_GRAPH, Store
from graph.store.embedded import ntriples
from ontology.namespace import SG, concept, sparql_prefixes
from shapes import ValidationReport, ValidationResult, validate

if TYPE_CHECKING:
    from graph.resolve import Resolver

__all__ = [
    "CARD_SUFFIXES",
    "MIN_PARALLEL",
    "CardOutcome",
    "IngestReport",
    "card_files",
    "ensure_reference",
    "ingest",
    "ingest_card",
    "resolution_report",
    "validate_store",
]

CARD_SUFFIXES = frozenset({".txt", ".html", ".htm", ".xhtml", ".docx", ".pdf"})
"""File types picked up when a directory is given (files named explicitly are always read)."""


@dataclass
class CardOutcome:
    """What happened to one card file."""

    source: str
    loaded: bool = False
    key: str | None = None
    service: str | None = None
    title: str | None = None
    violations: int = 0
    warnings: int = 0
    unresolved: list[str] = field(default_factory=list)
    results: list[ValidationResult] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["results"] = [r.to_dict() for r in self.results]
        return data


@dataclass
class IngestReport:
    """The outcome of one ingest run, card by card."""

    cards: list[CardOutcome] = field(default_factory=list)

    @property
    def loaded(self) -> list[CardOutcome]:
        return [c for c in self.cards if c.loaded]

    @property
    def failed(self) -> list[CardOutcome]:
        return [c for c in self.cards if not c.loaded]

    @property
    def violations(self) -> int:
        return sum(c.violations for c in self.cards)

    @property
    def warnings(self) -> int:
        return sum(c.warnings for c in self.cards)

    @property
    def unresolved(self) -> list[str]:
        """Distinct names that did not resolve to the register, in first-seen order."""
        return list(dict.fromkeys(name for c in self.cards for name in c.unresolved))

    def to_dict(self) -> dict[str, Any]:
        return {
            "loaded": len(self.loaded),
            "failed": len(self.failed),
            "violations": self.violations,
            "warnings": self.warnings,
            "unresolved": self.unresolved,
            "cards": [c.to_dict() for c in self.cards],
        }


def card_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, plus card files (:data:`CARD_SUFFIXES`) found in directories."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden and found.suffix.lower() in CARD_SUFFIXES:
                    yield found
        else:
            yield path


def ensure_reference(store: Store) -> bool:
    """Load the reference register into REFERENCE_GRAPH when its content changed.

    The content hash is kept in the graph itself (``<graph> sg:sha256 "..."``), so the
    check is one ASK query. Returns True when the graph was (re)written.
    """
    from ontology import load_reference

    register = load_reference()
    digest = hashlib.sha256(
        "\n".join(sorted(line for line in register.serialize(format="nt").splitlines())).encode()
    ).hexdigest()
    ask = f'ASK {{ GRAPH <{REFERENCE_GRAPH}> {{ <{REFERENCE_GRAPH}> <{SG.sha256}> "{digest}" }} }}'
    if store.query(ask).boolean:
        return False
    graph = Graph()
    for triple in register:
        graph.add(triple)
    graph.add((REFERENCE_GRAPH, SG.sha256, Literal(digest)))
    store.replace_graph(REFERENCE_GRAPH, graph)
    return True


def _keep_raw(raw: bytes, digest: str, suffix: str, data_dir: Path | None) -> None:
    if data_dir is None:
        return
    folder = Path(data_dir) / "raw"
    target = folder / f"{digest}{suffix.lower()}"
    if target.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{digest}.tmp"
    tmp.write_bytes(raw)
    os.replace(tmp, target)


def _stored_time(store: Store, record: URIRef, digest: str) -> datetime | None:
    """The generatedAtTime of the stored version of this card if its bytes are the same."""
    query = (
        f"SELECT ?t WHERE {{ GRAPH <{record}> {{ <{record}> <{SG.sha256}> "
        f'"{digest}" ; <{PROV.generatedAtTime}> ?t }} }} LIMIT 1'
    )
    rows = store.query(query).rows
    value = rows[0][0] if rows else None
    return value.toPython() if isinstance(value, Literal) else None


def _record_validation(built: BuiltCard, results: list[ValidationResult]) -> tuple[int, int]:
    g, rec = built.triples, built.record
    violations = sum(r.severity == "violation" for r in results)
    g.add((rec, SG.violationCount, Literal(violations)))
    g.add((rec, SG.warningCount, Literal(len(results) - violations)))
    for r in results:
        where = r.field or r.path or ""
        g.add(
            (
                rec,
                SG.validationMessage,
                Literal(f"{r.severity}: {where}: {r.message_en}", lang="en"),
            )
        )
        g.add(
            (
                rec,
                SG.validationMessage,
                Literal(f"{r.severity}: {where}: {r.message_fa}", lang="fa"),
            )
        )
    return violations, len(results) - violations


@dataclass
class _Prepared:
    """One card parsed, built and validated, ready for the single writer.

    ``body`` is the card graph as N-Triples without its ``prov:generatedAtTime``: the writer
    adds that from the stored version when the bytes are unchanged (idempotent re-ingest).
    """

    outcome: CardOutcome
    record: URIRef | None = None
    digest: str | None = None
    body: str | None = None
    built_at: datetime | None = None


@dataclass
class _Preparer:
    """The pure per-card work (no store access), run in this process or in a worker."""

    resolver: Any
    reference: Graph
    strict: bool
    data_dir: Path | None

    def card(self, card: Card, raw: bytes, suffix: str) -> _Prepared:
        outcome = CardOutcome(card.source, title=card.subservice_title or card.title)
        digest = hashlib.sha256(raw).hexdigest()
        now = datetime.now(UTC).replace(microsecond=0)
        built = build_card(card, self.resolver, raw=raw, generated_at=now, reference=self.reference)
        report = validate(built.triples)
        outcome.key, outcome.service = built.key, str(built.service)
        outcome.results = report.results
        outcome.unresolved = list(dict.fromkeys(name for name, _ in built.unresolved))
        outcome.violations, outcome.warnings = _record_validation(built, report.results)
        if self.strict and outcome.violations:
            outcome.error = f"{card.source}: {outcome.violations} SHACL violation(s) (--strict)"
            return _Prepared(outcome)
        _keep_raw(raw, digest, suffix, self.data_dir)
        built.triples.discard(
            (built.record, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime))
        )  # the writer stamps the time (kept from the stored version when bytes are the same)
        body = ntriples(built.triples)
        outcome.loaded = True
        return _Prepared(outcome, built.record, digest, body, now)

    def file(self, path: Path) -> _Prepared:
        """:meth:`card` for a file; a bad file becomes an outcome with a one-line error."""
        from graph.parser import parse_text
        from graph.readers import read_card_bytes

        try:
            raw = path.read_bytes()
            card = parse_text(read_card_bytes(raw, path.name), path.name)
            return self.card(card, raw, path.suffix)
        except ServicegraphError as exc:
            return _Prepared(CardOutcome(path.name, error=str(exc)))
        except OSError as exc:
            error = f"{path}: cannot read: {exc.strerror or exc}"
            return _Prepared(CardOutcome(path.name, error=error))
        except Exception as exc:  # a defect must not stop the other cards; say so plainly
            reason = f"internal error ({type(exc).__name__}: {exc}); please report this card"
            return _Prepared(CardOutcome(path.name, error=f"{path.name}: {reason}"))


_worker: _Preparer | None = None


def _start_worker(preparer: _Preparer) -> None:
    global _worker
    _worker = preparer


def _prepare_in_worker(path: Path) -> _Prepared:
    assert _worker is not None, "pool initializer did not run"
    return _worker.file(path)


class _Pipeline:
    """Shared state of one ingest run: the preparer and the pending write batch."""

    def __init__(self, store: Store, data_dir: Path | None, strict: bool, resolver: Any) -> None:
        from ontology import load_reference

        if resolver is None:
            from graph.resolve import Resolver

            resolver = Resolver.default()
        self.store = store
        self.preparer = _Preparer(resolver, load_reference(), strict, data_dir)
        self.pending: dict[URIRef, str] = {}

    def card(self, card: Card, raw: bytes, suffix: str) -> CardOutcome:
        prepared = self.preparer.card(card, raw, suffix)
        self.write(prepared)
        return prepared.outcome

    def write(self, prepared: _Prepared) -> None:
        """Queue a prepared card for the next :meth:`flush` (nothing for a refused card)."""
        if prepared.body is None or prepared.record is None or prepared.digest is None:
            return
        when = _stored_time(self.store, prepared.record, prepared.digest) or prepared.built_at
        stamp = (prepared.record, PROV.generatedAtTime, Literal(when, datatype=XSD.dateTime))
        self.pending[prepared.record] = prepared.body + ntriples([stamp])

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, {}
        native = getattr(self.store, "replace_ntriples", None)
        if native is not None:
            native(batch)
            return
        graphs = {name: Graph().parse(data=body, format="nt") for name, body in batch.items()}
        many = getattr(self.store, "replace_graphs", None)
        if many is not None:
            many(graphs)
        else:
            for name, graph in graphs.items():
                self.store.replace_graph(name, graph)


def ingest_card(
    card: Card,
    raw: bytes,
    store: Store,
    *,
    data_dir: Path | None = None,
    strict: bool = False,
    resolver: Resolver | None = None,
    suffix: str | None = None,
) -> CardOutcome:
    """Validate and store one already-parsed card (the API's upload route).

    ``raw`` are the uploaded bytes (kept under ``data_dir/raw``); ``suffix`` defaults to
    that of ``card.source``. A card refused by ``strict`` comes back with ``loaded=False``.
    """
    ensure_reference(store)
    pipeline = _Pipeline(store, data_dir, strict, resolver)
    outcome = pipeline.card(card, raw, suffix if suffix is not None else Path(card.source).suffix)
    pipeline.flush()
    return outcome


MIN_PARALLEL = 20
"""Fewer cards than this are ingested in-process: starting workers would cost more."""


def ingest(
    paths: Iterable[Path],
    store: Store,
    *,
    data_dir: Path | None,
    strict: bool = False,
    progress: Callable[[Path, CardOutcome], None] | None = None,
    resolver: Resolver | None = None,
    batch_size: int = 32,
    jobs: int | None = None,
) -> IngestReport:
    """Ingest card files and directories of them into ``store``; see the module docstring.

    Parsing, resolution, building and validation run in ``jobs`` worker processes (default:
    the CPUs available; 1 runs everything here); this process is the single writer, so
    cards are written, reported and passed to ``progress`` in input order.
    """
    ensure_reference(store)
    pipeline = _Pipeline(store, data_dir, strict, resolver)
    report = IngestReport()
    files = list(card_files(paths))
    jobs = default_jobs() if jobs is None else jobs
    if len(files) < MIN_PARALLEL:
        jobs = 1
    try:
        _run_files(files, pipeline, report, progress, batch_size, jobs)
    except BaseException as exc:
        if not isinstance(exc, StoreError):
            pipeline.flush()  # keep the cards finished before the interruption
        raise
    pipeline.flush()
    return report


def _run_files(
    files: list[Path],
    pipeline: _Pipeline,
    report: IngestReport,
    progress: Callable[[Path, CardOutcome], None] | None,
    batch_size: int,
    jobs: int,
) -> None:
    if jobs > 1:
        validate(Graph())  # compile the shapes once, before the workers fork
        chunk = max(1, min(16, len(files) // (jobs * 8)))
        prepared = ordered_map(
            _prepare_in_worker,
            files,
            jobs=jobs,
            initializer=_start_worker,
            initargs=(pipeline.preparer,),
            chunk=chunk,
        )
    else:
        prepared = map(pipeline.preparer.file, files)
    for path, card in zip(files, prepared, strict=True):
        try:
            pipeline.write(card)
        except StoreError:
            raise  # the store keeps every card written so far; this card is not half-written
        except ServicegraphError as exc:
            card.outcome.loaded, card.outcome.error = False, str(exc)
        report.cards.append(card.outcome)
        if len(pipeline.pending) >= batch_size:
            pipeline.flush()
        if progress is not None:
            progress(path, card.outcome)


def validate_store(store: Store) -> ValidationReport:
    """Whole-graph validation: the union of every card graph and the register, with the
    SHACL-SPARQL constraints (agency cycles across cards) that per-card runs leave out."""
    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
    return validate(union if union is not None else Graph(), whole=True)


_RESOLUTION_QUERY = (
    sparql_prefixes("sg", "rdfs")
    + f"""
SELECT ?status ?type ?name ?node ?label ?file WHERE {{
  GRAPH ?g {{
    ?node sg:sourceLabel ?name ; sg:resolution ?status ; a ?type .
    ?g sg:sourceFile ?file .
    OPTIONAL {{ ?node rdfs:label ?label FILTER(LANG(?label) = "fa") }}
  }}
  FILTER(?status != <{concept("resolution", "reference")}>)
}}
"""
)
_KINDS = {SG.Agency: "agency", SG.System: "system", SG.ExchangedField: "field"}


def resolution_report(store: Store) -> list[dict[str, Any]]:
    """Names that resolved fuzzily or not at all, each with the card files that wrote it.

    Sorted unresolved first, then by how many cards use the name (most first), so the
    register grows where it helps most.
    """
    entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for row in store.query(_RESOLUTION_QUERY).dicts():
        kind = _KINDS.get(row["type"])
        if kind is None:
            continue
        status = str(row["status"]).rsplit("/", 1)[-1]
        key = (status, kind, str(row["name"]), str(row["node"]))
        entry = entries.setdefault(
            key,
            {
                "status": status,
                "kind": kind,
                "name": str(row["name"]),
                "iri": str(row["node"]),
                "label": str(row["label"] or ""),
                "cards": [],
            },
        )
        if str(row["file"]) not in entry["cards"]:
            entry["cards"].append(str(row["file"]))
    ordered = sorted(
        entries.values(),
        key=lambda e: (e["status"] != "unresolved", -len(e["cards"]), e["kind"], e["name"]),
    )
    for entry in ordered:
        entry["cards"].sort()
    return ordered
