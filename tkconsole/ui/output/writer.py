"""Batched, budgeted drawing of kernel output into the console's Text.

Messages become cheap operations in a queue (consecutive stream text of one
kind is joined); ``render`` turns them into a few large inserts per tick and
stops at the deadline.  Stream text goes through a terminal ``Screen`` so
``\\r`` bars and cursor moves cost one line rewrite per tick, lines longer
than the fold threshold are folded, and the scrollback is trimmed to its
limit with one delete per tick.  Rich outputs are drawn by ``RichRenderer``;
outputs with a display id live between two marks so updates replace them.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from itertools import count
from tkinter import font as tkfont
from typing import Any

from ...models.ansi import AnsiParser, Style
from ...models.terminal import Block, Row, Screen, Update, row_head, row_length, row_text
from ..guarded_text import GuardedText
from .fold import HEAD, Fold, Squeeze
from .rich import RichRenderer
from .textstyles import TagPool

OUT = "out"  # mark: where output is written (right gravity)
LIVE = "live"  # mark: start of the rows the terminal screen may still rewrite
CELL = "cell"  # mark: start of the running cell's output (for clear_output)
STEP_SECONDS = 0.005  # aim of one drawing step: several fit in a tick's budget
MIN_CHUNK, MAX_CHUNK = 2 * 1024, 256 * 1024  # characters per step, adapted to the cost
BIG_CHUNK = 16 * 1024 * 1024  # a step inside one long line: it will be folded anyway

DEFAULT_SCROLLBACK = 100_000
DEFAULT_FOLD_AT = 10_000
DEFAULT_SQUEEZE_AT = 200_000  # lines of stream output per cell (long lines fold instead)


class OutputWriter:
    """Owns the output marks and the queue of output waiting to be drawn."""

    def __init__(
        self,
        text: GuardedText,
        tags: TagPool,
        font: tkfont.Font,
        scrollback: int = DEFAULT_SCROLLBACK,
        fold_at: int = DEFAULT_FOLD_AT,
        squeeze_at: int = DEFAULT_SQUEEZE_AT,
    ) -> None:
        self.text = text
        self.tags = tags
        self.rich = RichRenderer(text, font)
        self.rich.before_change = self.close_screen
        self.scrollback = scrollback  # lines; 0 = unlimited
        self.fold_at = max(fold_at, HEAD + 1)
        self.rich.fold_at = self.fold_at
        self.squeeze_at = squeeze_at  # 0 = never
        self._cell_lines = 0
        self._squeeze: Squeeze | None = None
        self._chunk = {False: 8 * 1024, True: 4 * 1024}  # by "coloured"; adapts per step
        self.ops: deque[tuple[Any, ...]] = deque()
        self.parsers: dict[str, AnsiParser] = {}
        self.screen: Screen | None = None
        self.displays: dict[str, list[tuple[str, str]]] = {}
        self.before_prompt = False  # output goes above a prompt line
        self._live_rows = 0
        self._key_tags: dict[Any, tuple[str, ...]] = {}
        self._synthetic_newline = False
        self._clear_waiting = False
        self._regions = count()
        for mark, gravity in ((OUT, "right"), (LIVE, "left"), (CELL, "left")):
            text.mark_set(mark, "end-1c")
            text.mark_gravity(mark, gravity)

    # ------------------------------------------------------------ queueing
    def write(self, kind: str, data: str) -> None:
        """Queue stream text (with ANSI codes) drawn with the base tag ``kind``."""
        if not data:
            return
        if self.ops and self.ops[-1][0] == "text" and self.ops[-1][1] == kind:
            self.ops[-1][2].append(data)
        else:
            self.ops.append(("text", kind, [data]))

    def call(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue a drawing step so it happens in order with the output."""
        self.ops.append(("call", fn, args))

    def pending(self) -> bool:
        return bool(self.ops)

    def squeeze_backlog(self) -> None:
        """Death first: undrawn stream text goes behind the squeeze button now,
        so what follows (the notice) is drawn next, not after every line."""
        texts = [op for op in self.ops if op[0] == "text"]
        if not texts:
            return
        self.ops = deque(op for op in self.ops if op[0] != "text")
        parts = [part for op in texts for part in op[2]]
        self.ops.appendleft(("call", self._squeeze_all, (parts,)))

    def _squeeze_all(self, parts: list[str]) -> None:
        self._squeezed("")
        for part in parts:
            self._squeeze.add(part)

    # ------------------------------------------------------------ the tick
    def render(self, deadline: float) -> bool:
        follow = self.text.yview()[1] >= 0.999
        drew = False
        while self.ops:
            op = self.ops.popleft()
            if op[0] == "call":
                op[1](*op[2])
            else:
                self._draw_stream(op[1], op[2])
            drew = True
            if time.perf_counter() >= deadline:
                break
        if drew:
            if self._squeeze is not None:
                self._squeeze.refresh()
            self._trim()
            if follow:
                self.text.see("end")
        return bool(self.ops)

    def _draw_stream(self, kind: str, parts: list[str]) -> None:
        started = time.perf_counter()
        data = parts[0] if len(parts) == 1 else "".join(parts)
        # Plain lines draw far faster than coloured ones: each kind of text
        # gets a step size learnt from what its last step cost.
        coloured = "\x1b" in data[:4096]
        chunk = self._chunk[coloured]
        if len(data) > chunk:
            data = self._cut_step(kind, data, chunk)
        self._draw_step(kind, data)
        rate = len(data) / max(time.perf_counter() - started, 1e-4)
        self._chunk[coloured] = int(min(MAX_CHUNK, max(MIN_CHUNK, rate * STEP_SECONDS)))

    def _cut_step(self, kind: str, data: str, chunk: int) -> str:
        """The next step's text (whole lines where possible); the rest is re-queued."""
        cut = data.rfind("\n", 0, chunk) + 1
        if not cut:  # inside one long line: take the rest of it at once
            cut = data.find("\n", chunk, BIG_CHUNK) + 1 or min(len(data), BIG_CHUNK)
        if cut < len(data):
            self.ops.appendleft(("text", kind, [data[cut:]]))
        return data[:cut]

    def _draw_step(self, kind: str, data: str) -> None:
        squeezed = ""
        if self.squeeze_at:
            data, squeezed = self._split_at_squeeze(data)
        if data:
            self._before_output()
            if self.screen is None:
                self._open_screen()
            parser = self.parsers.get(kind)
            if parser is None:
                parser = self.parsers[kind] = AnsiParser()
            self.screen.feed(parser.feed(data), kind)
            self._apply(self.screen.flush())
            self._keep_prompt_on_own_line()
        if squeezed:
            self._squeezed(squeezed)

    def _split_at_squeeze(self, data: str) -> tuple[str, str]:
        """(text to draw, text to squeeze): past ``squeeze_at`` lines a cell's
        stream output is spooled, not drawn."""
        if self._squeeze is not None:
            return "", data
        room = self.squeeze_at - self._cell_lines
        lines = data.count("\n")
        if lines <= room:
            self._cell_lines += lines
            return data, ""
        cut = 0
        for _ in range(room):
            cut = data.index("\n", cut) + 1
        self._cell_lines = self.squeeze_at
        return data[:cut], data[cut:]

    def _squeezed(self, data: str) -> None:
        if self._squeeze is None:
            self.ensure_newline()
            self._squeeze = Squeeze(self.text, before_change=self.close_screen)
            self.text.window_create(OUT, window=self._squeeze)
            self.text.write(OUT, "\n")
            self._keep_prompt_on_own_line()
        self._squeeze.add(data)

    # ------------------------------------------------------------ terminal region
    def _open_screen(self) -> None:
        self.screen = Screen(blank=("stdout", Style()))
        self.text.mark_set(LIVE, OUT)
        self._live_rows = 1

    def close_screen(self) -> None:
        """Freeze the terminal region: what follows is drawn below it."""
        if self.screen is not None:
            self._apply(self.screen.flush())
            self.screen = None

    def _row_index(self, row: int) -> str:
        return LIVE if row == 0 else f"{LIVE} + {row} lines linestart"

    def _apply(self, update: Update | None) -> None:
        if update is None:
            return
        if update.start >= 0:
            prefix = ""
            if update.start < self._live_rows:
                self.text.erase(self._row_index(update.start), OUT)
            else:
                prefix = "\n"
            self._write_rows(prefix, update.rows)
        if update.advance:
            self.text.mark_set(LIVE, self._row_index(update.advance))
        self._live_rows = len(self.screen.rows)

    def _write_rows(self, prefix: str, rows: list[Row | Block]) -> None:
        parts: list[Any] = []
        pending = prefix  # newlines between rows ride on the next run
        for i, row in enumerate(self._unblock_long_lines(rows)):
            if i:
                pending += "\n"
            if isinstance(row, Block):
                parts += (pending + row.text, self._tags(row.key))
                pending = ""
            else:
                pending = self._row_parts(parts, pending, row)
        if pending:
            parts += (pending, ("stdout",))
        if parts:
            self.text.write(OUT, *parts)

    def _unblock_long_lines(self, rows: list[Row | Block]) -> list[Row | Block]:
        """Blocks are bulk rows drawn as one run; one holding a line to fold
        (rare) is split back into rows."""
        out: list[Row | Block] = []
        for row in rows:
            if isinstance(row, Block) and self._has_long_line(row.text):
                out += ([(line, row.key)] if line else [] for line in row.text.split("\n"))
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
        fold = Fold(self.text, full, HEAD, before_change=self.close_screen)
        self.text.window_create(OUT, window=fold)

    def _has_long_line(self, text: str) -> bool:
        return len(text) > self.fold_at and max(map(len, text.split("\n"))) > self.fold_at

    def _tags(self, key: Any) -> tuple[str, ...]:
        tags = self._key_tags.get(key)
        if tags is None:
            kind, style = key
            tags = self._key_tags[key] = (kind, *self.tags.tags(style))
        return tags

    # ------------------------------------------------------------ cells and rich output
    def begin_cell(self) -> None:
        """A new execution: its output starts here, with fresh terminal state."""
        self.close_screen()
        self.text.mark_set(CELL, OUT)
        self._clear_waiting = False
        self._cell_lines = 0
        self._squeeze = None
        for parser in self.parsers.values():
            parser.reset()

    def _before_output(self) -> None:
        if self._clear_waiting:
            self.clear(wait=False)
        self._drop_synthetic_newline()

    def result(self, count_: int | None, data: dict, metadata: dict) -> None:
        """``Out[n]:`` and the richest representation of an execute_result."""
        self._start_block()
        label = f"Out[{count_}]: " if count_ is not None else "Out: "  # a kernel without counts
        self.text.write(OUT, label, ("out-prompt",))
        if self.rich.starts_own_line(data):
            self.text.write(OUT, "\n")
        self.rich.insert(OUT, data, metadata)
        self.text.write(OUT, "\n")
        self._keep_prompt_on_own_line()

    def display(self, data: dict, metadata: dict, display_id: str | None) -> None:
        self._start_block()
        if self.rich.choose(data) is None:
            return
        self.text.write(OUT, "\n")
        if display_id:
            start, end = f"d{next(self._regions)}", f"d{next(self._regions)}"
            self.text.mark_set(start, f"{OUT}-1c")
            self.text.mark_gravity(start, "left")
            self.text.mark_set(end, f"{OUT}-1c")
            self.text.mark_gravity(end, "right")
            self.displays.setdefault(display_id, []).append((start, end))
            self.rich.insert(end, data, metadata)
        else:
            self.rich.insert(f"{OUT}-1c", data, metadata)
        self._keep_prompt_on_own_line()

    def update_display(self, display_id: str, data: dict, metadata: dict) -> None:
        """Replace every output shown with ``display_id``, wherever it is."""
        for start, end in self.displays.get(display_id, []):
            self.text.erase(start, end)
            self.rich.insert(end, data, metadata)
        self.rich.forget_deleted()

    def error(self, traceback: list[str]) -> None:
        """A traceback is drawn like stream text: in steps, never in one long stall."""
        self._start_block()
        self.ops.appendleft(("text", "error", ["\n".join(traceback) + "\n"]))

    def clear(self, wait: bool) -> None:
        """clear_output: the running cell's output goes; with ``wait``, only
        when the next output arrives, so the two happen in one redraw."""
        if wait:
            self._clear_waiting = True
            return
        self._clear_waiting = False
        self._drop_synthetic_newline()
        self.screen = None
        self._squeeze = None
        self._cell_lines = 0
        self.text.erase(CELL, OUT)
        self._forget_empty_regions()
        self.rich.forget_deleted()
        for parser in self.parsers.values():
            parser.reset()

    def _start_block(self) -> None:
        self._before_output()
        self.ensure_newline()

    # ------------------------------------------------------------ plain inserts
    def insert_plain(self, data: str, tags: tuple[str, ...]) -> None:
        """Text that is not kernel output (prompts, notices): no ANSI parsing."""
        self.close_screen()
        self._drop_synthetic_newline()
        self.text.write(OUT, data, tags)
        self._keep_prompt_on_own_line()

    def ensure_newline(self) -> None:
        """End a partial output line, so what follows starts a line of its own."""
        self.close_screen()
        self._drop_synthetic_newline()
        if self.text.compare(OUT, ">", "1.0") and self.text.get(f"{OUT}-1c") != "\n":
            self.text.write(OUT, "\n")

    def _keep_prompt_on_own_line(self) -> None:
        """Above a prompt, a partial line gets a temporary newline after it."""
        if self.before_prompt and self.text.get(f"{OUT}-1c") not in ("\n", ""):
            self.text.write(OUT, "\n")
            self.text.mark_set(OUT, f"{OUT}-1c")
            self._synthetic_newline = True

    def _drop_synthetic_newline(self) -> None:
        if self._synthetic_newline:
            self.text.erase(OUT, f"{OUT}+1c")
            self._synthetic_newline = False

    # ------------------------------------------------------------ scrollback
    def _trim(self) -> None:
        """Keep at most ``scrollback`` lines: one delete, in batches of 1 %."""
        if not self.scrollback:
            return
        lines = int(self.text.index("end-1c").split(".")[0])
        if lines <= self.scrollback + max(100, self.scrollback // 100):
            return
        cut = lines - self.scrollback
        if self.screen is not None:  # never into rows the screen may rewrite
            cut = min(cut, int(self.text.index(LIVE).split(".")[0]) - 1)
        if cut > 0:
            self.text.erase("1.0", f"{cut + 1}.0")
            self._forget_empty_regions()
            self.rich.forget_deleted()

    def _forget_empty_regions(self) -> None:
        for display_id, regions in list(self.displays.items()):
            kept = [(s, e) for s, e in regions if self.text.compare(s, "!=", e)]
            for s, e in set(regions) - set(kept):
                self.text.mark_unset(s, e)
            if kept:
                self.displays[display_id] = kept
            else:
                del self.displays[display_id]
