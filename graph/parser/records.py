"""The shapes of what the parser's passes hand to :func:`graph.parser.assemble.assemble`.

Each pass builds plain dicts (cheap, and :meth:`graph.card.Card.model_validate` takes
them as they are); these types say which keys each one holds, so that a misspelled key
is a type error rather than a card that silently lacks a value. Sections 1-6 come as
:class:`Fields`, text and checkbox groups apart since both are keyed by field names. A
licence row keeps open keys: its columns are whatever heads ``labels.yaml`` names under
``licenses``.

>>> row: ExchangeRow = {"system": "سامانه شاهکار", "fields": ["کد ملی"], "inquiry": None}
>>> sorted(row)
['fields', 'inquiry', 'system']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NotRequired, TypeAlias, TypedDict

__all__ = ["ExchangeRow", "Fields", "LicenseRow", "Recipients", "StageRecord"]


class ExchangeRow(TypedDict):
    """One row of the exchange tables (sections 7 and 8); an external one (section 8,
    and a licence's inquiry of another agency) also names the agency and the fee."""

    system: str | None
    fields: list[str]
    inquiry: str | None
    agency: NotRequired[str | None]
    fee: NotRequired[str | None]


class StageRecord(TypedDict):
    """One stage of section 6: electronic or not (None: unknown) and its channels."""

    electronic: bool | None
    channels: list[str]


class Recipients(TypedDict):
    """The recipients count and the period it is counted over (``month`` ...)."""

    count: int | None
    period: str | None


@dataclass
class Fields:
    """Sections 1-6: the text of each single-value field and the checked option keys of
    each checkbox group (None: unknown), by the field names of labels.yaml (``fields``),
    and the recipients read from the text of theirs."""

    texts: dict[str, str | None]
    groups: dict[str, list[str] | None] = field(default_factory=dict)
    recipients: Recipients | None = None

    def card_values(self) -> dict[str, object]:
        """The fields as the card's keys hold them."""
        return {**self.texts, **self.groups, "recipients": self.recipients}


# A licence row keyed by its column heads (labels.yaml ``licenses.columns``), as
# ``Card.licenses`` holds it: ``form`` is 1 or 2, ``applicants`` a list, the rest text.
LicenseRow: TypeAlias = dict[str, Any]
