"""Synthetic cards as canonical :class:`graph.card.Card` objects.

Each card is composed from the landscape (:mod:`graph.synth.agencies`) and the
vocabularies (``words.yaml``) with one :class:`random.Random`, so a seed fixes the whole
corpus. The shares follow what real cards show: most services are G2C, most inquiries are
online with some batch, a minority non-electronic and some unmarked; recipient counts are
heavy-tailed (a log-normal draw); a few cards carry a sub-service or licence form 2 rows.

>>> import random
>>> from graph.synth.agencies import build_landscape
>>> rng = random.Random(7)
>>> composer = Composer(build_landscape(rng), rng)
>>> card = composer.card("x.txt")
>>> len(card.service_id) in (10, 11), card.title is not None
(True, True)
"""

from __future__ import annotations

import math
import random
from typing import Any

from graph.card import STAGE_NAMES, Card, ExternalExchange, InternalExchange, Recipients
from graph.synth.agencies import Agency, Landscape
from graph.synth.words import vocabulary

__all__ = ["INQUIRY_SHARES", "Composer"]

# Inquiry mode of an exchange row: None is a row whose boxes were all left blank.
INQUIRY_SHARES: dict[str | None, float] = {
    "online": 0.68,
    "batch": 0.12,
    "non_electronic": 0.12,
    None: 0.08,
}
_CHANNELS = ("web", "mobile_app", "email", "post", "call_center", "sms", "counter_office")
_LIFE_EVENTS = (
    "birth", "education", "health", "tax", "business", "social_security",
    "property_registration", "urban_facilities", "insurance", "marriage", "retirement",
    "certificates", "death", "other",
)  # fmt: skip
_LEVEL_OF = {"national": "national", "provincial": "provincial", "city": "city"}


def _subset(rng: random.Random, options: dict[str, float]) -> list[str]:
    """Each option with its own probability, at least one (the most likely) kept."""
    chosen = [o for o, p in options.items() if rng.random() < p]
    return chosen or [max(options, key=options.__getitem__)]


