"""``labels.yaml`` has the shape :class:`graph.parser.labels.Vocabulary` declares.

The parser's modules index the vocabulary by key as the TypedDict says (mypy trusts it: the
YAML loader returns ``Any``), so a key renamed, dropped or turned from a list into a
mapping in the data file must fail here rather than deep inside a card's parse.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from graph.parser.labels import LicenseWords, Vocabulary, vocabulary


def _shape_errors(value: Any, hint: Any, where: str) -> list[str]:
    """Where ``value`` differs from the type ``hint`` (a TypedDict, ``dict[str, X]`` or
    ``list[str]``), one message per difference."""
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: a mapping expected, found {type(value).__name__}"]
        hints = get_type_hints(hint)
        errors = [f"{where}.{k} missing" for k in hints if k not in value]
        errors += [f"{where}.{k} undeclared" for k in value if k not in hints]
        for key in hints.keys() & value.keys():
            errors += _shape_errors(value[key], hints[key], f"{where}.{key}")
        return errors
    origin, args = get_origin(hint), get_args(hint)
    if origin is dict:
        if not isinstance(value, dict) or not value:
            return [f"{where}: a non-empty mapping expected"]
        return [e for k, v in value.items() for e in _shape_errors(v, args[1], f"{where}.{k}")]
    if origin is list:
        if not isinstance(value, list) or not value:
            return [f"{where}: a non-empty list expected"]
        return [f"{where}: {v!r} is not text" for v in value if not isinstance(v, args[0])]
    raise AssertionError(f"{where}: no check for {hint!r}")


def test_labels_yaml_is_a_vocabulary():
    assert _shape_errors(vocabulary(), Vocabulary, "labels.yaml") == []


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"form1": ["x"], "form2": ["y"], "columns": {"row": ["ردیف"]}}, "type_words missing"),
        (
            {"form1": "x", "form2": ["y"], "columns": {"row": ["ردیف"]}, "type_words": ["صدور"]},
            "form1: a non-empty list expected",
        ),
        (
            {"form1": ["x"], "form2": ["y"], "columns": {"row": [1]}, "type_words": ["صدور"]},
            "columns.row: 1 is not text",
        ),
    ],
)
def test_a_misshapen_licences_block_is_named(broken, message):
    assert _shape_errors(broken, LicenseWords, "licenses") == [f"licenses.{message}"]
