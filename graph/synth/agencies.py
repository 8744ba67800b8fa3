"""The synthetic government: agencies in their hierarchy, their systems, and the hubs.

Ministries and national organisations are the register's own entries, named as the
register names them. Below them, each organisation listed in ``words.yaml`` runs an
office in each of the 31 provinces (``اداره کل ثبت احوال استان اصفهان`` under
``سازمان ثبت احوال کشور``); each province also has a medical university and the
municipality of its capital. Every national organisation operates a few internal systems
with Persian names of its subject matter; its provincial offices use them.

The systems other agencies inquire are ranked: the register's national hubs first (GSB,
civil-registry identity, Shahkar, postal code, ...), then the internal systems of the
organisations. :meth:`Landscape.counterpart` draws from them with a Zipf law, so a few
hubs serve thousands of services and most systems a handful.

>>> import random
>>> land = build_landscape(random.Random(1))
>>> sum(a.level == "provincial" for a in land.agencies) >= 31 * 20
True
>>> land.targets[0].notation
'gsb'
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from functools import cached_property

from graph.synth.words import Named, register, vocabulary

__all__ = ["Agency", "Landscape", "Target", "build_landscape"]

ZIPF_EXPONENT = 1.1  # rank r is drawn with weight 1 / r**s: the share of the top hub ~ 20%


@dataclass(frozen=True)
class Agency:
    """An agency as its own cards name it."""

    name: str
    parent: str | None
    level: str  # national, provincial, city
    domain: str
    organisation: str  # notation of the national organisation whose systems it uses
    province: str | None = None


@dataclass(frozen=True)
class Target:
    """A system other agencies' cards inquire: how they write it and its operator."""

    notation: str
    names: tuple[str, ...]  # the first is the usual name, the rest variants seen on cards
    agency_names: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass
class Landscape:
    agencies: list[Agency]
    systems: dict[str, list[str]]  # organisation notation -> internal system names
    targets: list[Target]
    field_names: list[str]

    @cached_property
    def _cumulative(self) -> list[float]:
        weights = [1.0 / (rank**ZIPF_EXPONENT) for rank in range(1, len(self.targets) + 1)]
        return list(itertools.accumulate(weights))

    def counterpart(self, rng: random.Random) -> Target:
        """One system to inquire, drawn by Zipf rank."""
        cum = self._cumulative
        return self.targets[bisect.bisect_left(cum, rng.random() * cum[-1])]


def _written(entry: Named) -> tuple[str, ...]:
    return (entry.label, *entry.alt_labels)


def build_landscape(rng: random.Random) -> Landscape:
    """The agencies, systems and ranked inquiry targets (deterministic for one ``rng``)."""
    words, reg = vocabulary(), register()
    agencies: list[Agency] = []
    orgs: dict[str, str] = {}  # organisation notation -> domain
    for notation, spec in words["organisations"].items():
        entry = reg.agencies[notation]
        parent = reg.agencies[entry.parent].label if entry.parent in reg.agencies else None
        if entry.parent == "executive-branch":
            parent = None  # ministries leave the parent blank on their cards
        orgs[notation] = spec["domain"]
        agencies.append(Agency(entry.label, parent, "national", spec["domain"], notation))
        for province, _capital in words["provinces"]:
            name = spec["office"].format(province=province)
            agencies.append(
                Agency(name, entry.label, "provincial", spec["domain"], notation, province)
            )
    for key, level in (("universities", "provincial"), ("municipalities", "city")):
        spec = words[key]
        parent = reg.agencies[spec["parent"]].label
        orgs.setdefault(spec["parent"], spec["domain"])
        for province, capital in words["provinces"]:
            name = spec["name"].format(province=province, capital=capital)
            agencies.append(Agency(name, parent, level, spec["domain"], spec["parent"], province))

    systems: dict[str, list[str]] = {}
    used: set[str] = set()
    for notation, domain in orgs.items():
        combos = [
            f"{prefix} {subject}"
            for subject in words["system_subjects"][domain] + words["system_subjects"]["general"]
            for prefix in words["system_prefixes"]
        ]
        rng.shuffle(combos)
        names = [c for c in combos if c not in used][: rng.randint(2, 4)]
        used.update(names)
        systems[notation] = names

    fields = reg.fields
    targets = [
        Target(
            notation,
            _written(reg.systems[notation]),
            _written(reg.agencies[reg.systems[notation].parent]),  # type: ignore[index]
            tuple(fields[f].label for f in field_notations),
        )
        for notation, field_notations in words["hubs"].items()
    ]
    field_names = sorted(f.label for f in fields.values())
    others = [
        Target(
            f"{org}#{i}",
            (name,),
            (reg.agencies[org].label,),
            tuple(rng.sample(field_names, rng.randint(1, 3))),
        )
        for org, names in systems.items()
        for i, name in enumerate(names)
    ]
    rng.shuffle(others)
    return Landscape(agencies, systems, targets + others, field_names)
