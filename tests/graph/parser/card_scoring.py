"""CARD_SCHEMA.md's scoring method (a port of the shared ``score_cards.py``), so the test
suite can hold the parser to the benchmark without reaching outside the repository."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from graph.testing import EXAMPLES as CARDS


def bundled() -> list[str]:
    """Stems of the bundled example cards."""
    return sorted(p.stem for p in CARDS.glob("*.txt"))


HEADLINE = (
    "title",
    "service_id",
    "agency",
    "parent_agency",
    "service_types",
    "internal_exchanges",
    "external_exchanges",
    "processes",
)
_TRANS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "ـ": "",
        **{chr(0x6F0 + i): str(i) for i in range(10)},
        **{chr(0x660 + i): str(i) for i in range(10)},
    }
)


def norm(s):
    if s is None:
        return None
    s = unicodedata.normalize("NFKC", str(s)).translate(_TRANS)
    return re.sub(r"[\s\u200c\u200f\u200e]+", "", s)


def same(a, b) -> bool:
    a, b = norm(a), norm(b)
    if a is None or b is None:
        return a is b
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.85


def tokens(items):
    out = []
    for it in items or []:
        s = unicodedata.normalize("NFKC", str(it)).translate(_TRANS).replace("\u200c", "")
        out += [t for t in re.split(r"[\s،,؛;\-–/()]+", s) if t and t != "و"]
    return out


def f1(matched, n_pred, n_gold) -> float:
    if n_pred == 0 and n_gold == 0:
        return 1.0
    if matched == 0:
        return 0.0
    p, r = matched / n_pred, matched / n_gold
    return 2 * p * r / (p + r)


def token_f1(pred, gold) -> float:
    return list_f1(tokens(pred), tokens(gold))  # two empty lists score 1.0 (f1)


def list_f1(pred, gold, eq=same) -> float:
    if gold is None or pred is None:
        return 1.0 if gold is pred else 0.0
    left, hit = list(gold), 0
    for x in pred:
        for i, y in enumerate(left):
            if eq(x, y):
                hit += 1
                del left[i]
                break
    return f1(hit, len(pred), len(gold))


def exchanges_f1(pred, gold, external: bool) -> float:
    pred, gold = pred or [], gold or []
    if not pred and not gold:
        return 1.0

    def key(x):
        return x.get("system") or (x.get("agency") if external else None) or ""

    left, score = list(gold), 0.0
    for x in pred:
        for i, y in enumerate(left):
            ok = same(key(x), key(y))
            if (
                external
                and ok
                and x.get("agency")
                and y.get("agency")
                and x.get("system")
                and y.get("system")
            ):
                ok = same(x["agency"], y["agency"])
            if ok:
                score += 0.5 + 0.5 * token_f1(x.get("fields"), y.get("fields"))
                del left[i]
                break
    return f1(score, len(pred), len(gold)) if score else 0.0


def score_key(key: str, pred, gold) -> float:
    if key in ("internal_exchanges", "external_exchanges"):
        return exchanges_f1(pred, gold, external=key == "external_exchanges")
    if isinstance(gold, list) or isinstance(pred, list):
        return list_f1(pred, gold)
    if isinstance(gold, dict) or isinstance(pred, dict):
        return (
            1.0
            if pred == gold
            or (
                pred
                and gold
                and all(
                    same(pred.get(k), gold.get(k))
                    if isinstance(gold.get(k), str)
                    else pred.get(k) == gold.get(k)
                    for k in gold
                )
            )
            else 0.0
        )
    return 1.0 if same(pred, gold) else 0.0


def score_card(pred: dict, gold: dict, keys=HEADLINE) -> dict[str, float]:
    return {k: score_key(k, pred.get(k), gold.get(k)) for k in keys}
