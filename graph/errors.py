"""The errors users see, by their public name (defined in :mod:`ontology.errors`).

Raise :class:`CardError` from readers, :class:`QueryError` for a refused or malformed query,
:class:`NotFoundError` for a missing entity, :class:`StoreError` when the store fails; the
CLI prints each as one line (exit 2) and the API as a problem-details body.
"""

from __future__ import annotations

from ontology.errors import CardError, NotFoundError, QueryError, ServicegraphError, StoreError

__all__ = ["CardError", "NotFoundError", "QueryError", "ServicegraphError", "StoreError"]
