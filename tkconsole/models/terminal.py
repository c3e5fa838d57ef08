"""The live tail of a cell's terminal output, as a terminal would keep it.

Progress bars rewrite their line with ``\\r``, nested bars move the cursor
up and down, and erase sequences blank what was there.  ``Screen`` applies
all of that to the last few rows only (older rows can no longer change and
are handed to the view once), and reports just the rows that changed since
the last ``flush``: a 20,000-step ``\\r`` bar arriving in one batch costs the
view a single line rewrite.

Rows are lists of ``(text, key)`` runs; ``key`` is whatever the caller uses
to style text (the view passes its tag tuple), the model never looks at it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .ansi import Control, Segment, Text

Run = tuple[str, Hashable]
Row = list[Run]

LIVE_ROWS = 64  # rows the cursor can still reach; tqdm needs one per bar
BLOCK_LINES_CHARS = 4096  # longer texts may hold enough lines for the bulk path

Flat = list[Any]  # styled runs, flattened: [text, style, text, style, ...]


@dataclass
class Block:
    """Complete rows in one style that arrived together, joined by ``\\n``."""

    text: str
    key: Hashable


@dataclass
class Runs:
    """Complete rows that arrived together as styled runs: ``flat`` is
    ``[text, style, text, style, ...]`` (texts may hold newlines); each run's
    key is ``(key, style)``.  The view draws it in one go, run by run."""

    key: Hashable
    flat: Flat


@dataclass
class Update:
    """What the view must redraw: delete its live region from row ``start``
    on, write ``rows`` (each a ``Row`` or a ``Block``) separated by newlines,
    then move the start of its live region down by ``advance`` rows."""

    start: int
    rows: list[Row | Block | Runs] = field(default_factory=list)
    advance: int = 0


def after_newlines(text: str, n: int) -> int:
    """Index just after the ``n``-th newline of ``text`` (0 for ``n <= 0``), -1
    if it has fewer.  Linear and at C speed: halving with ``str.count`` finds
    the stretch that holds it, so a million-line text costs no Python loop."""
    if n <= 0:
        return 0
    lo, hi = 0, len(text)
    if text.count("\n", lo, hi) < n:
        return -1
    while hi - lo > 512:
        mid = (lo + hi) // 2
        below = text.count("\n", lo, mid)
        if below >= n:
            hi = mid
        else:
            n -= below
            lo = mid
    for _ in range(n):
        lo = text.index("\n", lo) + 1
    return lo


def last_lines_start(text: str, n: int) -> int:
    """Where the last ``n`` newline-ended lines of ``text`` start (a partial
    line after the last newline comes along); 0 if it has no more than that."""
    return max(0, after_newlines(text, text.count("\n") - n))


def runs_rows(runs: Runs) -> list[Row]:
    """The rows of a ``Runs`` block, for views that must draw row by row."""
    rows: list[Row] = [[]]
    flat, key = runs.flat, runs.key
    for i in range(0, len(flat), 2):
        pieces = flat[i].split("\n")
        style = flat[i + 1]
        for j, piece in enumerate(pieces):
            if j:
                rows.append([])
            if piece:
                _append(rows[-1], piece, (key, style))
    return rows


def row_text(row: Row) -> str:
    return "".join(text for text, _key in row)


def row_length(row: Row) -> int:
    return sum(len(text) for text, _key in row)


def row_head(row: Row, col: int) -> Row:
    """The runs before ``col``, without copying what lies after it."""
    head: Row = []
    for text, key in row:
        if col <= 0:
            break
        head.append((text[:col], key))
        col -= len(text)
    return head


def split_row(row: Row, col: int) -> tuple[Row, Row]:
    """Cut a row at a column into the runs before and after it."""
    left: Row = []
    pos = 0
    for i, (text, key) in enumerate(row):
        end = pos + len(text)
        if end <= col:
            left.append((text, key))
            pos = end
            continue
        if pos < col:
            left.append((text[: col - pos], key))
            return left, [(text[col - pos :], key), *row[i + 1 :]]
        return left, row[i:]
    return left, []


def _append(row: Row, text: str, key: Hashable) -> None:
    if row and row[-1][1] == key:
        row[-1] = (row[-1][0] + text, key)
    else:
        row.append((text, key))


def overwrite(row: Row, col: int, text: str, key: Hashable, blank: Hashable) -> Row:
    """The row with ``text`` written over it from ``col`` (padding with blanks)."""
    length = row_length(row)
    if col >= length:
        out = list(row)
        if col > length:
            _append(out, " " * (col - length), blank)
        _append(out, text, key)
        return out
    left, rest = split_row(row, col)
    _, right = split_row(rest, len(text))
    out = left
    _append(out, text, key)
    for run in right:
        _append(out, *run)
    return out


class Screen:
    """Terminal semantics over a window of live rows; see the module doc."""

    def __init__(self, live_rows: int = LIVE_ROWS, blank: Hashable = None) -> None:
        self.live_rows = live_rows
        self.blank = blank  # key for padding spaces
        self.rows: list[Row] = [[]]
        self.row = 0  # cursor, relative to rows[0]
        self.col = 0
        self.base = 0  # absolute number of rows[0]
        self._flushed_base = 0
        self._flushed_rows = 0  # rows the view holds (0: never flushed)
        self._dirty: int | None = None  # absolute first changed row
        self._dropped: list[Row | Block | Runs] = []  # changed rows that left the window

    # ----------------------------------------------------------------- input
    def feed(self, segments: Iterable[Segment], key: Hashable) -> None:
        """Apply parser output; ``key`` is combined with each run's style."""
        appending = False  # cursor known to be at the end of the last row
        for seg in segments:
            if isinstance(seg, Text):
                if not appending:
                    last = self.rows[-1]
                    appending = self.row == len(self.rows) - 1 and self.col == row_length(last)
                if appending and len(seg.text) < BLOCK_LINES_CHARS:
                    self._append_text(seg.text, (key, seg.style))
                else:
                    self.write(seg.text, (key, seg.style))
            elif isinstance(seg, Control):
                self.control(seg)
                appending = False
        self._trim()

    def feed_runs(self, flat: Flat, key: Hashable) -> None:
        """Apply ``AnsiParser.feed_runs`` output: styled text, no controls.

        Appended at the end (the usual case), all but the last ``live_rows``
        rows go out as one ``Runs`` block, with no Python work per row; the
        rows kept stay live for a later ``\\r`` or cursor move."""
        if not self._at_end():
            for i in range(0, len(flat), 2):
                self.write(flat[i], (key, flat[i + 1]))
            self._trim()
            return
        rest = self._append_first_line(flat, key)
        cut = _cut_before_last_rows(rest, self.live_rows)
        if cut is None:
            for i in range(0, len(rest), 2):
                self._append_run(rest[i], (key, rest[i + 1]))
            self._trim()
            return
        head, tail = cut
        last = len(self.rows) - 1  # empty: the first line ended it
        self._mark(self.base + last)
        self._drop(last)
        self._dropped.append(Runs(key, head))
        self.base += 1 + "".join(head[0::2]).count("\n")
        self.rows = []
        self.row = -1
        self._newline()
        for i in range(0, len(tail), 2):
            self._append_text(tail[i], (key, tail[i + 1]))
        self._trim()

    def _at_end(self) -> bool:
        return self.row == len(self.rows) - 1 and self.col == row_length(self.rows[-1])

    def _append_run(self, text: str, key: Hashable) -> None:
        if len(text) < BLOCK_LINES_CHARS:
            self._append_text(text, key)
        else:
            self.write(text, key)

    def _append_first_line(self, flat: Flat, key: Hashable) -> Flat:
        """Append the runs up to and including the first newline; the rest."""
        for i in range(0, len(flat), 2):
            text = flat[i]
            nl = text.find("\n")
            if nl < 0:
                self._append_run(text, (key, flat[i + 1]))
                continue
            self._append_run(text[: nl + 1], (key, flat[i + 1]))
            rest = flat[i + 2 :]
            if nl + 1 < len(text):
                rest = [text[nl + 1 :], flat[i + 1], *rest]
            return rest
        return []

    def _append_text(self, text: str, key: Hashable) -> None:
        """The common case, kept lean: text added at the very end (floods of
        coloured lines); the window is trimmed once per feed, not per line."""
        row = self.row
        if "\n" not in text:
            _append(self.rows[row], text, key)
            self.col += len(text)
            self._mark(self.base + row)
            return
        pieces = text.split("\n")
        if pieces[0]:
            _append(self.rows[row], pieces[0], key)
            self._mark(self.base + row)
        else:
            self._mark(self.base + row + 1)
        self.rows.extend([(p, key)] if p else [] for p in pieces[1:])
        self.row = row + len(pieces) - 1
        self.col = len(pieces[-1])

    def write(self, text: str, key: Hashable) -> None:
        pieces = text.split("\n")
        self._put(pieces[0], key)
        if len(pieces) == 1:
            return
        at_bottom = self.row == len(self.rows) - 1
        if at_bottom and len(pieces) - 1 > self.live_rows:
            self._write_block(pieces, key)
            return
        for piece in pieces[1:]:
            self._newline()
            self._put(piece, key)

    def _write_block(self, pieces: list[str], key: Hashable) -> None:
        """Many lines at the bottom: all but the last few go out as one block."""
        keep = self.live_rows
        self._mark(self.base + len(self.rows))  # the first new row
        self._drop(len(self.rows))
        self._dropped.append(Block("\n".join(pieces[1:-keep]), key))
        self.base += len(pieces) - 1 - keep
        self.rows = [[(p, key)] if p else [] for p in pieces[-keep:]]
        self.row = len(self.rows) - 1
        self.col = len(pieces[-1])

    def _put(self, text: str, key: Hashable) -> None:
        if not text:
            return
        row = self.rows[self.row]
        if self.col == row_length(row):
            _append(row, text, key)
        else:
            self.rows[self.row] = overwrite(row, self.col, text, key, self.blank)
        self.col += len(text)
        self._mark(self.base + self.row)

    def _newline(self) -> None:
        self.row += 1
        self.col = 0
        if self.row == len(self.rows):
            self.rows.append([])
            self._mark(self.base + self.row)
            self._trim()

    def control(self, seg: Control) -> None:
        kind, n = seg.kind, seg.n
        if kind == "cr":
            self.col = 0
        elif kind == "bs":
            self.col = max(0, self.col - 1)
        elif kind == "cursor_column":
            self.col = max(0, n - 1)
        elif kind == "cursor_forward":
            self.col += n
        elif kind == "cursor_back":
            self.col = max(0, self.col - n)
        elif kind == "cursor_up":
            self.row = max(0, self.row - n)
        elif kind == "cursor_down":
            for _ in range(n):
                col = self.col
                self._newline()
                self.col = col
        elif kind == "erase_line":
            self._erase_line(n)
        elif kind == "erase_screen":
            self._erase_screen(n)

    def _erase_line(self, mode: int) -> None:
        row = self.rows[self.row]
        if mode == 0:
            self.rows[self.row] = split_row(row, self.col)[0]
        elif mode == 1:
            self.rows[self.row] = overwrite(row, 0, " " * self.col, self.blank, self.blank)
        else:
            self.rows[self.row] = []
        self._mark(self.base + self.row)

    def _erase_screen(self, mode: int) -> None:
        if mode == 0:
            self._erase_line(0)
            del self.rows[self.row + 1 :]
        elif mode == 1:
            for i in range(self.row):
                self.rows[i] = []
            self._erase_line(1)
        else:
            self.rows = [[] for _ in self.rows]
        self._mark(self.base + (self.row if mode == 0 else 0))

    # ----------------------------------------------------------------- bookkeeping
    def _mark(self, absolute_row: int) -> None:
        if self._dirty is None or absolute_row < self._dirty:
            self._dirty = absolute_row

    def _trim(self) -> None:
        excess = len(self.rows) - self.live_rows
        if excess > 0:
            self._drop(min(excess, self.row))

    def _drop(self, count: int) -> None:
        """Let the top ``count`` rows leave the window for good."""
        if self._dirty is not None:
            self._dropped.extend(self.rows[max(0, self._dirty - self.base) : count])
        del self.rows[:count]
        self.base += count
        self.row -= count

    # ----------------------------------------------------------------- output
    def flush(self) -> Update | None:
        """What changed since the last flush, or None if nothing did."""
        self._flushed_rows = len(self.rows)
        if self._dirty is None:
            advance = self.base - self._flushed_base
            self._flushed_base = self.base
            return Update(start=-1, advance=advance) if advance else None
        first = max(self._dirty, self.base)
        update = Update(
            start=self._dirty - self._flushed_base,
            rows=[*self._dropped, *self.rows[first - self.base :]],
            advance=self.base - self._flushed_base,
        )
        self._dirty = None
        self._dropped = []
        self._flushed_base = self.base
        return update

    def changed(self) -> bool:
        """Something changed since the last flush."""
        return self._dirty is not None or self.base != self._flushed_base

    def only_rewrites(self) -> bool:
        """What changed since the last flush only rewrites rows the view
        already holds (a ``\\r`` bar's step): no row added, none gone."""
        return (
            self._dirty is not None
            and not self._dropped
            and self.base == self._flushed_base
            and len(self.rows) == self._flushed_rows
        )

    def text(self) -> str:
        """The live rows as plain text (for tests and transcripts)."""
        return "\n".join(row_text(row) for row in self.rows)


def _cut_before_last_rows(flat: Flat, rows: int) -> tuple[Flat, Flat] | None:
    """Split runs before the newline that starts their last ``rows`` rows:
    ``(head, tail)``, the newline in neither; None if they hold too few."""
    seen = 0
    for i in range(len(flat) - 2, -1, -2):
        text = flat[i]
        count = text.count("\n")
        if seen + count < rows:
            seen += count
            continue
        at = len(text)
        for _ in range(rows - seen):
            at = text.rindex("\n", 0, at)
        head, tail = flat[:i], flat[i + 2 :]
        style = flat[i + 1]
        if at:
            head += (text[:at], style)
        if at + 1 < len(text):
            tail = [text[at + 1 :], style, *tail]
        return (head, tail) if head else None
    return None
