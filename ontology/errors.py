"""Errors that users see: one line naming the file or field and the reason, no traceback.

Anything raised as :class:`ServicegraphError` is printed by the CLI as
``servicegraph: <message>`` with exit code 2 and by the API as a problem-details body.

They are defined here, on the ground floor, because every floor raises them: ``ontology``
itself (a broken installation), ``shapes`` and everything in ``graph``, ``api`` and ``viz``.
Code imports them from their public name, :mod:`graph.errors`, which is also the name
tracebacks and pickles (query workers send errors back to the server) show.

>>> CardError.__module__, str(CardError("card.txt", "not a card"))
('graph.errors', 'card.txt: not a card')
"""

from __future__ import annotations


class ServicegraphError(Exception):
    """A failure caused by input or configuration, explained in one line."""

    exit_code = 2
    status_code = 400


class CardError(ServicegraphError):
    """A card file that cannot be read or is not a card."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class NotFoundError(ServicegraphError):
    """A service, agency, system, field or query that does not exist."""

    status_code = 404


class QueryError(ServicegraphError):
    """A SPARQL query that is malformed, refused or over a limit."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code


class StoreError(ServicegraphError):
    """The store cannot be opened, read or written."""

    status_code = 503


for _error in (ServicegraphError, CardError, NotFoundError, QueryError, StoreError):
    _error.__module__ = "graph.errors"  # the public name (see the module docstring)
