"""Dependency analytics on the NetworkX projection of the store.

Pure functions on a ``networkx.MultiDiGraph`` built by :mod:`graph.analysis.projection`:
impact (:mod:`.impact`), hubs and single points of failure (:mod:`.criticality`), the
agency matrix (:mod:`.matrix`), field data flow (:mod:`.dataflow`), digital maturity
(:mod:`.maturity`), version diff (:mod:`.diff`) and the shared renderings (:mod:`.formats`).
"""

from __future__ import annotations

from graph.analysis.criticality import hubs, single_points_of_failure
from graph.analysis.dataflow import dataflow
from graph.analysis.diff import diff_graphs, load_graph
from graph.analysis.impact import ImpactResult, impact
from graph.analysis.matrix import dependency_matrix
from graph.analysis.maturity import maturity
from graph.analysis.sources import (
    cached_dependency_graph,
    dependency_graph,
    dependency_graph_from_rdf,
)
from graph.analysis.targets import AmbiguousTargetError, resolve_target, resolve_targets

__all__ = [
    "AmbiguousTargetError",
    "ImpactResult",
    "cached_dependency_graph",
    "dataflow",
    "dependency_graph",
    "dependency_graph_from_rdf",
    "dependency_matrix",
    "diff_graphs",
    "hubs",
    "impact",
    "load_graph",
    "maturity",
    "resolve_target",
    "resolve_targets",
    "single_points_of_failure",
]