class Composer:
    """Draws cards one after another; service IDs are unique within one composer."""

    def __init__(self, landscape: Landscape, rng: random.Random) -> None:
        self.land = landscape
        self.rng = rng
        self.words = vocabulary()
        self._ids: set[str] = set()
        # Agencies publish very different numbers of cards: a Pareto weight per agency.
        self._weights = [rng.paretovariate(1.2) for _ in landscape.agencies]
        self._modes = list(INQUIRY_SHARES)
        self._mode_weights = list(INQUIRY_SHARES.values())

    def _service_id(self) -> str:
        while True:
            digits = self.rng.choice((10, 11, 11))
            sid = str(self.rng.randrange(10 ** (digits - 1), 10**digits))
            if sid not in self._ids:
                self._ids.add(sid)
                return sid

    def _inquiry(self) -> str | None:
        return self.rng.choices(self._modes, self._mode_weights)[0]

    def card(self, source: str) -> Card:
        """One card; ``source`` is the file name it will be written under."""
        rng, w = self.rng, self.words
        agency: Agency = rng.choices(self.land.agencies, self._weights)[0]
        objects = w["domains"][agency.domain] + w["domains"]["general"][:1]
        obj = rng.choice(objects)
        verb = rng.choice(w["verbs"])
        title = f"{verb} {obj}"
        sid = self._service_id()
        sub: dict[str, Any] = {}
        if rng.random() < 0.06:
            sub = {
                "subservice_title": f"{title} {rng.choice(('اشخاص حقیقی', 'اشخاص حقوقی'))}",
                "subservice_id": sid[:-3] + f"{rng.randint(1, 9)}00",
            }
        card = Card(
            source=source,
            title=title,
            service_id=sid,
            agency=agency.name,
            parent_agency=agency.parent,
            description=rng.choice(w["descriptions"]).format(verb=verb, object=obj),
            service_types=_subset(rng, {"G2C": 0.7, "G2B": 0.3, "G2G": 0.15}),
            audience=rng.choice(w["audiences"]),
            nature=[rng.choices(("sovereign", "enterprise"), (0.7, 0.3))[0]],
            levels=[_LEVEL_OF[agency.level]],
            life_events=sorted(rng.sample(_LIFE_EVENTS, rng.randint(1, 2)), key=_LIFE_EVENTS.index),
            start_triggers=_subset(rng, {"applicant_request": 0.85, "specific_event": 0.1}),
            required_documents="، ".join(rng.sample(w["documents"], rng.randint(1, 3))),
            legal_basis=rng.choice(w["laws"]),
            recipients=self._recipients(),
            duration=rng.choice(w["durations"]),
            in_person_visits=rng.choice(w["visits"]),
            system_name=rng.choice(self.land.systems[agency.organisation])
            if rng.random() < 0.5
            else None,
            fee=rng.choice(w["fees"]),
            url=f"https://{agency.organisation.replace('-', '')}.gov.ir/s/{sid}"
            if rng.random() < 0.6
            else None,
            stages=self._stages(),
            internal_exchanges=self._internal(agency),
            external_exchanges=self._external(agency),
            processes=[
                step.format(object=obj)
                for step in sorted(rng.sample(w["steps"], rng.randint(3, 7)), key=w["steps"].index)
            ],
            form_filler=self._filler() if rng.random() < 0.7 else None,
            **sub,
        )
        return self.licensed(card) if rng.random() < 0.06 else card

    def licensed(self, card: Card) -> Card:
        """The card with licence form 2 rows for its single-field external inquiries, as
        agencies fill in when the service issues a licence (a few cards)."""
        rows = [
            {
                "form": 2,
                "inquired_agency": x.agency,
                "inquiry": x.fields[0],
                "process": "الکترونیکی",
                "fee": "رایگان",
                "validity": "1 سال",
            }
            for x in card.external_exchanges
            if x.agency and len(x.fields) == 1
        ]
        return card.model_copy(update={"licenses": rows})

    def _recipients(self) -> Recipients:
        rng = self.rng
        count = int(math.exp(rng.gauss(7.0, 2.2))) + 1  # median ~1,100, tail to millions
        period = rng.choices(("month", "season", "year"), (0.35, 0.1, 0.55))[0]
        return Recipients(count=count, period=period)

    def _stages(self) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, Any] = {}
        for name in STAGE_NAMES:
            electronic = rng.random() < 0.8
            channels = (
                sorted(rng.sample(_CHANNELS, rng.randint(1, 3)), key=_CHANNELS.index)
                if electronic
                else []
            )
            out[name] = {"electronic": electronic, "channels": channels}
        return out

    def _internal(self, agency: Agency) -> list[InternalExchange]:
        rng = self.rng
        systems = self.land.systems.get(agency.organisation, [])
        n = min(len(systems), rng.choices((0, 1, 2, 3), (0.45, 0.35, 0.15, 0.05))[0])
        return [
            InternalExchange(
                system=name,
                fields=rng.sample(self.land.field_names, rng.randint(1, 3)),
                inquiry=self._inquiry(),
            )
            for name in rng.sample(systems, n)
        ]

    def _external(self, agency: Agency) -> list[ExternalExchange]:
        rng = self.rng
        n = rng.choices((0, 1, 2, 3, 4, 5), (0.2, 0.3, 0.22, 0.14, 0.09, 0.05))[0]
        rows: list[ExternalExchange] = []
        seen: set[str] = set()
        for _ in range(n * 3):
            if len(rows) == n:
                break
            target = self.land.counterpart(rng)
            if target.notation in seen or {agency.name, agency.parent} & set(target.agency_names):
                continue
            seen.add(target.notation)
            variant = rng.random() < 0.35 and len(target.names) > 1
            no_system = rng.random() < 0.04
            k = rng.randint(1, min(3, len(target.fields)))
            rows.append(
                ExternalExchange(
                    agency=rng.choice(target.agency_names[:2]),
                    system=None
                    if no_system
                    else (rng.choice(target.names[1:]) if variant else target.names[0]),
                    fields=rng.sample(target.fields, k),
                    inquiry=self._inquiry(),
                    fee=rng.choice(("رایگان", "50000")) if rng.random() < 0.05 else None,
                )
            )
        return rows

    def _filler(self) -> dict[str, str]:
        rng, people = self.rng, self.words["people"]
        return {
            "name": f"{rng.choice(people['first'])} {rng.choice(people['last'])}",
            "phone": f"0{rng.randint(11, 87)}{rng.randint(3000000, 9999999)}",
            "email": f"it{rng.randint(1, 999)}@example.gov.ir",
            "unit": rng.choice(self.words["units"]),
        }
