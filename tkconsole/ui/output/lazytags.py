"""Colour tags of long coloured output, applied in the ticks after its text.

Tk inserts 20,000 lines of plain text in a few milliseconds, but adding a
colour tag costs it several microseconds per range (each range walks the
text's B-tree and its display lines), so a flood of coloured lines used to
hold the prompt back long after the kernel was idle.  The writer now
inserts such a block untagged, tags its newest lines (the ones in view)
at once, and hands the older runs to ``LazyTags``, which tags them a slice
at a time within each tick's budget, newest block first.

A block is located by two marks, so text inserted or deleted before it
(the scrollback trim, the squeeze button taking the tail's top) does not
move its ranges: lines are counted back from the end mark, ranges on
lines deleted since are skipped, and a block deleted whole (clear_output)
is dropped.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

from ...models.ansi import Style

SLICE_RUNS = 400  # runs tagged between two looks at the clock (~2 ms of Tk work)


def ranges_by_tag(
    flat: list,
    start: int,
    stop: int,
    at: tuple[int, int],
    tags_of: Callable[[Any], tuple[str, ...]],
    offset: int = 0,
    first: int = 0,
) -> tuple[dict[str, list[str]], int, int]:
    """Tk ranges of each tag for the runs ``flat[start:stop]`` (text, key, ...)
    drawn from ``at`` (line, column; lines counted from ``offset``), adjacent
    ranges joined, so each tag takes one ``tag add``: Tk does that two to
    three times faster than tags run by run.  Runs on lines before ``first``
    (deleted since) get none.  Also the line and column after the last run."""
    ranges: dict[str, list[str]] = {}
    line, col = at
    for i in range(start, stop, 2):
        run = flat[i]
        newlines = run.count("\n")
        if newlines:
            end_line, end_col = line + newlines, len(run) - run.rfind("\n") - 1
        else:
            end_line, end_col = line, col + len(run)
        tags = tags_of(flat[i + 1])
        if tags and offset + line >= first:
            begin, end = f"{offset + line}.{col}", f"{offset + end_line}.{end_col}"
            for tag in tags:
                spans = ranges.get(tag)
                if spans is None:
                    ranges[tag] = [begin, end]
                elif spans[-1] == begin:
                    spans[-1] = end
                else:
                    spans += (begin, end)
        line, col = end_line, end_col
    return ranges, line, col


@dataclass
class _Block:
    start: str  # mark (left gravity) at the first run
    end: str  # mark (left gravity) just after the last run
    span: int  # lines from start to end when the block was drawn
    flat: list  # [text, style, text, style, ...]
    pos: int = 0  # index in ``flat`` of the next run to tag
    line: int = 0  # its line, relative to the start
    col: int = 0  # its column


class LazyTags:
    """Colour ranges waiting to be added, in budgeted slices."""

    def __init__(self, text: tk.Text, colour_tags: Callable[[Style], tuple[str, ...]]) -> None:
        self.text = text
        self.colour_tags = colour_tags
        self.blocks: deque[_Block] = deque()
        self._names = count()

    def pending(self) -> bool:
        return bool(self.blocks)

    def add(self, flat: list, start: tuple[int, int], end: tuple[int, int]) -> None:
        """Runs already inserted from ``start`` to ``end`` (line, column), untagged."""
        marks = []
        for line, col in (start, end):
            name = f"lazy{next(self._names)}"
            self.text.mark_set(name, f"{line}.{col}")
            self.text.mark_gravity(name, "left")
            marks.append(name)
        self.blocks.appendleft(_Block(marks[0], marks[1], end[0] - start[0], flat, col=start[1]))

    def run(self, deadline: float) -> bool:
        """Tag slices until ``deadline``; True while blocks are left."""
        while self.blocks and time.perf_counter() < deadline:
            block = self.blocks[0]
            if not self._step(block):
                self.blocks.popleft()
                self.text.mark_unset(block.start, block.end)
        return bool(self.blocks)

    def finish(self) -> None:
        """Tag everything now (tests, or before the text is read with its tags)."""
        self.run(float("inf"))

    def _step(self, block: _Block) -> bool:
        """Tag the next slice of ``block``; False when it is done or gone."""
        text = self.text
        if text.compare(block.start, ">=", block.end):  # deleted whole
            return False
        first = int(text.index(block.start).split(".", 1)[0])
        base = int(text.index(block.end).split(".", 1)[0]) - block.span
        stop = min(len(block.flat), block.pos + 2 * SLICE_RUNS)
        ranges, line, col = ranges_by_tag(
            block.flat, block.pos, stop, (block.line, block.col), self.colour_tags, base, first
        )
        for tag, spans in ranges.items():
            text.tag_add(tag, *spans)
        block.pos, block.line, block.col = stop, line, col
        return stop < len(block.flat)
