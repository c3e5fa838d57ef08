"""Breakpoint dots beside the input and earlier cells, and the stopped line.

The Text holds exactly what was typed, so the dots live on a narrow canvas
left of it, at each line's ``dlineinfo`` position, redrawn after scrolls,
edits and resizes.  A cell's lines are found from its ``In [n]:`` prompt
(the ``prompt`` tag console.py draws), cached in a mark that moves with
the text.  A click on the canvas maps back to (cell, line).
"""

from __future__ import annotations

import re
import tkinter as tk
from collections.abc import Callable

PROMPT_TAG = "prompt"
STOPPED_TAG = "debug-stopped"
WIDTH = 14
DOT = "#d73a49"
PROMPT = re.compile(r"In \[(\d+)\]: ")


class BreakpointMargin:
    """The canvas; ``cell_lines(cell)`` says how many lines a cell has (None: unknown)."""

    def __init__(
        self,
        text: tk.Text,
        on_click: Callable[[int, int], None],
        cell_lines: Callable[[int], int | None],
    ) -> None:
        self.text = text
        self.on_click = on_click
        self.cell_lines = cell_lines
        self.canvas = tk.Canvas(text.master, width=WIDTH, highlightthickness=0, borderwidth=0)
        self.canvas.bind("<ButtonPress-1>", self._clicked, add="+")
        self.breakpoints: dict[int, list[int]] = {}
        self._job: str | None = None
        text.tag_configure(STOPPED_TAG, background="#fff3b0")
        for sequence in ("<Configure>", "<KeyRelease>", "<ButtonRelease-1>"):
            text.bind(sequence, lambda _e: self.redraw_soon(), add="+")
        self._scrolled = text.cget("yscrollcommand")  # the scrollbar's (and jump button's)
        text.configure(yscrollcommand=self._on_scroll)

    def _on_scroll(self, first: float, last: float) -> None:
        """Every scroll, however made, moves the dots with the text."""
        if self._scrolled:
            self.text.tk.eval(f"{self._scrolled} {first} {last}")
        self.redraw_soon()

    def show(self, on: bool) -> None:
        if on and not self.canvas.winfo_manager():
            self.canvas.pack(side="left", fill="y", before=self.text)
            self.redraw_soon()
        elif not on and self.canvas.winfo_manager():
            self.canvas.pack_forget()

    def set_colours(self, background: str, dark: bool) -> None:
        self.canvas.configure(background=background)
        self.text.tag_configure(STOPPED_TAG, background="#5c4b00" if dark else "#fff3b0")

    # ------------------------------------------------------------ cells and lines
    def prompt_line(self, cell: int) -> int | None:
        """The text line of ``In [cell]:`` (cached in a mark), or None if not shown."""
        mark = f"debug-cell-{cell}"
        label = f"In [{cell}]: "
        if mark in self.text.mark_names() and self._prompt_at(self.text.index(mark)) == label:
            return int(self.text.index(mark).split(".")[0])
        found = self.text.search(label, "end", stopindex="1.0", backwards=True, exact=True)
        while found:
            if PROMPT_TAG in self.text.tag_names(found):
                self.text.mark_set(mark, found)
                self.text.mark_gravity(mark, "left")
                return int(found.split(".")[0])
            found = self.text.search(label, found, stopindex="1.0", backwards=True, exact=True)
        return None

    def _prompt_at(self, index: str) -> str | None:
        ranges = self.text.tag_nextrange(PROMPT_TAG, index, f"{index} lineend")
        return self.text.get(*ranges) if ranges else None

    def cell_at(self, index: str) -> tuple[int, int] | None:
        """(cell, line) of the input line at ``index``, None outside any input."""
        found = self.text.tag_prevrange(PROMPT_TAG, f"{index} lineend")
        if not found:
            return None
        match = PROMPT.fullmatch(self.text.get(*found))
        if match is None:
            return None
        cell = int(match.group(1))
        line = int(index.split(".")[0]) - int(found[0].split(".")[0]) + 1
        lines = self.cell_lines(cell)
        return (cell, line) if lines is None or line <= lines else None

    def _clicked(self, event: tk.Event) -> None:
        where = self.cell_at(self.text.index(f"@0,{event.y}"))
        if where is not None:
            self.on_click(*where)

    # ------------------------------------------------------------ drawing
    def redraw_soon(self) -> None:
        if self._job is None and self.canvas.winfo_manager():
            self._job = self.canvas.after_idle(self.redraw)

    def redraw(self) -> None:
        self._job = None
        self.canvas.delete("all")
        for cell, lines in self.breakpoints.items():
            first = self.prompt_line(cell) if lines else None
            if first is not None:
                for line in lines:
                    self._dot(f"{first + line - 1}.0")

    def _dot(self, index: str) -> None:
        box = self.text.dlineinfo(index)
        if box is not None:
            y = box[1] + box[3] // 2
            self.canvas.create_oval(3, y - 4, 11, y + 4, fill=DOT, outline=DOT)

    def highlight(self, cell: int | None, line: int = 0) -> bool:
        """Mark the stopped line of ``cell`` (None: clear); False if the cell is not shown."""
        self.text.tag_remove(STOPPED_TAG, "1.0", "end")
        first = self.prompt_line(cell) if cell is not None else None
        if first is None:
            return False
        index = f"{first + line - 1}.0"
        self.text.tag_add(STOPPED_TAG, index, f"{index} +1l")
        self.text.tag_raise(STOPPED_TAG)
        self.text.see(index)
        return True
