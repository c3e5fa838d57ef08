"""Text in a monospaced grid: display width, clipping, and table layout.

One module for the two places that lay tables out, Markdown (``markdown.py``)
and HTML (``htmltext.py``): both build a ``Grid`` and ask it for aligned
lines, and the console's table view (``ui/htmlview.py``) sizes its columns
with the same widths.  Widths are terminal columns: wide East Asian
characters count twice, combining marks not at all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

RULE = "─"
GAP = "  "  # between columns
CELL_MAX = 40  # widest cell shown, in columns; longer cells end in "…"


def char_width(ch: str) -> int:
    """Columns one character takes in a monospaced font."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def width(s: str) -> int:
    """Columns ``s`` takes in a monospaced font."""
    return len(s) if s.isascii() else sum(map(char_width, s))


def clip(s: str, limit: int = CELL_MAX) -> str:
    """``s`` cut to ``limit`` columns, ending in "…" when cut."""
    if width(s) <= limit:
        return s
    out, w = [], 0
    for ch in s:
        cw = char_width(ch)
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def is_number(s: str) -> bool:
    """Whether a cell reads as a number (``1,234``, ``-7``, ``0.5``, ``12%``, ``NaN``)."""
    t = s.replace(",", "").replace("_", "").removesuffix("%").strip()
    if not t or len(t) > 40:
        return False
    try:
        float(t)
    except ValueError:
        return False
    return True


def pad(s: str, columns: int, align: str) -> str:
    """``s`` padded to ``columns``: ``align`` is "l", "r" or "c"."""
    gap = columns - width(s)
    if align == "r":
        return " " * gap + s
    if align == "c":
        return " " * (gap // 2) + s + " " * (gap - gap // 2)
    return s + " " * gap


@dataclass(slots=True)
class Cell:
    """One grid cell: its text and the looks the source gave it (CSS colours, bold)."""

    text: str = ""
    header: bool = False
    fg: str | None = None
    bg: str | None = None
    bold: bool = False


@dataclass(slots=True)
class Grid:
    """A rectangular table: ``head`` header rows, then body rows; ``aligns`` per column."""

    rows: list[list[Cell]]
    head: int = 0
    aligns: list[str] = field(default_factory=list)
    caption: str = ""

    @property
    def ncols(self) -> int:
        return len(self.aligns)

    def widths(self) -> list[int]:
        """Columns each grid column needs (its widest cell)."""
        return [max((width(r[c].text) for r in self.rows), default=0) for c in range(self.ncols)]

    def lines(self) -> list[str]:
        """The table as aligned text lines, a rule under the header rows."""
        widths = self.widths()
        out = [self.caption] if self.caption else []
        for k, row in enumerate(self.rows):
            if k == self.head and 0 < self.head < len(self.rows):
                out.append(RULE * (sum(widths) + len(GAP) * (self.ncols - 1)))
            cells = [pad(c.text, w, a) for c, w, a in zip(row, widths, self.aligns, strict=True)]
            out.append(GAP.join(cells).rstrip())
        return out


def numeric_aligns(rows: list[list[Cell]], head: int, ncols: int) -> list[str]:
    """Right-align columns whose body cells are all numbers ("..." rows do not count)."""
    aligns = []
    for c in range(ncols):
        body = [r[c].text for r in rows[head:] if r[c].text and r[c].text not in ("...", "…")]
        aligns.append("r" if body and all(is_number(x) for x in body) else "l")
    return aligns


def square(rows: list[list[Cell]]) -> int:
    """Pad ragged rows with empty cells; returns the column count."""
    ncols = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend(Cell() for _ in range(ncols - len(r)))
    return ncols
