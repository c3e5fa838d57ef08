"""The pager: long help (``obj?``, ``obj??``, ``page`` payloads) in a pane of
its own over the lower part of the console, instead of in the scrollback.

It takes the focus while open, so q and Escape close it and the arrow and
page keys scroll it; closing gives the focus back to the input.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import Literal

from ...models.ansi import AnsiParser, Text
from ..output.textstyles import TagPool
from .highlight import is_dark

HEIGHT = 0.55  # of the console's height
# A page is help text; a kernel can still send megabytes (``%page`` of a
# huge object).  Tk lays out a 1 MB line for seconds, so a page is cut.
PAGE_LIMIT = 200_000  # characters shown
LINE_LIMIT = 5_000  # characters of one line shown
SCROLL_KEYS: dict[str, tuple[Literal["units", "pages"], int]] = {
    "Up": ("units", -1), "Down": ("units", 1), "Prior": ("pages", -1),
    "Next": ("pages", 1), "space": ("pages", 1), "BackSpace": ("pages", -1),
}  # fmt: skip


class Pager:
    """A scrollable, read-only pane for one console."""

    def __init__(self, console: tk.Misc, text: tk.Text, font: tkfont.Font) -> None:
        self.console = console
        self.console_text = text
        self.font = font
        self.frame: ttk.Frame | None = None
        self.text: tk.Text | None = None
        self.tags: TagPool | None = None

    @property
    def is_open(self) -> bool:
        return self.frame is not None and self.frame.winfo_ismapped()

    def show(self, data: str) -> None:
        """Show ``data`` (may carry ANSI colours), replacing what was shown."""
        if self.frame is None:
            self._build()
        assert self.text is not None and self.tags is not None and self.frame is not None
        self._colour()
        self.text.configure(state="normal")
        self.text.delete("1.0", "end")
        args: list = []
        for seg in AnsiParser().feed(bounded_page(data)):
            if isinstance(seg, Text):
                args += [seg.text, self.tags.tags(seg.style)]
        if args:
            self.text.insert("end", *args)
        self.text.configure(state="disabled")
        self.text.yview_moveto(0)
        self.frame.place(relx=0, rely=1 - HEIGHT, relwidth=1, relheight=HEIGHT)
        self.frame.lift()
        self.text.focus_set()

    def contents(self) -> str:
        return self.text.get("1.0", "end-1c") if self.text is not None else ""

    def close(self, _event: tk.Event | None = None) -> str:
        if self.frame is not None:
            self.frame.place_forget()
        self.console_text.focus_set()
        return "break"

    def _build(self) -> None:
        self.frame = ttk.Frame(self.console, borderwidth=1, relief="raised")
        head = ttk.Frame(self.frame)
        head.pack(side="top", fill="x")
        ttk.Label(head, text="Help  (q or Escape closes)").pack(side="left", padx=6, pady=2)
        ttk.Button(head, text="✕", width=3, command=self.close).pack(side="right")
        self.text = tk.Text(
            self.frame, wrap="word", font=self.font, borderwidth=0, highlightthickness=0,
            padx=6, pady=4,
        )  # fmt: skip
        bar = ttk.Scrollbar(self.frame, orient="vertical", command=self.text.yview)
        self.text.configure(yscrollcommand=bar.set)
        bar.pack(side="right", fill="y")
        self.text.pack(side="left", fill="both", expand=True)
        self.tags = TagPool(self.text, self.font, is_dark(self.text, self._background()))
        for key in ("Escape", "q"):
            self.text.bind(f"<Key-{key}>", self.close)
        for key, (unit, step) in SCROLL_KEYS.items():
            self.text.bind(f"<Key-{key}>", self._scroller(unit, step))
        self.text.bind("<Key-Home>", self._mover(0.0))
        self.text.bind("<Key-End>", self._mover(1.0))

    def _scroller(
        self, unit: Literal["units", "pages"], step: int
    ) -> Callable[[tk.Event[tk.Text]], str]:
        def scroll(_event: tk.Event[tk.Text]) -> str:
            assert self.text is not None
            self.text.yview_scroll(step, unit)
            return "break"

        return scroll

    def _mover(self, fraction: float) -> Callable[[tk.Event[tk.Text]], str]:
        def move(_event: tk.Event[tk.Text]) -> str:
            assert self.text is not None
            self.text.yview_moveto(fraction)
            return "break"

        return move

    def _background(self) -> str:
        return str(self.console_text.cget("background"))

    def _colour(self) -> None:
        assert self.text is not None and self.tags is not None
        bg = self._background()
        fg = str(self.console_text.cget("foreground"))
        self.text.configure(background=bg, foreground=fg, insertbackground=fg)
        self.tags.set_dark(is_dark(self.text, bg))


def bounded_page(data: str) -> str:
    """``data`` cut to what Tk lays out at once, saying what was left out."""
    hidden = max(0, len(data) - PAGE_LIMIT)
    lines = data[:PAGE_LIMIT].rstrip("\n").split("\n")
    for i, line in enumerate(lines):
        if len(line) > LINE_LIMIT:
            lines[i] = f"{line[:LINE_LIMIT]}… ({len(line) - LINE_LIMIT:,} more characters)"
    if hidden:
        lines.append(f"… ({hidden:,} more characters of this page not shown)")
    return "\n".join(lines) + "\n"
