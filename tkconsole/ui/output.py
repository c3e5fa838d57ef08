"""Batched, budgeted writing of kernel output into the console's Text.

Messages become cheap operations in a queue (consecutive stream text of one
kind is joined); ``render`` turns them into a few large inserts per tick and
stops at the deadline, cutting huge text into chunks so one tick never
holds the window for long.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from ..models.ansi import AnsiParser, Control, Text
from .guarded_text import GuardedText
from .textstyles import TagPool

OUT = "out"  # mark: where output is written (right gravity)
CHUNK = 64 * 1024  # characters per insert; bigger inserts stall the redraw


class OutputWriter:
    """Owns the ``out`` mark and the queue of output waiting to be drawn."""

    def __init__(self, text: GuardedText, tags: TagPool) -> None:
        self.text = text
        self.tags = tags
        self.ops: deque[tuple[Any, ...]] = deque()
        self.parsers: dict[str, AnsiParser] = {}
        self.before_prompt = False  # output goes above a prompt line
        self._synthetic_newline = False
        self._cr_pending = False
        self.on_render: Callable[[], None] | None = None  # observers (benchmarks)
        text.mark_set(OUT, "end-1c")
        text.mark_gravity(OUT, "right")

    # ------------------------------------------------------------ queueing
    def write(self, kind: str, data: str) -> None:
        """Queue text (with ANSI codes) drawn with the base tag ``kind``."""
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

    # ------------------------------------------------------------ drawing
    def render(self, deadline: float) -> bool:
        follow = self._at_bottom()
        drew = False
        while self.ops:
            op = self.ops.popleft()
            if op[0] == "call":
                op[1](*op[2])
            else:
                self._draw_text(op)
            drew = True
            if time.perf_counter() >= deadline:
                break
        if drew and follow:
            self.text.see("end")
        if drew and self.on_render is not None:
            self.on_render()
        return bool(self.ops)

    def _draw_text(self, op: tuple[str, str, list[str]]) -> None:
        kind, parts = op[1], op[2]
        data = parts[0] if len(parts) == 1 else "".join(parts)
        if len(data) > CHUNK:
            cut = data.rfind("\n", 0, CHUNK) + 1 or CHUNK
            data, rest = data[:cut], data[cut:]
            self.ops.appendleft(("text", kind, [rest]))
        self.insert_ansi(kind, data)

    def insert_ansi(self, kind: str, data: str) -> None:
        parser = self.parsers.get(kind)
        if parser is None:
            parser = self.parsers[kind] = AnsiParser()
        self._drop_synthetic_newline()
        args: list[Any] = []
        for seg in parser.feed(data):
            if isinstance(seg, Text):
                if self._cr_pending:
                    self._flush(args)
                    self.text.erase(f"{OUT} linestart", OUT)
                    self._cr_pending = False
                args += (seg.text, (kind, *self.tags.tags(seg.style)))
            elif isinstance(seg, Control):
                self._flush(args)
                self._control(seg)
        self._flush(args)
        self._keep_prompt_on_own_line()

    def insert_plain(self, data: str, tags: tuple[str, ...]) -> None:
        """Text that is not kernel output (prompts, notices): no ANSI parsing."""
        self._drop_synthetic_newline()
        self.text.write(OUT, data, tags)
        self._keep_prompt_on_own_line()

    def _flush(self, args: list[Any]) -> None:
        if args:
            self.text.write(OUT, *args)
            args.clear()

    def _control(self, seg: Control) -> None:
        if seg.kind == "cr":
            self._cr_pending = True
        elif seg.kind == "bs" and self.text.compare(f"{OUT} linestart", "<", OUT):
            self.text.erase(f"{OUT}-1c", OUT)

    def ensure_newline(self) -> None:
        """End a partial output line, so what follows starts a line of its own."""
        self._drop_synthetic_newline()
        if self.text.compare(OUT, ">", "1.0") and self.text.get(f"{OUT}-1c") != "\n":
            self.text.write(OUT, "\n")
        self._cr_pending = False

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

    def _at_bottom(self) -> bool:
        return self.text.yview()[1] >= 0.999

    def reset_streams(self) -> None:
        """Forget ANSI state between cells, as a terminal prompt would."""
        for parser in self.parsers.values():
            parser.reset()
        self._cr_pending = False
