"""Stable IRIs for the things a card mints: its record (= named graph), service and rows.

A card's key must survive re-ingest of a new version of the same file, so it is built from
what identifies the *service*, never from the file name or its bytes:

* ``service_id`` (plus ``-subservice_id``) when the card has an identifier;
* ``service_id`` plus a short hash of the sub-service title when a sub-service has a title
  but no identifier (so it does not collide with its parent's card);
* otherwise ``h`` + a short hash of ``match_key(agency) + "/" + match_key(title)`` (and the
  sub-service title when present), so spelling variants of the same name give the same key.

>>> from graph.card import Card
>>> card_key(Card(source="a.txt", service_id="13091710000", subservice_id="13091710100"))
'13091710000-13091710100'
>>> card_key(Card(source="a.txt", title="آموزش", agency="استانداری")) == card_key(
...     Card(source="b.txt", title="آموزش ", agency="استانداري"))
True
"""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from graph.card import Card
from graph.text import match_key
from ontology.namespace import ID

__all__ = [
    "card_key",
    "exchange_iri",
    "filler_iri",
    "license_iri",
    "parent_service_iri",
    "record_iri",
    "service_iri",
    "stage_iri",
    "step_iri",
]

_HASH_CHARS = 12


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_HASH_CHARS]


def _has_subservice(card: Card) -> bool:
    return bool(card.subservice_id or card.subservice_title)


def parent_key(card: Card) -> str:
    """The key of the main service (the card's own key when it has no sub-service)."""
    if card.service_id:
        return card.service_id
    return "h" + _short_hash(f"{match_key(card.agency)}/{match_key(card.title)}")


def card_key(card: Card) -> str:
    """The stable key of the service a card describes (see the module docstring)."""
    if not _has_subservice(card):
        return parent_key(card)
    if card.service_id and card.subservice_id:
        return f"{card.service_id}-{card.subservice_id}"
    if card.service_id:
        return f"{card.service_id}-h{_short_hash(match_key(card.subservice_title))}"
    if card.subservice_id:
        return card.subservice_id
    sub = match_key(card.subservice_title)
    return "h" + _short_hash(f"{match_key(card.agency)}/{match_key(card.title)}/{sub}")


def record_iri(key: str) -> URIRef:
    """The card record, which is also the IRI of the card's named graph."""
    return ID[f"card/{key}"]


def service_iri(key: str) -> URIRef:
    return ID[f"service/{key}"]


def parent_service_iri(card: Card) -> URIRef | None:
    """The main service a sub-service belongs to, or None for a card without a sub-service."""
    return service_iri(parent_key(card)) if _has_subservice(card) else None


def exchange_iri(key: str, n: int) -> URIRef:
    return ID[f"exchange/{key}/{n}"]


def stage_iri(key: str, stage: str) -> URIRef:
    return ID[f"stage/{key}/{stage}"]


def step_iri(key: str, n: int) -> URIRef:
    return ID[f"step/{key}/{n}"]


def license_iri(key: str, n: int) -> URIRef:
    return ID[f"license/{key}/{n}"]


def filler_iri(key: str) -> URIRef:
    return ID[f"filler/{key}"]
