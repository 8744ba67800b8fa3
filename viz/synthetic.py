"""A synthetic national-scale dependency projection, for benchmarks and scale tests.

It follows the projection contract (``graph.analysis.projection``) with a fixed seed:
ministries and their agencies, systems operated by agencies with a few national hubs
(GSB, Shahkar, civil registry) that most exchanges reach and that route via GSB, services
with skewed recipient counts (some unknown) and mixed inquiry modes. Labels are Persian
with English translations on part of the nodes, as in real cards.

>>> G = synthetic_projection(200, seed=1)
>>> sum(1 for _, k in G.nodes(data="kind") if k == "service")
200
>>> synthetic_projection(200, seed=1).number_of_edges() == G.number_of_edges()
True
"""

from __future__ import annotations

import random

import networkx as nx

from graph.analysis.projection import DependencyGraph
from ontology.namespace import ID, REF

_WORDS = (
    "ثبت",
    "صدور",
    "تمدید",
    "استعلام",
    "پرداخت",
    "گواهی",
    "پروانه",
    "مجوز",
    "بیمه",
    "مالیات",
    "یارانه",
    "آموزش",
    "بازنشستگی",
    "کارت",
    "سند",
    "اشتغال",
)
_TOPICS = (
    "خودرو",
    "ملک",
    "کسب و کار",
    "سلامت",
    "تحصیل",
    "ازدواج",
    "مسکن",
    "کشاورزی",
    "گمرک",
    "انرژی",
    "آب",
    "تجارت",
    "ساختمان",
    "حمل و نقل",
)
_INQUIRY = (("online", 0.45), ("batch", 0.15), ("unknown", 0.3), ("non_electronic", 0.1))


def synthetic_projection(n_services: int = 5000, *, seed: int = 42) -> DependencyGraph:
    """A projection of ``n_services`` services in the shape of the national landscape."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()

    def node(iri: str, kind: str, fa: str, en: str | None = None, **attrs: object) -> str:
        G.add_node(iri, kind=kind, iri=iri, label_fa=fa, label_en=en, **attrs)
        return iri

    def edge(u: str, v: str, kind: str, **attrs: object) -> None:
        G.add_edge(u, v, key=kind, kind=kind, **attrs)

    ref = {"status": "reference", "collective": False}
    n_ministries = max(3, n_services // 250)
    n_agencies = max(6, n_services // 40)
    n_systems = max(8, n_services // 15)
    ministries = [
        node(
            str(REF[f"agency/min-{i}"]),
            "agency",
            f"وزارت {_TOPICS[i % len(_TOPICS)]} {i}",
            f"Ministry {i}",
            **ref,
        )
        for i in range(n_ministries)
    ]
    agencies = list(ministries)
    for i in range(n_agencies - n_ministries):
        a = node(
            str(REF[f"agency/ag-{i}"]),
            "agency",
            f"سازمان {_TOPICS[i % len(_TOPICS)]} {_WORDS[i % len(_WORDS)]} {i}",
            f"Agency {i}" if i % 3 else None,
            **ref,
        )
        edge(a, rng.choice(ministries), "parent")
        agencies.append(a)
    hubs = [
        node(str(REF["system/gsb"]), "system", "گذرگاه خدمات دولت", "GSB", **ref),
        node(str(REF["system/shahkar"]), "system", "سامانه شاهکار", "Shahkar", **ref),
        node(str(REF["system/sabt"]), "system", "احراز هویت ثبت احوال", "Civil registry", **ref),
    ]
    edge(agencies[0], hubs[0], "operates")
    edge(agencies[1], hubs[1], "operates")
    edge(agencies[2], hubs[2], "operates")
    systems = list(hubs)
    for i in range(n_systems - len(hubs)):
        status = "reference" if i % 5 else rng.choice(("fuzzy", "unresolved"))
        ns = REF if status == "reference" else ID
        s = node(
            str(ns[f"system/sys-{i}"]),
            "system",
            f"سامانه {_WORDS[i % len(_WORDS)]} {i}",
            f"System {i}" if i % 2 else None,
            status=status,
            collective=False,
        )
        edge(rng.choice(agencies), s, "operates")
        if rng.random() < 0.3:
            edge(s, hubs[0], "routed_via")
        systems.append(s)
    edge(hubs[1], hubs[0], "routed_via")
    edge(hubs[2], hubs[0], "routed_via")
    fields = [
        node(
            str(ID[f"field/f-{i}"]),
            "field",
            f"داده {_TOPICS[i % len(_TOPICS)]} {i}",
            status="unresolved",
            collective=False,
        )
        for i in range(max(10, n_services // 25))
    ]
    # Preferential choice: hubs and a few popular systems carry most exchanges.
    weights = [60.0, 25.0, 25.0] + [1.0 / (1 + i) ** 0.6 for i in range(len(systems) - 3)]
    modes, mode_weights = zip(*_INQUIRY, strict=True)
    for i in range(n_services):
        agency = agencies[min(int(rng.paretovariate(1.2)) - 1, len(agencies) - 1)]
        agency = agency if rng.random() < 0.5 else rng.choice(agencies)
        recipients = None if rng.random() < 0.2 else int(rng.lognormvariate(7, 2.5))
        s = node(
            str(ID[f"service/syn-{i}"]),
            "service",
            f"{_WORDS[i % len(_WORDS)]} {_TOPICS[(i // 7) % len(_TOPICS)]} {i}",
            f"Service {i}" if i % 4 == 0 else None,
            service_id=str(10_000_000 + i),
            recipients_per_year=recipients,
            service_types=rng.sample(("G2C", "G2B", "G2G"), rng.randint(1, 2)),
            card=str(ID[f"card/syn-{i}"]),
            source=f"syn-{i}.txt",
        )
        edge(agency, s, "provides")
        targets = set(rng.choices(systems, weights=weights, k=rng.randint(0, 5)))
        if rng.random() < 0.1:
            targets.add(rng.choice(agencies))
        for target in targets:
            inquiry = rng.choices(modes, weights=mode_weights)[0]
            used = rng.sample(fields, rng.randint(0, 3))
            edge(
                s,
                target,
                "depends_on",
                fields=used,
                inquiry=inquiry,
                scope=rng.choice(("internal", "external")),
                exchanges=[],
            )
            for f in used:
                edge(s, f, "uses_field", inquiry=inquiry, counterparts=[target])
    return G
