"""Drawing the terminal screen's rows into the Text at the output mark.

Rows come from ``models.terminal.Screen`` as single rows, ``Block`` (plain
bulk text of one style) and ``Runs`` (coloured bulk text).  Many runs go in
as one untagged insert plus one ``tag add`` per tag with all its ranges,
which Tk takes two to three times faster than tags run by run; a ``Runs``
block gets the colours of its lines in view at once and the older ones in
the next ticks (``LazyTags``); a line longer than ``fold_at`` is folded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from tkinter import font as tkfont
from typing import Any

from ...models.ansi import Style
from ...models.terminal import Block, Row, Runs, row_head, row_length, row_text, runs_rows
from ..guarded_text import GuardedText
from .fold import HEAD, Fold
from .lazytags import LazyTags, ranges_by_tag
from .textstyles import TagPool

OUT = "out"  # mark: where output is written (right gravity; the writer sets it up)
RANGES_FROM = 16  # parts (8 runs) from which runs are inserted untagged, then tagged by ranges
LAZY_MIN_LINES = 8  # a block's lines coloured at once at least (more: those in view)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class RowPainter:
    """Inserts rows with their tags; counts the lines it folded (per cell)."""

    def __init__(
        self,
        text: GuardedText,
        tags: TagPool,
        font: tkfont.Font,
        fold_at: int,
        before_fold: Callable[[], None],
    ) -> None:
        self.text = text
        self.tags = tags
        self.font = font
        self.fold_at = fold_at
        self.before_fold = before_fold  # a fold must not split the screen's live rows
        self.folds = 0  # long lines folded in this cell (their text is in widgets)
        self._key_tags: dict[Any, tuple[str, ...]] = {}
        self._style_tags: dict[int, tuple[Style, tuple[str, ...]]] = {}  # by id: no hashing
        self.lazy = LazyTags(text, self._colour_tags)

    def new_cell(self) -> None:
        """A new cell's output (or a cleared one): its folds are counted afresh."""
        self.folds = 0

    def write(self, prefix: str, rows: list[Row | Block | Runs]) -> None:
        """Draw ``rows`` at OUT, after ``prefix`` (newlines that end the rows before)."""
        parts: list[Any] = []
        pending = prefix  # newlines between rows ride on the next run
        rows = self._unblock_long_lines(rows)
        for i, row in enumerate(rows):
            if i:
                pending += "\n"
            if isinstance(row, Runs):
                if parts:
                    self._insert_runs(parts)
                    parts = []
                self._insert_styled(pending, row, self._view_lines() - (len(rows) - i - 1))
                pending = ""
            elif isinstance(row, Block):
                parts += (pending + row.text, self._tags(row.key))
                pending = ""
            else:
                pending = self._row_parts(parts, pending, row)
        if pending:
            parts += (pending, ("stdout",))
        if parts:
            self._insert_runs(parts)

    def _insert_runs(self, parts: list[Any]) -> None:
        """Insert ``(text, tags, text, tags...)`` at OUT.  Many runs go in as one
        untagged insert plus one ``tag add`` per tag with all its ranges."""
        text = "".join(parts[0::2])
        if len(parts) < RANGES_FROM or (not text.isascii() and _ASTRAL.search(text)):
            self.text.write(OUT, *parts)  # Tk counts astral characters twice
            return
        line, col = map(int, self.text.index(OUT).split("."))
        ranges, _line, _col = ranges_by_tag(parts, 0, len(parts), (line, col), _same)
        self.text.write(OUT, text, ())
        for tag, spans in ranges.items():
            self.text.tag_add(tag, *spans)

    def _view_lines(self) -> int:
        """About how many lines the view shows (more when lines wrap is fine)."""
        return self.text.winfo_height() // max(1, self.font.metrics("linespace")) + 2

    def _insert_styled(self, prefix: str, runs: Runs, in_view: int) -> None:
        """A ``Runs`` block at OUT: one untagged insert and the base tag over
        it all; its newest lines (in view) get their colour tags now, the
        older ones in the next ticks (``LazyTags``): Tk's cost is per tag
        range, and a flood of coloured lines must not hold the prompt back.
        ``in_view``: how many of its last lines may be in view."""
        flat, kind = runs.flat, runs.key
        text = prefix + "".join(flat[0::2])
        if not text.isascii() and _ASTRAL.search(text):  # Tk counts those twice
            parts: list[Any] = []
            for i in range(0, len(flat), 2):
                parts += (prefix + flat[i], self._tags((kind, flat[i + 1])))
                prefix = ""
            self.text.write(OUT, *parts)
            return
        line, col = map(int, self.text.index(OUT).split("."))
        self.text.write(OUT, text, ())
        newlines = text.count("\n")
        end = (line + newlines, len(text) - text.rfind("\n") - 1 if newlines else col + len(text))
        self.text.tag_add(str(kind), f"{line}.{col}", "{}.{}".format(*end))
        cut, cut_at = _recent_runs(flat, len(text), max(in_view, LAZY_MIN_LINES))
        if cut:  # runs before ``cut`` start after the prefix and end at ``cut_at``
            cut_line = end[0] - text.count("\n", cut_at)
            nl = text.rfind("\n", 0, cut_at)
            cut_col = cut_at - nl - 1 if nl >= 0 else col + cut_at
            nl = prefix.rfind("\n")
            first = (
                line + prefix.count("\n"),
                len(prefix) - nl - 1 if nl >= 0 else col + len(prefix),
            )
            self.lazy.add(flat[:cut], first, (cut_line, cut_col))
            line, col = cut_line, cut_col
        else:
            newlines = prefix.count("\n")
            line, col = (
                (line + newlines, len(prefix) - prefix.rfind("\n") - 1)
                if newlines
                else (line, col + len(prefix))
            )
        self._tag_runs(flat, cut, line, col)

    def _tag_runs(self, flat: list, pos: int, line: int, col: int) -> None:
        """Colour tags for ``flat[pos:]``, drawn from ``line.col``."""
        ranges, _line, _col = ranges_by_tag(flat, pos, len(flat), (line, col), self._colour_tags)
        for tag, spans in ranges.items():
            self.text.tag_add(tag, *spans)

    def _colour_tags(self, style: Style) -> tuple[str, ...]:
        """The style's tags without the base tag, cached by identity (styles
        are interned; an entry keeps its style alive, so ids are not reused)."""
        hit = self._style_tags.get(id(style))
        if hit is not None and hit[0] is style:
            return hit[1]
        if len(self._style_tags) >= 4096:
            self._style_tags.clear()
        tags = self.tags.tags(style)
        self._style_tags[id(style)] = (style, tags)
        return tags

    def _unblock_long_lines(self, rows: list[Row | Block | Runs]) -> list[Row | Block | Runs]:
        """Blocks are bulk rows drawn as one run; one holding a line to fold
        (rare) is split back into rows."""
        out: list[Row | Block | Runs] = []
        for row in rows:
            if isinstance(row, Block) and self._has_long_line(row.text):
                out += ([(line, row.key)] if line else [] for line in row.text.split("\n"))
            elif isinstance(row, Runs) and self._has_long_line("".join(row.flat[0::2])):
                out += runs_rows(row)
            else:
                out.append(row)
        return out

    def _row_parts(self, parts: list[Any], pending: str, row: Row) -> str:
        """Add one row's runs to ``parts``; folds it if too long. Returns leftover text."""
        if len(row) == 1 and len(row[0][0]) <= self.fold_at:  # the common case, fast
            text, key = row[0]
            tags = self._key_tags.get(key) or self._tags(key)
            parts += (pending + text, tags)
            return ""
        if row_length(row) > self.fold_at:
            for text, key in row_head(row, HEAD):
                parts += (pending + text, self._tags(key))
                pending = ""
            if pending:
                parts += (pending, ("stdout",))
            self.text.write(OUT, *parts)
            parts.clear()
            self._fold(row_text(row))
            return ""
        for text, key in row:
            parts += (pending + text, self._tags(key))
            pending = ""
        return pending

    def _fold(self, full: str) -> None:
        self.folds += 1
        fold = Fold(self.text, full, HEAD, before_change=self.before_fold)
        self.text.window_create(OUT, window=fold)

    def _has_long_line(self, text: str) -> bool:
        return len(text) > self.fold_at and max(map(len, text.split("\n"))) > self.fold_at

    def _tags(self, key: Any) -> tuple[str, ...]:
        tags = self._key_tags.get(key)
        if tags is None:
            kind, style = key
            tags = self._key_tags[key] = (kind, *self.tags.tags(style))
        return tags


def _recent_runs(flat: list, length: int, lines: int) -> tuple[int, int]:
    """Where the runs of the last ``lines`` lines of ``flat`` (whose texts
    total ``length`` characters) start: (index in ``flat``, character
    offset); (0, 0) when all of it is that recent."""
    seen = 0
    for i in range(len(flat) - 2, 0, -2):
        length -= len(flat[i])
        seen += flat[i].count("\n")
        if seen > lines:
            return i, length
    return 0, 0


def _same(tags: tuple[str, ...]) -> tuple[str, ...]:
    """``ranges_by_tag``'s lookup for runs that carry their tags already."""
    return tags
