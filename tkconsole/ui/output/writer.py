"""Batched, budgeted drawing of kernel output into the console's Text.

Messages become cheap operations in a queue (consecutive stream text of one
kind is joined); ``render`` turns them into a few large inserts per tick and
stops at the deadline.  Stream text goes through a terminal ``Screen`` so
``\\r`` bars and cursor moves cost one line rewrite per tick; its rows are
drawn by ``RowPainter`` (``rows.py``: tags by ranges, colours out of view
later, long lines folded).  A cell past the squeeze limit keeps its
head and its newest lines in view with the middle behind a button (a backlog
too long for that skips straight to its tail), and the scrollback is trimmed
to its limit with one delete per tick.  Rich outputs are drawn by ``RichRenderer``;
outputs with a display id live between two marks so updates replace them.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections import deque
from collections.abc import Callable
from itertools import count
from tkinter import font as tkfont
from typing import Any, Literal

from ...models.ansi import AnsiParser, Style
from ...models.terminal import (
    Screen,
    Update,
    after_newlines,
    last_lines_start,
)
from ..guarded_text import OUTPUT_CLEARED, GuardedText
from .fold import HEAD, Fold, Squeeze
from .rich import RichRenderer, WidgetEmbedder
from .rows import OUT, RowPainter
from .textstyles import TagPool

LIVE = "live"  # mark: start of the rows the terminal screen may still rewrite
CELL = "cell"  # mark: start of the running cell's output (for clear_output)
TAIL = "tail"  # mark: start of a long cell's tail (below its squeeze button)
STEP_SECONDS = 0.005  # aim of one drawing step: several fit in a tick's budget
STEP_SHARE = 0.6 / STEP_SECONDS  # with a backlog, a step may take 60 % of the tick's time left
MIN_CHUNK, MAX_CHUNK = 2 * 1024, 256 * 1024  # characters per step, adapted to the cost
BIG_CHUNK = 16 * 1024 * 1024  # a step inside one long line: it will be folded anyway

DEFAULT_SCROLLBACK = 100_000
DEFAULT_FOLD_AT = 10_000
DEFAULT_SQUEEZE_AT = 200_000  # lines of stream output per cell (long lines fold instead)
ROLL_BATCH = 100  # tail lines over the limit before they move behind the button
# Rows rewritten in place (a \r bar's steps) are redrawn at most this often
# (tqdm itself refreshes every 0.1 s); the steps between only update the model.
# Redrawn per message, a 20,000-step bar kept Tk and Xvfb redrawing one line
# 1,000 times a second, and drawing text makes Tk's Xft fonts XSync with the
# X server every few calls: the Tk thread waited 35-150 ms at a time for a
# CPU-starved Xvfb on this 2-core machine.
REDRAW_SECONDS = 0.05


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
        widgets: WidgetEmbedder | None = None,
        prefer_plain_tables: bool = False,
    ) -> None:
        self.text = text
        self.tags = tags
        self.font = font
        self.scrollback = scrollback  # lines; 0 = unlimited
        self.fold_at = max(fold_at, HEAD + 1)
        self.rich = RichRenderer(
            text, font, widgets, self.fold_at, self.close_screen, prefer_plain_tables
        )
        self.squeeze_at = squeeze_at  # 0 = never
        self._squeeze: Squeeze | None = None
        self._head_left: int | None = None  # lines the cell's head may still take
        self._tail_max = 0  # lines kept below the squeeze button (0: no limit)
        self._tail_open = False  # the TAIL mark belongs to this cell
        self._line_ended = False  # the button's newline ended a partial line
        # step size by sort of text (escapes: +1, \r or \b: +2); adapts per step
        self._chunk = {0: 8 * 1024, 1: 4 * 1024, 2: 4 * 1024, 3: 4 * 1024}
        self.ops: deque[tuple[Any, ...]] = deque()
        self.parsers: dict[str, AnsiParser] = {}
        self.screen: Screen | None = None
        self.displays: dict[str, list[tuple[str, str]]] = {}
        self._before_prompt = False  # output goes above a prompt line
        self._live_rows = 0
        self._drawn_at = 0.0  # when the screen was last drawn (perf_counter)
        self._follow: bool | None = None  # this tick: the end was in view before it drew
        self.rows = RowPainter(text, tags, font, self.fold_at, self.close_screen)
        self.lazy = self.rows.lazy  # colours of lines out of view, added in later ticks
        self._synthetic_newline = False
        self._regions = count()
        self._set_limits()
        gravity: Literal["left", "right"]
        for mark, gravity in ((OUT, "right"), (LIVE, "left"), (CELL, "left"), (TAIL, "left")):
            text.mark_set(mark, "end-1c")
            text.mark_gravity(mark, gravity)
        # Ctrl+L (ui/input/editkeys.py) says so: the images it cleared away are let go
        text.bind(OUTPUT_CLEARED, lambda _e: self._forget_deleted(), add="+")

    # ------------------------------------------------------------ queueing
    def enqueue_stream(self, kind: str, data: str) -> None:
        """Queue stream text (with ANSI codes) drawn with the base tag ``kind``."""
        if not data:
            return
        if self.ops and self.ops[-1][0] == "text" and self.ops[-1][1] == kind:
            self.ops[-1][2].append(data)
        else:
            self.ops.append(("text", kind, [data]))

    def enqueue_call(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue a drawing step so it happens in order with the output."""
        self.ops.append(("call", fn, args))

    def pending(self) -> bool:
        return bool(self.ops) or self._held()

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
        self._spool("".join(parts))

    # ------------------------------------------------------------ the tick
    def render(self, deadline: float) -> bool:
        self._follow = None  # set before the tick's first change of the Text
        while self.ops:
            op = self.ops.popleft()
            if op[0] == "call":
                self._note_follow()
                self._draw_held()
                op[1](*op[2])
            else:
                self._draw_stream(op[1], op[2], deadline)
            if time.perf_counter() >= deadline:
                break
        held = self._held()
        if held and time.perf_counter() - self._drawn_at >= REDRAW_SECONDS:
            self._note_follow()
            self._draw_held()
            held = False
        if self._follow is not None:
            self._roll_tail()
            if self._squeeze_alive():
                self._squeeze.refresh()
            self._trim()
            if self._follow:
                self.text.see("end")
        if self.lazy.blocks and time.perf_counter() < deadline:
            self.lazy.run(deadline)
        return bool(self.ops) or held or self.lazy.pending()

    def _note_follow(self) -> None:
        """Before changing the Text: was its end in view (then it stays so)?
        Asked only when a tick draws: ``yview`` makes Tk lay the Text out."""
        if self._follow is None:
            self._follow = self.text.yview()[1] >= 0.999

    def _held(self) -> bool:
        """The screen has rewrites not drawn yet (see ``REDRAW_SECONDS``)."""
        return self.screen is not None and self.screen.changed()

    def _draw_held(self) -> None:
        if self._held():
            self._flush_screen()

    def _draw_stream(self, kind: str, parts: list[str], deadline: float) -> None:
        started = time.perf_counter()
        data = parts[0] if len(parts) == 1 else "".join(parts)
        if self._tail_max and self._skip_ahead(kind, data):
            return  # re-queued behind a call, which draws what is held first
        # Plain lines draw far faster than coloured ones, and those faster than
        # rewritten ones (\r, \b: the general parser): each sort of text
        # gets a step size learnt from what its last step cost.
        head = data[:4096]
        sort = ("\x1b" in head) + 2 * ("\r" in head or "\b" in head)
        chunk = self._chunk[sort]
        if len(data) > chunk:  # a backlog: one step may take most of what is left of the tick
            chunk = int(min(MAX_CHUNK, max(chunk, chunk * (deadline - started) * STEP_SHARE)))
        if len(data) > chunk:
            data = self._cut_step(kind, data, chunk)
        head_ends = bool(self._head_left) and self._count_head(data)
        if head_ends:
            data = self._cut_head(kind, data)
        self._draw_step(kind, data)
        if head_ends:
            self._note_follow()
            self._end_head()
        rate = len(data) / max(time.perf_counter() - started, 1e-4)
        self._chunk[sort] = int(min(MAX_CHUNK, max(MIN_CHUNK, rate * STEP_SECONDS)))

    def _cut_step(self, kind: str, data: str, chunk: int) -> str:
        """The next step's text (whole lines where possible); the rest is re-queued."""
        cut = data.rfind("\n", 0, chunk) + 1
        if not cut:  # a progress bar's steps: cut before a \r, the line stays short
            cut = max(0, data.rfind("\r", 0, chunk))
        if not cut:  # inside one long line: take the rest of it at once
            cut = data.find("\n", chunk, BIG_CHUNK) + 1 or min(len(data), BIG_CHUNK)
        if cut < len(data):
            self.ops.appendleft(("text", kind, [data[cut:]]))
        return data[:cut]

    def _draw_step(self, kind: str, data: str) -> None:
        if self._synthetic_newline:
            self._note_follow()  # dropping it changes the Text
        self._drop_synthetic_newline()
        screen = self.screen if self.screen is not None else self._open_screen()
        parser = self._parser(kind)
        runs = parser.feed_runs(data)  # coloured text without controls: the fast path
        if runs is None:
            screen.feed(parser.feed(data), kind)
        else:
            screen.feed_runs(runs, kind)
        recent = time.perf_counter() - self._drawn_at < REDRAW_SECONDS
        if not (recent and not self._before_prompt and screen.only_rewrites()):
            self._note_follow()
            self._flush_screen()

    def _flush_screen(self) -> None:
        if self.screen is not None:
            self._apply(self.screen.flush())
        self._drawn_at = time.perf_counter()
        self._keep_prompt_on_own_line()

    def _parser(self, kind: str) -> AnsiParser:
        parser = self.parsers.get(kind)
        if parser is None:
            parser = self.parsers[kind] = AnsiParser()
        return parser

    # ------------------------------------------------------------ head, squeezed middle, tail
    # A cell's stream output keeps its first lines (the head) and its newest
    # (the tail) in view; what lies between goes behind the squeeze button.
    # The limits keep a whole cell within the scrollback, so what the
    # scrollback trims is always the oldest.
    def _set_limits(self) -> None:
        """Head and tail sizes for the next cell, from the settings."""
        room = self.scrollback  # the trim's slack holds the button and the prompts
        if self.squeeze_at:
            total = max(2, min(self.squeeze_at, room) if room else self.squeeze_at)
            self._head_left = total // 2
            self._tail_max = total - total // 2
        else:  # never squeezed: drawn whole, the scrollback trims the oldest
            self._head_left = None
            self._tail_max = room

    def _skip_ahead(self, kind: str, data: str) -> bool:
        """Never draw what would be deleted at once: when the undrawn text
        holds more lines than the head and tail can take, its middle goes
        straight behind the button.  True when ``data`` was re-queued so."""
        lines = data.count("\n")
        head = min(self._head_left or 0, lines)
        if lines - head <= self._tail_max:
            return False
        start = after_newlines(data, head)
        end = last_lines_start(data, self._tail_max)
        self.ops.appendleft(("text", kind, [data[end:]]))
        self.ops.appendleft(("call", self._squeeze_middle, (kind, data[start:end])))
        if start:
            self.ops.appendleft(("text", kind, [data[:start]]))
        return True

    def _count_head(self, data: str) -> bool:
        """Count a step's lines against the head; True if they complete it."""
        lines, left = data.count("\n"), self._head_left or 0
        if lines < left:
            self._head_left = left - lines
            return False
        return True

    def _cut_head(self, kind: str, data: str) -> str:
        cut = after_newlines(data, self._head_left or 0)
        if cut < len(data):
            self.ops.appendleft(("text", kind, [data[cut:]]))
        return data[:cut]

    def _end_head(self) -> None:
        """The head is complete: the tail (and the button, once needed) start here."""
        self._head_left = 0
        self.close_screen()
        self.text.mark_set(TAIL, OUT)
        self._tail_open = True

    def _squeeze_middle(self, kind: str, middle: str) -> None:
        self._parser(kind).skip(middle)  # its colours carry on into the tail
        self._spool(middle)

    def _spool(self, data: str) -> None:
        """Hide ``data`` behind the cell's button; what was drawn below the
        button is older, so it goes behind it first."""
        squeeze = self._ensure_squeeze()
        self.close_screen()  # its rows go too: what follows starts a screen afresh
        if self._line_ended and data.startswith("\n"):  # that newline is drawn already
            data = data[1:]
        self._line_ended = False
        if self.text.compare(TAIL, "<", OUT):
            squeeze.add(self._tail_text(TAIL, OUT))
            self.text.erase(TAIL, OUT)
            self._forget_deleted()
        squeeze.add(data)

    def _roll_tail(self) -> None:
        """Tail lines past the limit (drawn in earlier ticks) move behind the button."""
        if not (self._tail_open and self.squeeze_at):
            return
        first = self._line(TAIL)
        excess = self._line(OUT) - first - self._tail_max
        if excess <= min(ROLL_BATCH, self._tail_max // 20):
            return
        if self.screen is not None:  # never into rows the screen may rewrite
            excess = min(excess, self._line(LIVE) - first)
        if excess <= 0:
            return
        squeeze = self._ensure_squeeze()
        end = f"{TAIL} + {excess} lines"
        squeeze.add(self._tail_text(TAIL, end))
        self.text.erase(TAIL, end)
        self._forget_deleted()

    def _ensure_squeeze(self) -> Squeeze:
        """The cell's button, made at the start of its tail when first needed."""
        if self._squeeze is not None and self._squeeze_alive():
            return self._squeeze
        if not self._tail_open:  # no head limit: the tail starts here
            self._line_ended = self.text.get(f"{OUT}-1c") not in ("\n", "")
            self.ensure_newline()
            self.text.mark_set(TAIL, OUT)
            self._tail_open = True
        self.close_screen()  # its live rows must not start at the button
        self._squeeze = Squeeze(self.text, before_change=self.close_screen)
        at = self.text.index(TAIL)
        self.text.window_create(at, window=self._squeeze)
        self.text.write(f"{at} + 1c", "\n")
        self.text.mark_set(TAIL, f"{at} + 2c")
        self._keep_prompt_on_own_line()
        return self._squeeze

    def _squeeze_alive(self) -> bool:
        """The button exists and is still in the text (the scrollback may trim it)."""
        squeeze = self._squeeze
        if squeeze is None:
            return False
        try:
            self.text.index(squeeze)
        except tk.TclError:
            self._squeeze = None
            self._tail_open = False
            return False
        return True

    def _tail_text(self, start: str, end: str) -> str:
        """The text of a drawn stretch, folded long lines whole."""
        if not self.rows.folds:
            return self.text.get(start, end)
        out = []
        for key, value, _index in self.text.dump(start, end, text=True, window=True):
            if key == "text":
                out.append(value)
            elif key == "window":
                widget = self.text.nametowidget(value)
                if isinstance(widget, Fold):
                    out.append(widget.full[widget.shown :])
        return "".join(out)

    def _line(self, index: str) -> int:
        return int(self.text.index(index).split(".", 1)[0])

    def _forget_deleted(self) -> None:
        self._forget_empty_regions()
        self.rich.forget_deleted()

    # ------------------------------------------------------------ terminal region
    def _open_screen(self) -> Screen:
        screen = self.screen = Screen(blank=("stdout", Style()))
        self.text.mark_set(LIVE, OUT)
        self._live_rows = 1
        return screen

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
            self.rows.write(prefix, update.rows)
        if update.advance:
            self.text.mark_set(LIVE, self._row_index(update.advance))
        self._live_rows = len(self.screen.rows) if self.screen is not None else 0

    # ------------------------------------------------------------ cells and rich output
    def begin_cell(self) -> None:
        """A new execution: its output starts here, with fresh terminal state."""
        self.close_screen()
        self.text.mark_set(CELL, OUT)
        self._new_cell_output()
        for parser in self.parsers.values():
            parser.reset()

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

    def clear(self) -> None:
        """clear_output: the running cell's output goes (the conversation
        model holds a waiting clear back until the next output)."""
        self._drop_synthetic_newline()
        self.screen = None
        self._new_cell_output()
        self.text.erase(CELL, OUT)
        self._forget_empty_regions()
        self.rich.forget_deleted()
        for parser in self.parsers.values():
            parser.reset()

    def _new_cell_output(self) -> None:
        self._squeeze = None
        self._tail_open = False
        self.rows.new_cell()
        self._set_limits()

    def _start_block(self) -> None:
        self._drop_synthetic_newline()
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

    # ------------------------------------------------------------ the prompt below
    def prompt_drawn(self) -> None:
        """A prompt line now follows ``OUT``: output goes above it, on lines of its own."""
        self._before_prompt = True

    def prompt_removed(self) -> None:
        """The prompt line went away: so does the newline that kept it apart."""
        self._drop_synthetic_newline()
        self._before_prompt = False

    def prompt_kept(self) -> None:
        """The prompt line stays in the scrollback (its input ran): the
        newline that kept it on a line of its own is part of the text now."""
        self._synthetic_newline = False
        self._before_prompt = False

    def above_prompt(self) -> bool:
        return self._before_prompt

    def _keep_prompt_on_own_line(self) -> None:
        """Above a prompt, a partial line gets a temporary newline after it."""
        if self._before_prompt and self.text.get(f"{OUT}-1c") not in ("\n", ""):
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
            self._forget_deleted()

    def _forget_empty_regions(self) -> None:
        for display_id, regions in list(self.displays.items()):
            kept = [(s, e) for s, e in regions if self.text.compare(s, "!=", e)]
            for s, e in set(regions) - set(kept):
                self.text.mark_unset(s, e)
            if kept:
                self.displays[display_id] = kept
            else:
                del self.displays[display_id]
