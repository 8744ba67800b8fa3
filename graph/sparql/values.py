"""Result terms as JSON values: what the CLI's ``query`` and the REST API print.

>>> plain(Literal(3)), plain(Literal("شاهکار", lang="fa")), plain(None)
(3, 'شاهکار', None)
>>> from rdflib import URIRef
>>> from rdflib.namespace import XSD
>>> plain(URIRef("urn:x")), plain(Literal("true", datatype=XSD.boolean))
('urn:x', True)
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal
from rdflib.term import Node

__all__ = ["plain"]


def plain(term: Node | None) -> Any:
    """A JSON value for a term: IRIs and text as strings, numbers and booleans as such."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool | int | float):
            return value
        return str(term)
    return str(term)
