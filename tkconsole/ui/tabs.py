"""The tab strip: one ttk Notebook page per console, labelled with its state.

A tab's label is its name (the kernel's, or one the person gave it by
double-clicking) after a mark for the kernel's state, so a busy or dead
kernel shows in a background tab too.  Tabs are reordered by dragging and
switched with next/previous (which wrap around).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from dataclasses import dataclass, field
from tkinter import ttk
from typing import Any

from .placement import place_near

STATE_MARKS = {"idle": "○", "busy": "●", "starting": "◌", "dead": "✕"}


@dataclass(eq=False)
class Tab:
    """One page: its frame, its console and the names shown for it."""

    frame: ttk.Frame
    console: Any
    kernel_name: str
    name: str | None = None  # given by the person; None: the kernel's display name
    extra: dict = field(default_factory=dict)  # what the app needs (its target...)

    @property
    def title(self) -> str:
        return self.name or self.kernel_name


class ConsoleTabs(ttk.Notebook):
    """A Notebook whose pages are consoles; ``on_change`` runs when one changes."""

    def __init__(self, master: tk.Misc, on_change: Callable[[], None]) -> None:
        super().__init__(master, padding=(0, 2, 0, 0), style="Console.TNotebook")
        self._style_tabs()
        self.bind("<<ThemeChanged>>", lambda _e: self._style_tabs(), add="+")  # per theme
        self.tabs_by_frame: dict[str, Tab] = {}
        self.on_change = on_change
        self._dragged: str | None = None
        self.bind("<<NotebookTabChanged>>", lambda _e: self.on_change(), add="+")
        self.bind("<ButtonPress-1>", self._press, add="+")
        self.bind("<B1-Motion>", self._drag, add="+")
        self.bind("<ButtonRelease-1>", lambda _e: setattr(self, "_dragged", None), add="+")
        self.bind("<Double-Button-1>", self._double_click, add="+")

    def _style_tabs(self) -> None:
        ttk.Style(self).configure("Console.TNotebook.Tab", padding=(10, 4))

    # ------------------------------------------------------------------ pages
    def add_page(self, build: Callable[[ttk.Frame], Any], kernel_name: str, **extra: Any) -> Tab:
        """A new page whose console ``build(frame)`` makes; selected at once."""
        frame = ttk.Frame(self)
        console = build(frame)
        console.pack(fill="both", expand=True)
        tab = Tab(frame, console, kernel_name, extra=dict(extra))
        self.tabs_by_frame[str(frame)] = tab
        self.add(frame, text=self.label(tab))
        console.bind("<<ConsoleStatus>>", lambda _e, t=tab: self.refresh(t), add="+")
        self.select(frame)
        return tab

    def remove(self, tab: Tab) -> None:
        self.tabs_by_frame.pop(str(tab.frame), None)
        self.forget(tab.frame)
        tab.frame.destroy()

    def all(self) -> list[Tab]:
        """Tabs in the order shown."""
        return [self.tabs_by_frame[str(f)] for f in self.tabs() if str(f) in self.tabs_by_frame]

    def current(self) -> Tab | None:
        selected = self.select()
        return self.tabs_by_frame.get(str(selected)) if selected else None

    def label(self, tab: Tab) -> str:
        state = tab.console.status()[1]
        debugger = getattr(tab.console, "debugger", None)  # " · debugging", " · stopped"
        mark = debugger.tab_mark() if debugger is not None else ""
        return f"{STATE_MARKS.get(state, '?')} {tab.title}{mark}"

    def refresh(self, tab: Tab) -> None:
        if str(tab.frame) in self.tabs_by_frame:
            kernel = tab.console.status()[0]
            if kernel:
                tab.kernel_name = kernel
            self.tab(tab.frame, text=self.label(tab))
            self.on_change()

    def rename(self, tab: Tab, name: str) -> None:
        tab.name = name.strip() or None
        self.refresh(tab)

    # ------------------------------------------------------------------ moving
    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) tab, wrapping around."""
        pages = self.tabs()
        if pages:
            self.select((self.index("current") + delta) % len(pages))

    def move(self, tab: Tab, position: int) -> None:
        self.insert(max(0, min(position, len(self.tabs()) - 1)), tab.frame)
        self.on_change()

    def _tab_at(self, x: int, y: int) -> int | None:
        try:
            return int(self.index(f"@{x},{y}"))
        except tk.TclError:
            return None

    def _press(self, event: tk.Event) -> None:
        index = self._tab_at(event.x, event.y)
        self._dragged = self.tabs()[index] if index is not None else None

    def _drag(self, event: tk.Event) -> None:
        index = self._tab_at(event.x, event.y)
        if self._dragged is None or index is None:
            return
        if index != self.index(self._dragged):
            self.insert(index, self._dragged)
            self.on_change()

    def _double_click(self, event: tk.Event) -> None:
        index = self._tab_at(event.x, event.y)
        if index is not None:
            self.ask_rename(self.tabs_by_frame[str(self.tabs()[index])])

    def ask_rename(self, tab: Tab) -> tk.Toplevel:
        """A small titled dialog with the name selected; Enter renames, Escape cancels."""
        dialog = tk.Toplevel(self)
        dialog.title("Rename tab")
        dialog.transient(self.winfo_toplevel())
        body = ttk.Frame(dialog, padding=12)
        body.pack(fill="both", expand=True)
        ttk.Label(body, text="Tab name:").pack(anchor="w")
        entry = ttk.Entry(body, width=32)
        entry.insert(0, tab.title)
        entry.select_range(0, "end")
        entry.pack(fill="x", pady=(4, 0))

        def apply(_event: Any = None) -> None:
            self.rename(tab, entry.get())
            dialog.destroy()

        entry.bind("<Return>", apply)
        entry.bind("<KP_Enter>", apply)
        dialog.bind("<Escape>", lambda _e: dialog.destroy())
        place_near(dialog, self.winfo_toplevel())
        entry.focus_set()
        self.rename_dialog = dialog
        return dialog
