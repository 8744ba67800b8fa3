"""Node positions computed in Python, so the browser draws instead of simulating.

vis-network's physics is O(n²) per step in the worst case and makes a national landscape of
thousands of nodes crawl; positions from here let the page start with physics off (large
views) or with a short capped stabilization (small views).

* up to :data:`SPRING_LIMIT` nodes: :func:`networkx.spring_layout` with a fixed seed and a
  small iteration count (the same input always gives the same picture);
* beyond: :func:`grouped_layout`, O(n): each group (an agency and what hangs from it) is a
  sunflower spiral, and the groups sit on a large circle ordered by size.

>>> import networkx as nx
>>> pos = positions(nx.path_graph(3))
>>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
True
>>> positions(nx.path_graph(3)) == pos
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx

SPRING_LIMIT = 300
SPRING_ITERATIONS = 60
SEED = 7
# Pixels per node used to scale layouts to the canvas (vis-network uses pixel coordinates).
SPACING = 70.0
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_UNGROUPED = ("__ungrouped__",)


def positions(
    graph: nx.Graph[Hashable],
    groups: Mapping[Hashable, Hashable] | None = None,
    *,
    spring_limit: int = SPRING_LIMIT,
) -> dict[Hashable, tuple[float, float]]:
    """Pixel positions for every node of ``graph``.

    ``groups`` maps a node to its group key (e.g. its agency); it is used only by the
    grouped layout for graphs larger than ``spring_limit``.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n <= spring_limit:
        simple: nx.Graph[Hashable] = nx.Graph()
        simple.add_nodes_from(graph.nodes)
        simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
        raw = nx.spring_layout(simple, seed=SEED, iterations=SPRING_ITERATIONS)
        scale = SPACING * math.sqrt(n) * 0.9
        return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in raw.items()}
    return grouped_layout(graph.nodes, groups or {})


def grouped_layout(
    nodes: Iterable[Hashable], groups: Mapping[Hashable, Hashable]
) -> dict[Hashable, tuple[float, float]]:
    """O(n) layout: a sunflower spiral per group, groups placed around a circle.

    A node that is itself a group key is placed at the centre of its spiral; nodes without a
    group share one spiral of their own.

    >>> pos = grouped_layout(["a", "s1", "s2", "x"], {"s1": "a", "s2": "a"})
    >>> pos["a"] != pos["s1"] and len(pos) == 4
    True
    """
    heads = set(groups.values())
    members: dict[Hashable, list[Hashable]] = {}
    centres: dict[Hashable, Hashable] = {}
    for node in nodes:
        key = groups.get(node)
        if key is None and node in heads:
            centres[node] = node
            members.setdefault(node, [])
            continue
        members.setdefault(_UNGROUPED if key is None else key, []).append(node)
    ordered = sorted(members.items(), key=lambda item: (-len(item[1]), str(item[0])))
    radii = [SPACING * 0.55 * math.sqrt(len(group) + 1) + SPACING for _, group in ordered]
    circumference = sum(2 * r for r in radii) * 1.15
    ring = max(circumference / (2 * math.pi), radii[0] if radii else 0.0)
    pos: dict[Hashable, tuple[float, float]] = {}
    angle = 0.0
    for (key, group), radius in zip(ordered, radii, strict=True):
        if len(ordered) == 1:
            cx = cy = 0.0
        else:
            angle += radius / ring
            cx, cy = ring * math.cos(angle), ring * math.sin(angle)
            angle += radius / ring
        if key in centres:
            pos[key] = (cx, cy)
        for i, node in enumerate(group):
            r = SPACING * 0.55 * math.sqrt(i + 1)
            theta = (i + 1) * _GOLDEN_ANGLE
            pos[node] = (cx + r * math.cos(theta), cy + r * math.sin(theta))
    return pos
