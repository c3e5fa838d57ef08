"""Where the formulas are in text that MathJax would typeset (ipywidgets' HTMLMath).

The delimiters are MathJax's defaults in Jupyter: ``$...$`` and ``\\(...\\)``
inline, ``$$...$$`` and ``\\[...\\]`` on a line of their own.  A ``$`` after a
backslash is a dollar sign; an inline ``$`` formula may not start or end
with a space (so "costs $5 and $6" stays text).  Unclosed delimiters stay text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_MATH = re.compile(
    r"\$\$(?P<d1>.+?)\$\$"
    r"|\\\[(?P<d2>.+?)\\\]"
    r"|\\\((?P<i1>.+?)\\\)"
    r"|(?<![\\$])\$(?P<i2>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\$)",
    re.S,
)


class Piece(NamedTuple):
    kind: str  # "text", "inline" or "display"
    content: str  # the text, or the formula's LaTeX without its delimiters
    source: str  # exactly what the input held: the pieces' sources join to it


def split_math(text: str) -> list[Piece]:
    """``text`` cut into text and formulas, in order."""
    pieces: list[Piece] = []
    pos = 0
    for match in _MATH.finditer(text):
        name = match.lastgroup or ""
        if not match.group(name).strip():  # "$$ $$": nothing to typeset, so text
            continue
        if match.start() > pos:
            pieces.append(Piece("text", text[pos : match.start()], text[pos : match.start()]))
        kind = "display" if name.startswith("d") else "inline"
        pieces.append(Piece(kind, match.group(name).strip(), match.group()))
        pos = match.end()
    if pos < len(text):
        pieces.append(Piece("text", text[pos:], text[pos:]))
    return pieces
