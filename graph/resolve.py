"""Name resolution: the agency, system and data-item names of cards, matched to the register.

Cards name the same counterpart in many ways (``سرویس شاهکار``, ``سامانه شاهکار``,
``شاهكار``; ``اقتصاد و دارایی`` for the Ministry of Economic Affairs and Finance). The
builder turns each name into one node, so that an impact query on Shahkar finds every
service that names it. Matching runs in passes, each only when the previous one fails:

1. the :func:`graph.text.match_key` of the name against every prefLabel, altLabel and
   rdfs:label of the register (score 1.0);
2. agencies only: a trailing province name dropped (``استانداری اصفهان`` -> ``استانداری``);
3. the *core* of the name, with generic words stripped at word boundaries (``سامانه``,
   ``سرویس``, ``وزارت``, ``سازمان``, ``اداره کل``, ``ایران``, ``کشور`` ...), against the
   cores of the labels; a core shared by several entries is used only when the context
   (the agency of a system, the parent of an agency) picks one (score 1.0);
4. agencies only: a plural ``دستگاه‌های ...`` name is the collective «all executive
   agencies» entry, never a fuzzy guess at one real agency;
5. a conservative fuzzy match (:class:`difflib.SequenceMatcher`) at :data:`FUZZY_THRESHOLD`,
   only when the core has at least :data:`FUZZY_MIN_CORE` letters (so the short acronyms
   سامد/سادا/سناما/سجاده/سجاد never stand in for each other), and only when no other entry
   scores within :data:`FUZZY_MARGIN` of the best;
6. otherwise a stable node ``id/<kind>/<hash of the key>``: the same unknown name in two
   cards is one node.

>>> resolver = Resolver.default()
>>> resolver.system("سرویس شاهكار").iri
rdflib.term.URIRef('https://w3id.org/servicegraph/ref/system/shahkar')
>>> resolver.agency("اقتصاد و دارایی").label
'وزارت امور اقتصادی و دارایی'
>>> resolver.agency("ندارد") is None
True
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from itertools import chain
from typing import Literal

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from graph.text import match_key, normalize
from ontology.namespace import ID, REF, SG

__all__ = ["FUZZY_MARGIN", "FUZZY_MIN_CORE", "FUZZY_THRESHOLD", "Resolution", "Resolver"]

Kind = Literal["agency", "system", "field"]
KINDS: tuple[Kind, ...] = ("system", "agency", "field")
_CLASS = {"agency": SG.Agency, "system": SG.System, "field": SG.ExchangedField}

# Chosen with tests/graph/test_resolve.py: a one-letter typo, drop or addition in a name of
# 6+ core letters scores >= 0.9. Distinct register entries score < 0.88 against each other
# except pairs one letter apart in a distinguishing word (حقوقی/حقیقی, استاندارد/استانداری):
# those are exact aliases, and a name scoring near both is refused by FUZZY_MARGIN.
FUZZY_THRESHOLD = 0.88
FUZZY_MIN_CORE = 6
FUZZY_MARGIN = 0.03

_PLACEHOLDERS = frozenset(match_key(p) for p in ("ندارد", "ندارند", "نداریم", "هیچ", "none", "na"))


def _phrases(texts: str) -> tuple[tuple[str, ...], ...]:
    """``|``-separated phrases as word-key tuples, longest first («سامانه ملی» before «سامانه»)."""
    seqs = {tuple(match_key(w) for w in t.split()) for t in texts.split("|")}
    return tuple(sorted(seqs, key=len, reverse=True))


_PREFIXES: dict[Kind, tuple[tuple[str, ...], ...]] = {
    "agency": _phrases("وزارت|سازمان|اداره کل|اداره|ادارات|شرکت|تمامی|تمام|کلیه|همه|سایر"),
    "system": _phrases(
        "سامانه ملی|سامانه جامع|سامانه یکپارچه|سامانه|سیستم|وب سرویس|وب‌سرویس|سرویس|سرویس‌های"
        "|استعلام|سایر"
    ),
    "field": _phrases("استعلام|تبادل"),
}
_SUFFIXES: dict[Kind, tuple[tuple[str, ...], ...]] = {
    "agency": _phrases("جمهوری اسلامی ایران|ایران|کشور|استان"),
    "system": _phrases("ایران|کشور"),
    "field": _phrases(
        "کاربران|کاربر|افراد|متقاضی|متقاضیان|مشتریان|اشخاص|شهروندان|خدمت گیرندگان"
        "|مراجعه کنندگان|مراجعه کننده"
    ),
}
_PROVINCES = _phrases(
    "تهران|اصفهان|فارس|خراسان رضوی|خراسان شمالی|خراسان جنوبی|آذربایجان شرقی|آذربایجان غربی"
    "|اردبیل|البرز|ایلام|بوشهر|چهارمحال و بختیاری|خوزستان|زنجان|سمنان|سیستان و بلوچستان"
    "|قزوین|قم|کردستان|کرمان|کرمانشاه|کهگیلویه و بویراحمد|گلستان|گیلان|لرستان|مازندران"
    "|مرکزی|هرمزگان|همدان|یزد"
)
_GLUED = frozenset(match_key(s) for s in ("ها", "های", "هایی", "ی", "ای", "هاى"))
_SPLIT = re.compile(r"[\s\u200c]+")
_COLLECTIVE_HEADS = (match_key("دستگاه‌های"), match_key("دستگاه‌ها"))
_COLLECTIVE = REF["agency/all-executive-agencies"]
_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Resolution:
    """The node a name stands for, and how sure the match is."""

    iri: URIRef
    label: str  # preferred Persian label (reference) or the normalized name as written
    status: Literal["reference", "fuzzy", "unresolved"]
    score: float  # 1.0 exact key/alias match, the similarity ratio when fuzzy, 0.0 unresolved
    kind: Kind
    label_en: str | None = None


@dataclass(frozen=True)
class _Entry:
    iri: URIRef
    kind: Kind
    label: str
    label_en: str | None
    up: tuple[URIRef, ...]  # parent agency (agencies) or operator (systems)


def _tokens(text: str) -> list[str]:
    """Match keys of the words of a name; plural/ezafe endings cut off by ZWNJ rejoin."""
    out: list[str] = []
    for word in _SPLIT.split(normalize(text)):
        key = match_key(word)
        if not key:
            continue
        if out and key in _GLUED:
            out[-1] += key
        else:
            out.append(key)
    return out


def _strip(tokens: list[str], kind: Kind) -> list[str]:
    """Drop generic leading/trailing words, never down to nothing."""
    changed = True
    while changed:
        changed = False
        for seq in _PREFIXES[kind]:
            n = len(seq)
            head = tuple(t.removesuffix("ی") if i == n - 1 else t for i, t in enumerate(tokens[:n]))
            if len(tokens) > n and (tuple(tokens[:n]) == seq or head == seq):
                tokens, changed = tokens[n:], True
                break
        for seq in _SUFFIXES[kind]:
            n = len(seq)
            if len(tokens) > n and tuple(tokens[-n:]) == seq:
                tokens, changed = tokens[:-n], True
                break
    return tokens


def _bigrams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def _without_province(tokens: list[str]) -> list[str]:
    for seq in _PROVINCES:
        n = len(seq)
        if len(tokens) > n and tuple(tokens[-n:]) == seq:
            return tokens[:-n]
    return tokens


class Resolver:
    """Resolves names against a reference graph; results are cached per name and context."""

    def __init__(self, reference: Graph) -> None:
        self._entries: dict[URIRef, _Entry] = {}
        self._slugs: dict[str, list[URIRef]] = defaultdict(list)
        self._exact: dict[Kind, dict[str, set[URIRef]]] = {k: defaultdict(set) for k in KINDS}
        self._core: dict[Kind, dict[str, set[URIRef]]] = {k: defaultdict(set) for k in KINDS}
        self._fuzzy_keys: dict[Kind, set[tuple[str, URIRef]]] = {k: set() for k in KINDS}
        self._fuzzy: dict[Kind, list[tuple[str, URIRef, frozenset[str]]]] = {}
        self._fuzzy_lengths: dict[Kind, list[int]] = {}
        self._cache: dict[tuple[str, str, URIRef | None], Resolution | None] = {}
        self._raw: dict[tuple[str, str | None, str | None], Resolution | None] = {}
        self._collective = {
            s
            for s in reference.subjects(SG.collective, None)
            if reference.value(s, SG.collective).toPython() is True
        }
        for kind in KINDS:
            for iri in sorted(set(reference.subjects(RDF.type, _CLASS[kind]))):
                if isinstance(iri, URIRef):
                    self._add(reference, kind, iri)
        # Letter pair -> positions in self._fuzzy[kind]: the fuzzy pass counts shared pairs
        # for the candidates that have any (C-level Counter) instead of testing every one.
        self._postings: dict[Kind, dict[str, list[int]]] = {}
        self._gram_counts: dict[Kind, list[int]] = {}
        for kind in KINDS:
            pairs = sorted(self._fuzzy_keys[kind], key=lambda p: (len(p[0]), p))
            self._fuzzy[kind] = [(key, iri, _bigrams(key)) for key, iri in pairs]
            self._fuzzy_lengths[kind] = [len(key) for key, _ in pairs]
            postings: dict[str, list[int]] = defaultdict(list)
            for i, (_, _, grams) in enumerate(self._fuzzy[kind]):
                for gram in grams:
                    postings[gram].append(i)
            self._postings[kind] = dict(postings)
            self._gram_counts[kind] = [len(grams) for _, _, grams in self._fuzzy[kind]]

    def _add(self, graph: Graph, kind: Kind, iri: URIRef) -> None:
        labels = [
            o
            for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)
            for o in graph.objects(iri, p)
        ]
        fa = next((str(o) for o in labels if getattr(o, "language", None) == "fa"), None)
        en = next((str(o) for o in labels if getattr(o, "language", None) == "en"), None)
        pref_en = next(
            (
                str(o)
                for o in graph.objects(iri, SKOS.prefLabel)
                if getattr(o, "language", None) == "en"
            ),
            en,
        )
        up_predicate = ORG.subOrganizationOf if kind == "agency" else SG.operatedBy
        up = tuple(sorted(o for o in graph.objects(iri, up_predicate) if isinstance(o, URIRef)))
        label = normalize(fa or en or str(iri).rsplit("/", 1)[-1])
        self._entries[iri] = _Entry(iri, kind, label, pref_en, up)
        notation = graph.value(iri, SKOS.notation)
        self._slugs[str(notation or str(iri).rsplit("/", 1)[-1]).casefold()].append(iri)
        for text in labels:
            tokens = _tokens(str(text))
            if not tokens:
                continue
            key, core = "".join(tokens), "".join(_strip(tokens, kind))
            self._exact[kind][key].add(iri)
            self._core[kind][core].add(iri)
            if len(core) >= FUZZY_MIN_CORE:  # a short name is never a fuzzy target either
                self._fuzzy_keys[kind] |= {(key, iri), (core, iri)}

    @classmethod
    def default(cls) -> Resolver:
        """The shared resolver over the packaged register (``ontology/reference/*.ttl``)."""
        return _default()

    # -- public API -------------------------------------------------------------------------

    def agency(self, name: str | None, *, context: str | None = None) -> Resolution | None:
        """Resolve an agency name; ``context`` (its parent agency) breaks ties."""
        return self._front("agency", name, context)

    def system(self, name: str | None, *, agency: str | None = None) -> Resolution | None:
        """Resolve a system name; ``agency`` prefers the systems that agency operates."""
        return self._front("system", name, agency)

    def field(self, name: str | None) -> Resolution | None:
        """Resolve an exchanged data item (کد ملی, شماره تلفن همراه, ...)."""
        return self._front("field", name, None)

    def lookup(self, text: str) -> list[Resolution]:
        """Register entries of any kind for an IRI, ``kind/slug``, slug, label or alias.

        Best first; empty when nothing in the register matches (nothing is minted).

        >>> [r.iri.rsplit("/", 2)[-2:] for r in Resolver.default().lookup("Shahkar")]
        [['system', 'shahkar']]
        """
        text = (text or "").strip()
        if not text:
            return []
        # Only IRI-shaped text becomes a URIRef: rdflib logs a warning for names with spaces.
        iri_like = not any(c.isspace() or c in '<>"{}|\\^`' for c in text)
        if iri_like and URIRef(text) in self._entries:
            iris = [URIRef(text)]
        elif iri_like and REF[text] in self._entries:
            iris = [REF[text]]
        else:
            iris = list(self._slugs.get(text.casefold(), ()))
        if iris:
            return [self._reference(self._entries[i], "reference", 1.0) for i in iris]
        found = [self._resolve(kind, text, None, mint=False) for kind in KINDS]
        hits = [r for r in found if r is not None]
        return sorted(hits, key=lambda r: -r.score)

    # -- matching ---------------------------------------------------------------------------

    def _context_iri(self, name: str | None) -> URIRef | None:
        hit = self._resolve("agency", name, None, mint=False) if name else None
        return hit.iri if hit else None

    def _front(self, kind: Kind, name: str | None, context: str | None) -> Resolution | None:
        """Cache on the names exactly as given: ingest repeats the same strings many times."""
        raw = (kind, name, context)
        if raw not in self._raw:
            if len(self._raw) >= _CACHE_LIMIT:  # untrusted names must not grow memory forever
                self._raw.clear()
                self._cache.clear()
            self._raw[raw] = self._resolve(kind, name, self._context_iri(context))
        return self._raw[raw]

    def _resolve(
        self, kind: Kind, name: str | None, ctx: URIRef | None, *, mint: bool = True
    ) -> Resolution | None:
        text = normalize(name or "")
        cache_key = (kind + ("" if mint else "?"), text, ctx)
        if cache_key not in self._cache:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[cache_key] = self._match(kind, text, ctx, mint)
        return self._cache[cache_key]

    def _match(self, kind: Kind, text: str, ctx: URIRef | None, mint: bool) -> Resolution | None:
        tokens = _tokens(text)
        key = "".join(tokens)
        if not key or key in _PLACEHOLDERS:
            return None
        variants = [tokens]
        if kind == "agency":
            variants.append(_without_province(tokens))
        for variant in variants:
            hit = self._pick(self._exact[kind].get("".join(variant), set()), ctx)
            if hit:
                return self._reference(self._entries[hit], "reference", 1.0)
        core = "".join(_strip(variants[-1], kind))
        hit = self._pick(self._core[kind].get(core, set()), ctx)
        if hit:
            return self._reference(self._entries[hit], "reference", 1.0)
        if kind == "agency" and core.startswith(_COLLECTIVE_HEADS) and _COLLECTIVE in self._entries:
            return self._reference(self._entries[_COLLECTIVE], "reference", 1.0)
        if len(core) >= FUZZY_MIN_CORE:
            fuzzy = self._fuzzy_match(kind, key, core, ctx)
            if fuzzy:
                return fuzzy
        if not mint:
            return None
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        return Resolution(ID[f"{kind}/{digest}"], text, "unresolved", 0.0, kind)

    def _pick(self, iris: set[URIRef], ctx: URIRef | None) -> URIRef | None:
        """The one candidate, or the one the context agency relates to; else none."""
        if len(iris) == 1:
            return next(iter(iris))
        if not iris or ctx is None:
            return None
        near = [i for i in iris if self._related(self._entries[i], ctx)]
        return near[0] if len(near) == 1 else None

    def _related(self, entry: _Entry, ctx: URIRef) -> bool:
        """Whether ``ctx`` is the entry's parent/operator or one of their ancestors or children."""
        if entry.iri == ctx:
            return True
        seen: set[URIRef] = set()
        todo = list(entry.up)
        while todo:
            iri = todo.pop()
            if iri == ctx:
                return True
            if iri not in seen and iri in self._entries:
                seen.add(iri)
                todo.extend(self._entries[iri].up)
        ctx_entry = self._entries.get(ctx)
        return bool(ctx_entry and set(ctx_entry.up) & set(entry.up))

    def _fuzzy_match(
        self, kind: Kind, key: str, core: str, ctx: URIRef | None
    ) -> Resolution | None:
        best: dict[URIRef, float] = {}
        span = (2 - FUZZY_THRESHOLD) / FUZZY_THRESHOLD  # beyond it no ratio reaches the bar
        candidates, lengths = self._fuzzy[kind], self._fuzzy_lengths[kind]
        postings, gram_counts = self._postings[kind], self._gram_counts[kind]
        for query in {key, core}:
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(query)
            grams = _bigrams(query)
            start = bisect_left(lengths, len(query) / span)
            stop = bisect_right(lengths, len(query) * span)
            shared = Counter(chain.from_iterable(postings.get(g, ()) for g in grams))
            # A ratio >= 0.88 leaves most letter pairs intact: a candidate needs
            # 2 * shared >= min(pairs of query, pairs of candidate). Most share a pair or
            # two, so walk the counts from the top and stop below the least any candidate
            # in the length window could need. (Candidates sharing no pair never pass:
            # every fuzzy key has at least one pair.)
            floor = min(len(grams), min(gram_counts[start:stop], default=0))
            for i, count in shared.most_common():
                if 2 * count < floor:
                    break
                if not start <= i < stop or 2 * count < min(len(grams), gram_counts[i]):
                    continue
                candidate, iri, _ = candidates[i]
                matcher.set_seq1(candidate)
                if matcher.quick_ratio() < FUZZY_THRESHOLD:
                    continue
                ratio = matcher.ratio()
                if ratio >= FUZZY_THRESHOLD and ratio > best.get(iri, 0.0):
                    best[iri] = ratio
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        top, score = ranked[0]
        rivals = {iri for iri, s in ranked if score - s < FUZZY_MARGIN}
        if len(rivals) > 1:
            picked = self._pick(rivals, ctx)
            if picked is None:
                return None
            top, score = picked, best[picked]
        return self._reference(self._entries[top], "fuzzy", round(score, 3))

    @staticmethod
    def _reference(
        entry: _Entry, status: Literal["reference", "fuzzy"], score: float
    ) -> Resolution:
        return Resolution(entry.iri, entry.label, status, score, entry.kind, entry.label_en)

    def is_collective(self, iri: URIRef) -> bool:
        """Whether a register entry stands for many agencies or systems (``sg:collective``)."""
        return iri in self._collective


@cache
def _default() -> Resolver:
    from ontology import load_reference

    return Resolver(load_reference())
