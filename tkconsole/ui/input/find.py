"""Ctrl+F: find text anywhere in the console, every match highlighted.

A bar at the bottom of the console takes the query; all matches get one
tag, the current one another; Enter and Shift+Enter step forward and back,
Escape closes the bar and gives the focus back to the input.  Matching
ignores case unless the query has a capital letter.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from .highlight import is_dark

MATCH, CURRENT = "find-match", "find-current"
DEBOUNCE_MS = 80
MAX_MATCHES = 20000


class Bar:
    """A one-line bar (label, entry, status) packed under a console's text."""

    def __init__(self, console: tk.Misc, before: tk.Misc, label: str) -> None:
        self.console = console
        self.before = before
        self.frame = ttk.Frame(console)
        ttk.Label(self.frame, text=label).pack(side="left", padx=(6, 4), pady=3)
        self.query = tk.StringVar(self.frame)
        self.entry = ttk.Entry(self.frame, textvariable=self.query, width=40)
        self.entry.pack(side="left", pady=3)
        self.status = ttk.Label(self.frame, text="")
        self.status.pack(side="left", padx=8)
        ttk.Button(self.frame, text="✕", width=3, command=self.hide).pack(side="right")
        self.on_hide: Callable[[], None] | None = None

    @property
    def is_open(self) -> bool:
        return self.frame.winfo_manager() == "pack"

    def show(self) -> None:
        if self.frame.winfo_manager() != "pack":
            self.frame.pack(side="bottom", fill="x", before=self.before)
        self.entry.focus_set()
        self.entry.select_range(0, "end")

    def hide(self) -> None:
        if self.frame.winfo_manager() == "pack":
            self.frame.pack_forget()
            if self.on_hide is not None:
                self.on_hide()


class FindBar:
    """Find in the whole console text."""

    def __init__(self, console: tk.Misc, text: tk.Text, before: tk.Misc) -> None:
        self.text = text
        self.bar = Bar(console, before, "Find:")
        self.bar.on_hide = self._cleared
        self.matches: list[tuple[str, str]] = []
        self.current = -1
        self._job: str | None = None
        self._query_seen = ""
        entry = self.bar.entry
        entry.bind("<Return>", lambda _e: self.step(1))
        entry.bind("<KP_Enter>", lambda _e: self.step(1))
        entry.bind("<Shift-Return>", lambda _e: self.step(-1))
        entry.bind("<Escape>", lambda _e: self.close())
        self.bar.query.trace_add("write", lambda *_: self._later())

    def open(self, _event: tk.Event | None = None) -> str:
        """The ``find`` action: show the bar, seeded with the selection if any."""
        if self.text.tag_ranges("sel"):
            chosen = self.text.get("sel.first", "sel.last")
            if chosen and "\n" not in chosen:
                self.bar.query.set(chosen)
        self._colour()
        self.bar.show()
        self.search()
        return "break"

    def close(self) -> str:
        if self._job is not None:  # a search still waiting for typing to pause
            self.text.after_cancel(self._job)
            self._job = None
        self.bar.hide()
        return "break"

    def _cleared(self) -> None:
        self.text.tag_remove(MATCH, "1.0", "end")
        self.text.tag_remove(CURRENT, "1.0", "end")
        self.matches, self.current = [], -1
        self.text.focus_set()

    def _later(self) -> None:
        if self._job is not None:
            self.text.after_cancel(self._job)
        self._job = self.text.after(DEBOUNCE_MS, self.search)

    def search(self) -> None:
        """Find every match of the query and highlight them all."""
        self._job = None
        if not self.bar.is_open:
            return
        query = self.bar.query.get()
        self.text.tag_remove(MATCH, "1.0", "end")
        self.text.tag_remove(CURRENT, "1.0", "end")
        self.matches, self.current = self._find_all(query), -1
        if self.matches:
            indices = [i for pair in self.matches for i in pair]
            self.text.tag_add(MATCH, *indices)
            self._go(self._first_after("insert"))
        self._report(query)

    def _find_all(self, query: str) -> list[tuple[str, str]]:
        if not query:
            return []
        counts = f"tkconsole_find_{id(self)}"
        options = ["-all", "-count", counts] + (["-nocase"] if query == query.lower() else [])
        found = self.text.tk.splitlist(
            self.text.tk.call(str(self.text), "search", *options, "--", query, "1.0", "end")
        )
        lengths = self.text.tk.splitlist(self.text.tk.globalgetvar(counts)) if found else ()
        self.text.tk.call("unset", "-nocomplain", counts)
        pairs = [(str(i), f"{i}+{int(n)}c") for i, n in zip(found, lengths, strict=False)]
        return pairs[:MAX_MATCHES]

    def _first_after(self, index: str) -> int:
        for n, (start, _end) in enumerate(self.matches):
            if self.text.compare(start, ">=", index):
                return n
        return 0

    def step(self, direction: int) -> str:
        """Enter / Shift+Enter: the next or previous match (wrapping round)."""
        if self.matches:
            self._go((self.current + direction) % len(self.matches))
            self._report(self.bar.query.get())
        return "break"

    def _go(self, n: int) -> None:
        self.text.tag_remove(CURRENT, "1.0", "end")
        self.current = n
        start, end = self.matches[n]
        self.text.tag_add(CURRENT, start, end)
        self.text.see(start)

    def _report(self, query: str) -> None:
        if not query:
            message = ""
        elif not self.matches:
            message = "no matches"
        else:
            message = f"{self.current + 1} of {len(self.matches)}"
        self.bar.status.configure(text=message)

    def _colour(self) -> None:
        colour_match_tags(self.text)


def colour_match_tags(text: tk.Text) -> None:
    """Colour the match tags for the current background; put them on top."""
    dark = is_dark(text, text.cget("background"))
    text.tag_configure(MATCH, background="#5c4d00" if dark else "#fff2a8")
    text.tag_configure(CURRENT, background="#b26b00" if dark else "#ffb54d")
    text.tag_raise(MATCH)
    text.tag_raise(CURRENT)
