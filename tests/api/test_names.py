"""One name lookup: the same text names the same entity at every entry point.

Each row of the table is a text as a person types it (Persian, English, Arabic letters,
without ZWNJ, a slug, a key, an IRI, an ambiguous or an unknown name) and what it names.
Every entry point is asked: the CLI's ``impact`` (and so ``dataflow``), the API's
``/impact/{kind}/{id}`` and ``/viz/impact/{kind}/{key}``, the maps' ``find_node``, the
resource routes ``/agencies/{id}`` and ``/systems/{id}``, and a catalogue query's
parameter. A filter (a catalogue parameter) takes every entity an ambiguous name matches:
exactly the candidates the other entry points list in their 409.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from graph.analysis.targets import AmbiguousTargetError, resolve_target
from graph.errors import NotFoundError
from ontology.namespace import REF
from servicegraph.cli import app
from viz.views import find_node

SHAHKAR = str(REF["system/shahkar"])
POSTAL = str(REF["system/postal-code"])
GOVERNORATE = str(REF["agency/governorate"])
PBO = str(REF["agency/pbo"])
IDENTITY = str(REF["field/identity-record"])
AMBIGUOUS, UNKNOWN = "ambiguous", "unknown"

SPELLINGS = [
    ("شاهکار", "system", SHAHKAR),
    ("شاهكار", "system", SHAHKAR),  # Arabic kaf
    ("Shahkar", "system", SHAHKAR),
    ("shahkar", "system", SHAHKAR),
    ("system/shahkar", "system", SHAHKAR),
    ("ref/system/shahkar", "system", SHAHKAR),
    (SHAHKAR, "system", SHAHKAR),
    ("سرویس\u200cهای پایه کد پستی", "system", POSTAL),
    ("سرویسهای پایه کد پستی", "system", POSTAL),  # ZWNJ left out
    ("سرويس‌هاي پايه كد پستي", "system", POSTAL),  # Arabic yeh and kaf
    ("استانداري", "agency", GOVERNORATE),  # Arabic yeh
    ("استانداری", "agency", GOVERNORATE),
    ("governorate", "agency", GOVERNORATE),
    ("سازمان برنامه و بودجه", "agency", PBO),
    ("اطلاعات شناسنامه‌ای", "field", IDENTITY),
    ("اطلاعات شناسنامهاي", "field", IDENTITY),  # no ZWNJ, Arabic yeh
    ("سامانه", "system", AMBIGUOUS),
    ("ثبت احوال", "agency", str(REF["agency/nocr"])),  # the register's resolver
    ("دستگاه", "agency", AMBIGUOUS),
    ("سامانه ناموجود", "system", UNKNOWN),
    ("no-such-agency", "agency", UNKNOWN),
]
IDS = [f"{kind}:{text}" for text, kind, _ in SPELLINGS]
_RESOURCES = {"agency": "/agencies/", "system": "/systems/"}
_CATALOGUE = {"system": "services-by-system", "field": "field-recipients"}


def _outcome(error: BaseException) -> str:
    return AMBIGUOUS if isinstance(error, AmbiguousTargetError) else UNKNOWN


def _library(graph, text: str, kind: str) -> str:
    try:
        return resolve_target(graph, text, kind)
    except (AmbiguousTargetError, NotFoundError) as exc:
        return _outcome(exc)


def _http(response) -> str | None:
    """The outcome an HTTP answer says when it is no answer: 409 ambiguous, 404 unknown."""
    return {409: AMBIGUOUS, 404: UNKNOWN}.get(response.status_code)


@pytest.mark.parametrize(("text", "kind", "expected"), SPELLINGS, ids=IDS)
def test_every_entry_point_gives_the_same_answer(
    client, example_graph, example_data_dir, text, kind, expected
):
    answers = {"library": _library(example_graph, text, kind)}

    try:
        answers["viz.find_node"] = find_node(example_graph, kind, text)
    except (AmbiguousTargetError, NotFoundError) as exc:
        answers["viz.find_node"] = _outcome(exc)

    run = CliRunner().invoke(
        app,
        ["--data-dir", str(example_data_dir), "impact", text, "--kind", kind, "--format", "json"],
    )
    if run.exit_code == 0:
        answers["cli impact"] = json.loads(run.stdout)["targets"][0]["iri"]
    else:  # the console entry point prints it as one line, exit 2 (test_interfaces.py)
        assert isinstance(run.exception, NotFoundError | AmbiguousTargetError), run.exception
        answers["cli impact"] = _outcome(run.exception)

    response = client.get(f"/impact/{kind}/{text}")
    answers["/impact"] = _http(response) or response.json()["targets"][0]["iri"]

    response = client.get(f"/viz/impact/{kind}/{text}")
    assert response.status_code in (200, 404, 409)
    drawn = answers["viz.find_node"] if answers["viz.find_node"] in response.text else None
    answers["/viz/impact"] = _http(response) or drawn

    if kind in _RESOURCES:
        response = client.get(_RESOURCES[kind] + text)
        answers[_RESOURCES[kind]] = _http(response) or response.json()["iri"]

    assert set(answers.values()) == {expected}, answers


PARAMETERS = [(t, k, e) for t, k, e in SPELLINGS if k in _CATALOGUE]  # agencies: /agencies


@pytest.mark.parametrize(
    ("text", "kind", "expected"), PARAMETERS, ids=[f"{k}:{t}" for t, k, _ in PARAMETERS]
)
def test_a_catalogue_parameter_names_the_same_entities(client, example_graph, text, kind, expected):
    response = client.get(f"/queries/{_CATALOGUE[kind]}", params={kind: text, "limit": 1})
    if expected == UNKNOWN:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    bound = set(
        re.findall(r"<(https://w3id\.org/servicegraph/ref/[^>]+)>", response.json()["sparql"])
    )
    if expected == AMBIGUOUS:
        with pytest.raises(AmbiguousTargetError) as info:
            resolve_target(example_graph, text, kind)
        assert bound == {iri for iri, _, _ in info.value.candidates}
    else:
        assert bound == {expected}
