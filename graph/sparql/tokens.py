"""SPARQL text as tokens: the one lexer the guard and the query templates share.

Placeholders (``$system``) and dataset clauses are found among tokens, never by searching
the raw text, so a ``$word`` or ``FROM`` inside a string or a comment is left alone.

>>> [t[1] for t in tokens("SELECT * # $x\\nWHERE { ?s ?p '$y' . $z }")]
['SELECT', '*', 'WHERE', '{', '?s', '?p', "'$y'", '.', '$z', '}']
"""

from __future__ import annotations

import re

__all__ = ["Token", "tokens"]

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>\#[^\r\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                   |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<word>[?$]?[^\s{}()<>'"\#,;.]+(?:\.[^\s{}()<>'"\#,;.]+)*)
      | (?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)

Token = tuple[str, str, int, int]
"""(kind, text, start, end): kind is string, iri, word or punct."""


def tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL text, white space and comments left out."""
    return [
        (m.lastgroup or "punct", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    ]
