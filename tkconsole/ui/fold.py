"""Folded long lines: the head stays in the console, the rest behind a button.

Tk lays a logical line out in time proportional to its length on every
redraw (a megabyte line takes seconds), so a line longer than the fold
threshold never reaches the Text whole.  The full text stays here, for
copying, viewing, or showing more of it in chunks, each chunk its own line.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from .guarded_text import GuardedText

HEAD = 1000  # characters of a folded line shown at once
EXPAND_CHUNK = 10_000  # characters added per "Show more" (and per viewer line)


def hidden_label(hidden: int) -> str:
    return f"… {hidden:,} more characters"


class Fold(ttk.Frame):
    """The button row embedded after a folded line's visible head; "Show
    more" inserts the next chunk just before it, as a line of its own."""

    def __init__(
        self, text: GuardedText, full: str, shown: int, before_change: Callable[[], None]
    ) -> None:
        super().__init__(text, padding=(4, 0))
        self.text = text
        self.before_change = before_change  # a line that grows must leave the live region
        self.full = full
        self.shown = shown
        self.label = ttk.Label(self, text=hidden_label(len(full) - shown))
        self.label.pack(side="left")
        for caption, command in (
            ("Show more", self.expand),
            ("Copy", self.copy),
            ("View", self.view),
        ):
            ttk.Button(self, text=caption, command=command, width=len(caption) + 1).pack(
                side="left", padx=(4, 0)
            )

    def expand(self) -> None:
        chunk = self.full[self.shown : self.shown + EXPAND_CHUNK]
        if not chunk:
            return
        self.before_change()
        self.text.write(self.text.index(self), "\n" + chunk)
        self.shown += len(chunk)
        hidden = len(self.full) - self.shown
        if hidden:
            self.label.configure(text=hidden_label(hidden))
        else:
            self.text.erase(self.text.index(self))  # nothing left to hide
            self.destroy()

    def copy(self) -> None:
        self.clipboard_clear()
        self.clipboard_append(self.full)

    def view(self) -> None:
        """The whole line in a window of its own, chunked so Tk stays fast."""
        top = tk.Toplevel(self)
        top.title(f"Long line: {len(self.full):,} characters")
        top.geometry("900x500")
        viewer = tk.Text(top, wrap="char")
        bar = ttk.Scrollbar(top, command=viewer.yview)
        viewer.configure(yscrollcommand=bar.set)
        bar.pack(side="right", fill="y")
        viewer.pack(fill="both", expand=True)
        chunks = (self.full[i : i + EXPAND_CHUNK] for i in range(0, len(self.full), EXPAND_CHUNK))
        viewer.insert("1.0", "\n".join(chunks))
        viewer.configure(state="disabled")
        top.bind("<Escape>", lambda _e: top.destroy())
