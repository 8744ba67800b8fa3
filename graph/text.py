"""Persian text normalization: the one place where card text is cleaned.

Cards arrive from PDF, Word and web pages typed on keyboards with Arabic and Persian
layouts, so the same word can be spelled with different code points (``ي``/``ی``,
``ك``/``ک``), digits come in three scripts, and bidi/ZWNJ marks appear or vanish at
random. Every module that reads or compares card text goes through these functions;
nothing else in the code base rewrites letters.

Two forms exist on purpose:

* :func:`normalize` keeps the text readable (spaces and ZWNJ where they belong) and is
  what gets stored and shown.
* :func:`match_key` drops every space, ZWNJ and punctuation mark, so that
  ``سامانه‌کارمند ایران`` and ``سامانه كارمند ايران`` compare equal. It is for
  comparing names, never for display.

>>> normalize("سامانه  كارمند   ايران")
'سامانه کارمند ایران'
>>> normalize("۱۳۰۹١٧١٠٠٠٠")
'13091710000'
>>> match_key("سامانه‌کارمند ایران") == match_key("سامانه كارمند ايران")
True
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = [
    "digits_to_ascii",
    "fold_presentation_forms",
    "fold_whitespace",
    "match_key",
    "normalize",
    "strip_marks",
]

ZWNJ = "\u200c"
ZWJ = "\u200d"
TATWEEL = "\u0640"

# Letters: Arabic presentation of Persian letters -> Persian code points.
_LETTERS = {
    "\u064a": "\u06cc",  # ي ARABIC YEH -> ی FARSI YEH
    "\u0649": "\u06cc",  # ى ALEF MAKSURA -> ی
    "\u0643": "\u06a9",  # ك ARABIC KAF -> ک KEHEH
    "\u0629": "\u0647",  # ة TEH MARBUTA -> ه
    "\u06c0": "\u0647",  # ۀ HEH WITH YEH ABOVE -> ه (the hamza is a spelling choice)
    "\u06c1": "\u0647",  # ہ HEH GOAL (Urdu keyboards) -> ه
    "\u0623": "\u0627",  # أ ALEF WITH HAMZA ABOVE -> ا only in match keys, see below
}
_DIGITS = {chr(0x06F0 + i): str(i) for i in range(10)} | {
    chr(0x0660 + i): str(i) for i in range(10)
}
_DIGIT_TABLE = str.maketrans("".join(_DIGITS), "".join(_DIGITS.values()))

# Bidi controls and other invisible marks that carry no meaning in stored text.
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad"

_DISPLAY_TABLE = str.maketrans(
    {k: v for k, v in _LETTERS.items() if k != "\u0623"}
    | _DIGITS
    | dict.fromkeys(_BIDI)
    | {TATWEEL: None, ZWJ: ZWNJ}
)
_KEY_TABLE = str.maketrans(
    _LETTERS
    | {"\u0622": "\u0627", "\u0625": "\u0627", "\u0624": "\u0648"}  # آ إ ؤ: spelling variants
    | _DIGITS
    | dict.fromkeys(_BIDI)
    | {TATWEEL: None, ZWJ: None, ZWNJ: None}
)
# str.translate with a dict looks every character up; on a whole card a regex that finds
# only the characters to change is several times faster and gives the same text.
_DISPLAY_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _DISPLAY_TABLE) + "]")


def _display_letters(text: str) -> str:
    return _DISPLAY_CHARS.sub(lambda m: m.group().translate(_DISPLAY_TABLE), text)


# Arabic diacritics (harakat) are optional in Persian writing.
_HARAKAT = re.compile("[\u064b-\u065f\u0670]")
# Runs of blanks other than one plain space (a lone space needs no replacing: much faster).
_SPACES = re.compile(
    r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000][ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]*"
    r"| [ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+"
)
_ZWNJ_RUNS = re.compile(f"{ZWNJ}+")
# A ZWNJ next to a space or at a word edge is an extraction artefact, not a half-space.
# Only blanks within a line count: a line break next to a ZWNJ must survive.
_ZWNJ_EDGES = re.compile(rf"[ \t]*{ZWNJ}[ \t]+|[ \t]+{ZWNJ}[ \t]*|^{ZWNJ}|{ZWNJ}$", re.MULTILINE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def digits_to_ascii(text: str) -> str:
    """Turn Persian (۰-۹) and Arabic-Indic (٠-٩) digits into ASCII ones.

    >>> digits_to_ascii("شماره ۱۲٣")
    'شماره 123'
    """
    return text.translate(_DIGIT_TABLE)


def strip_marks(text: str) -> str:
    """Remove bidi controls, BOM, soft hyphens and tatweel; keep ZWNJ.

    >>> strip_marks("\u200fسلام\u200e") == "سلام"
    True
    """
    return text.translate(str.maketrans(dict.fromkeys(_BIDI + TATWEEL)))


_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")


def fold_presentation_forms(text: str) -> str:
    """Fold Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFE) to plain letters.

    PDF producers often map shaped glyphs to these code points; NFKC turns each into the
    letters it stands for, in logical order (a lam-alef ligature becomes «لا», never «ال»).
    Only these code points are folded: NFKC elsewhere would rewrite digits and symbols.

    >>> fold_presentation_forms("\ufeb3\ufefc\ufee3\ufe96 ①") == "سلامت ①"
    True
    """
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def fold_whitespace(text: str) -> str:
    """Collapse runs of spaces, tabs and NBSP on each line; trim each line.

    Newlines are kept, because the card layout is line-structured.

    >>> fold_whitespace("  a \\u00a0  b \\n  c  ")
    'a b\\nc'
    """
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def normalize(text: str, *, keep_newlines: bool = False) -> str:
    """Return the stored, displayable form of card text.

    Decodes HTML entities, applies NFKC (which also folds Arabic presentation forms),
    maps Arabic letters and all digits to their Persian/ASCII forms, drops bidi marks,
    tatweel and harakat, turns ZWJ into ZWNJ and drops ZWNJ that touch a space, and
    folds whitespace. With ``keep_newlines`` line breaks survive (each line trimmed);
    otherwise the text becomes one line.

    >>> normalize("  وزارت&nbsp;امور   اقتصادي\\u200c ")
    'وزارت امور اقتصادی'
    >>> normalize("مي\u200cشود")
    'می\u200cشود'
    """
    if not text:
        return ""
    text = _HARAKAT.sub("", _display_letters(_unicode(text)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if ZWNJ in text:
        text = _ZWNJ_RUNS.sub(ZWNJ, text)
        text = _ZWNJ_EDGES.sub(lambda m: " " if m.group().strip(ZWNJ) else "", text)
    text = fold_whitespace(text)
    if not keep_newlines:
        text = " ".join(part for part in text.split("\n") if part)
    return text


def match_key(text: str | None) -> str:
    """Return the comparison key of a name: normalized, lower-case, no spaces or punctuation.

    Two spellings of one name get the same key; the key is never shown to people.

    >>> match_key("سامانه‌ی «شاهکار»") == match_key("سامانه ي شاهكار")
    True
    >>> match_key("G.S.B")
    'gsb'
    """
    if not text:
        return ""
    text = _HARAKAT.sub("", _unicode(text).translate(_KEY_TABLE)).casefold()
    return _NOT_WORD.sub("", text)


def _unicode(text: str) -> str:
    """HTML entities decoded and NFKC applied: where the stored form and the key start."""
    text = html.unescape(text) if "&" in text else text
    return unicodedata.normalize("NFKC", text)
