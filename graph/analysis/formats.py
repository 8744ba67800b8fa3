"""Results and graphs in the formats people and tools read, shared by the CLI and the API.

Every analysis result is first made plain JSON data (:func:`jsonable`); the table (rich,
for terminals) and CSV renderings are *views* of that data, so ``--format json`` on the
command line and ``?format=json`` on the API give the same object. A view is a list of
sections ``(title, columns, rows)``; CSV carries the first (main) section only.

Graph export: GraphML and GEXF accept only scalar attributes, so lists are written as
JSON strings and ``None`` is left out; the JSON export is NetworkX node-link data with
lists kept as lists.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from graph.analysis.projection import DependencyGraph
from graph.analysis.severity import AFFECTED_WORDS, outcome_of

__all__ = [
    "EXPORT_FORMATS",
    "OUTPUT_FORMATS",
    "GraphFormat",
    "csv_text",
    "export_graph",
    "graph_from_file",
    "jsonable",
    "scalar_graph",
    "sections",
    "spreadsheet_safe",
    "to_csv",
    "to_json",
]

OUTPUT_FORMATS = ("table", "json", "csv")
EXPORT_FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
EXPORT_FORMATS["json"] = "application/json"
GraphFormat = StrEnum("GraphFormat", ["graphml", "gexf", "json"])
"""The graph export formats as an enum, for the CLI's and the API's parameters."""

Section = tuple[str, list[str], list[list[Any]]]


def jsonable(obj: Any) -> Any:
    """Dataclasses (and their ``to_dict``), sets and tuples as plain JSON data.

    >>> jsonable({"a": {3, 1}, "b": (1, 2)})
    {'a': [1, 3], 'b': [1, 2]}
    """
    try:  # the C encoder and decoder: ~20x faster than walking 10,000 services in Python
        return json.loads(json.dumps(obj, default=_plain, check_circular=False))
    except (TypeError, ValueError):  # keys json cannot write (tuples): the slow walk
        return _jsonable(obj)


def _plain(obj: Any) -> Any:
    """What ``json.dumps`` writes for objects it does not know."""
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, set | frozenset):
        return sorted(_jsonable(v) for v in obj)
    raise TypeError(f"{type(obj).__name__} is not JSON data")


def _jsonable(obj: Any) -> Any:
    if hasattr(obj, "to_dict"):
        return _jsonable(obj.to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _jsonable(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, set | frozenset):
        return sorted(_jsonable(v) for v in obj)
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    return obj


def to_json(data: Any, indent: int | None = 2) -> str:
    """UTF-8 JSON (Persian kept readable, not ``\\u`` escaped), indented for people.

    ``indent=None`` gives compact JSON from the C encoder, ~3x faster on a 10,000-service
    impact (Python's encoder only indents in pure Python).
    """
    try:
        return json.dumps(data, ensure_ascii=False, indent=indent, default=_plain)
    except (TypeError, ValueError):
        return json.dumps(_jsonable(data), ensure_ascii=False, indent=indent)


# -- views ---------------------------------------------------------------------------------


def _path(labels: dict[str, str], path: list[str]) -> str:
    return " > ".join(labels.get(n, n) for n in path)


def _word(severity: str) -> str:
    """The outcome of a severity in both languages (``breaks / از کار می‌افتد``)."""
    o = outcome_of(severity)
    return f"{o.en} / {o.fa}"


def _impact(d: dict[str, Any]) -> list[Section]:
    labels = d.get("labels", {})
    t = d["totals"]
    services = [
        [s["service_id"] or "", s["title"], s["agency"] or "", "direct" if s["direct"] else
         "indirect", _word(s["severity"]), s["severity"], s["inquiry"], s["recipients_per_year"],
         _path(labels, s["path"][1:]), "; ".join(labels.get(f, f) for f in s["fields"]),
         " | ".join(labels.get(r["target"], r["target"]) for r in s["reasons"]), s["iri"]]
        for s in d["services"]
    ]  # fmt: skip
    summary = [
        ["targets", ", ".join(f"{x['label']} [{x['kind']}]" for x in d["targets"])],
        ["depth", d["depth"] if d["depth"] is not None else "unbounded"],
        [f"services {AFFECTED_WORDS['en']} / {AFFECTED_WORDS['fa']}",
         f"{t.get('affected', t['services'])} (breaks + degrades + unknown)"],
        *([f"{o['label_en']} / {o['label_fa']}", f"{o['services']} services, {o['agencies']} "
           f"agencies, {o['recipients_per_year']:,} recipients per year"]
          for o in d.get("outcomes", [])),
        ["services reached", f"{t['services']} ({t['direct']} direct, {t['indirect']} indirect)"],
        ["recipients per year reached", f"{t['recipients_per_year']:,} "
         f"(direct {t['direct_recipients_per_year']:,}); unknown for {t['unknown_recipients']}"],
    ]  # fmt: skip
    modes = [[m["inquiry"], m["severity"], m["services"], m["direct"]] for m in d["inquiry"]]
    agencies = [
        [a["label"], a["services"], a["direct"], a["recipients_per_year"], a["unknown_recipients"]]
        for a in d["agencies"]
    ]
    fields = [[f["label"], f["services"], f["direct"]] for f in d["fields"]]
    nodes = [[n["label"], n["kind"], _path(labels, n["path"])] for n in d["nodes"]]
    columns = ["service_id", "title", "agency", "dependency", "outcome", "severity", "inquiry",
               "recipients_per_year", "via", "fields", "targets", "iri"]  # fmt: skip
    outcomes = [
        [o["label_en"], o["label_fa"], o["services"], o["agencies"], o["recipients_per_year"],
         o["unknown_recipients"]]
        for o in d.get("outcomes", [])
    ]  # fmt: skip
    return [
        ("Affected services", columns, [r for r in services if r[5] != "none"]),
        ("Unaffected services (non-electronic inquiry)", columns,
         [r for r in services if r[5] == "none"]),
        ("Impact", ["", ""], summary),
        ("Totals by outcome", ["outcome", "پیامد", "services", "agencies", "recipients_per_year",
         "unknown_recipients"], outcomes),
        ("By inquiry mode (most severe first)", ["inquiry", "severity", "services", "direct"],
         modes),
        ("Providing agencies", ["agency", "services", "direct", "recipients_per_year",
         "unknown_recipients"], agencies),
        ("Fields involved", ["field", "services", "direct"], fields),
        ("Affected systems and agencies", ["name", "kind", "path"], nodes),
    ]  # fmt: skip


def _hubs(d: dict[str, Any]) -> list[Section]:
    rows = [
        [h["label"], h["kind"], "yes" if h.get("collective") else "",
         h["direct_services"], h["transitive_services"], h.get("organisational_services", 0),
         h["recipients_per_year"], h["unknown_recipients"], h["betweenness"],
         "yes" if h["articulation"] else "", h["cut_off_services"], h["iri"]]
        for h in d["hubs"]
    ]  # fmt: skip
    bridges = [[b["u_label"], b["v_label"]] for b in d["bridges"]]
    return [
        (f"Hubs (betweenness: {d['betweenness_method']})",
         ["name", "kind", "collective", "direct_services", "transitive_services",
          "organisational_services", "recipients_per_year",
          "unknown_recipients", "betweenness", "articulation_point", "cut_off_services", "iri"],
         rows),
        ("Bridges", ["from", "to"], bridges),
    ]  # fmt: skip


def _matrix(d: dict[str, Any]) -> list[Section]:
    rows = [
        [c["from_label"], c["to_label"], c["services"], c["exchanges"], c["internal"],
         ", ".join(f"{k}:{v}" for k, v in c["inquiry"].items() if v),
         "; ".join(c["field_labels"]), c["from"], c["to"]]
        for c in d["cells"]
    ]  # fmt: skip
    return [
        ("Agency dependency matrix (provider inquires counterpart)",
         ["from", "to", "services", "exchanges", "internal", "inquiry", "fields", "from_iri",
          "to_iri"], rows),
    ]  # fmt: skip


def _dataflow(d: dict[str, Any]) -> list[Section]:
    receivers = [
        [r["service_id"] or "", r["title"], "; ".join(r["agencies"]), "; ".join(r["from"]),
         r["inquiry"], r["recipients_per_year"], r["iri"]]
        for r in d["receivers"]
    ]  # fmt: skip
    origins = [
        [o["label"], o["kind"] or "", "; ".join(o["operators"]), "yes" if o["register"] else "",
         o["services"]]
        for o in d["origins"]
    ]  # fmt: skip
    return [
        (f"Services receiving {d['field']['label']}",
         ["service_id", "title", "agencies", "from", "inquiry", "recipients_per_year", "iri"],
         receivers),
        ("Origins", ["name", "kind", "operators", "in_register", "services_fetching"], origins),
    ]  # fmt: skip


def _maturity(d: list[dict[str, Any]]) -> list[Section]:
    rows = [
        [r["label"], r["services"], r["electronic_share"], r["stages_electronic"],
         r["stages_known"], r["stages_unknown"], r["in_person_services"], r["visits_unknown"],
         r["non_electronic_exchanges"], r["unknown_exchanges"], r["exchanges"], r["iri"]]
        for r in d
    ]  # fmt: skip
    return [
        ("Digital maturity per agency (least electronic first)",
         ["agency", "services", "electronic_share", "stages_electronic", "stages_known",
          "stages_unknown", "in_person_services", "visits_unknown", "non_electronic_exchanges",
          "unknown_exchanges", "exchanges", "iri"], rows),
    ]  # fmt: skip


def _diff(d: dict[str, Any]) -> list[Section]:
    rows = []
    for change, items in (("added", d["added"]), ("removed", d["removed"]),
                          ("changed", d["changed"])):  # fmt: skip
        for r in items:
            inquiry = r["inquiry"]
            if isinstance(inquiry, list):
                inquiry = " -> ".join(str(i) for i in inquiry)
            rows.append(
                [change, r["kind"], r["from_label"], r["to_label"], "; ".join(r["agencies"]),
                 inquiry or "", r["services_reached"], r["recipients_per_year"],
                 r["unknown_recipients"], r["from"], r["to"]]
            )  # fmt: skip
    radius = [
        [r["label"], r["direct_before"], r["direct_after"], r["transitive_before"],
         r["transitive_after"]]
        for r in d["radius"]
    ]  # fmt: skip
    services = [["added", s["title"], s["iri"]] for s in d["services_added"]] + [
        ["removed", s["title"], s["iri"]] for s in d["services_removed"]
    ]
    return [
        ("Dependency changes", ["change", "kind", "from", "to", "agencies", "inquiry",
         "services_reached", "recipients_per_year", "unknown_recipients", "from_iri", "to_iri"],
         rows),
        ("Blast radius of changed counterparts", ["name", "direct_before", "direct_after",
         "transitive_before", "transitive_after"], radius),
        ("Services", ["change", "title", "iri"], services),
    ]  # fmt: skip


# Sections CSV writes one after the other (same columns): impact's affected, then unaffected.
_CSV_SECTIONS = {"impact": (0, 1)}

VIEWS: dict[str, Callable[[Any], list[Section]]] = {
    "impact": _impact,
    "hubs": _hubs,
    "matrix": _matrix,
    "dataflow": _dataflow,
    "maturity": _maturity,
    "diff": _diff,
}


def sections(view: str, data: Any) -> list[Section]:
    """The table sections of a result (``view`` is a key of :data:`VIEWS`)."""
    return VIEWS[view](jsonable(data))


def to_csv(view: str, data: Any) -> str:
    """The main section of a result as CSV (header row first).

    >>> print(to_csv("maturity", []).strip())
    agency,services,electronic_share,stages_electronic,stages_known,stages_unknown,in_person_services,visits_unknown,non_electronic_exchanges,unknown_exchanges,exchanges,iri
    """
    parts = sections(view, data)
    rows = [row for i in _CSV_SECTIONS.get(view, (0,)) for row in parts[i][2]]
    return csv_text(parts[0][1], rows)


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP "CSV injection").

    Card text is written by strangers: a value starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading apostrophe, which spreadsheets hide. Numbers
    are left as they are.

    >>> [spreadsheet_safe(v) for v in ("=1+1", "-2+3", "-2.5", "@SUM(A1)", 7, "شاهکار")]
    ["'=1+1", "'-2+3", '-2.5', "'@SUM(A1)", 7, 'شاهکار']
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        if not _NUMBER.fullmatch(value):
            return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with a header row, ``None`` as an empty cell, every cell spreadsheet-safe: the
    one CSV writer of the CLI and the API's downloads."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([spreadsheet_safe(c) for c in columns])
    writer.writerows(["" if v is None else spreadsheet_safe(v) for v in row] for row in rows)
    return buf.getvalue()


# -- graph export ----------------------------------------------------------------------------


def scalar_graph(G: DependencyGraph) -> DependencyGraph:
    """A copy of ``G`` whose attributes are all scalars (lists/dicts as JSON, no None).

    >>> G = nx.MultiDiGraph(); G.add_node("s", kind="service", service_types=["G2C"], x=None)
    >>> dict(scalar_graph(G).nodes["s"])
    {'kind': 'service', 'service_types': '["G2C"]'}
    """

    def clean(data: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in data.items():
            if v is None:
                continue
            if isinstance(v, list | tuple | dict | set):
                v = json.dumps(jsonable(v), ensure_ascii=False)
            out[k] = v
        return out

    H = nx.MultiDiGraph()
    H.add_nodes_from((n, clean(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((u, v, k, clean(d)) for u, v, k, d in G.edges(keys=True, data=True))
    return H


def export_graph(G: DependencyGraph, fmt: str) -> bytes:
    """The projection as GraphML, GEXF or node-link JSON bytes."""
    if fmt == "json":
        data = nx.node_link_data(G, edges="edges")
        return json.dumps(jsonable(data), ensure_ascii=False).encode("utf-8")
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(scalar_graph(G), buf, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(scalar_graph(G), buf, encoding="utf-8")
    else:
        from graph.errors import ServicegraphError

        raise ServicegraphError(f"unknown graph format {fmt!r}; use {', '.join(EXPORT_FORMATS)}")
    return buf.getvalue()


def graph_from_file(path: Path, fmt: str) -> DependencyGraph:
    """Project an RDF file (``fmt`` a key of ``GRAPH_FORMATS``: ``ttl``, ``nq``...) via pyoxigraph.

    pyoxigraph loads a national-scale export in seconds where rdflib takes half a minute;
    the query results are read as TSV (:mod:`graph.store.rows`).
    """
    import pyoxigraph as ox

    from graph.analysis.projection import dependency_graph_from_rows
    from graph.errors import ServicegraphError
    from graph.store.base import RDFLIB_FORMATS
    from graph.store.rows import oxigraph_select
    from graph.store.terms import OX_RDF_FORMATS

    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=OX_RDF_FORMATS[fmt])
    except (SyntaxError, ValueError, OSError) as exc:
        raise ServicegraphError(f"{path}: cannot read as {RDFLIB_FORMATS[fmt]}: {exc}") from None
    return dependency_graph_from_rows(oxigraph_select(store))
