"""The "jump to bottom" button: shown while the view is scrolled up.

The console follows new output only while it is at the bottom; someone
reading old output is left alone, and this button takes them back.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk


class JumpToBottom:
    """Wraps the Text's ``yscrollcommand`` to show or hide a floating button."""

    def __init__(self, text: tk.Text, scrollbar: ttk.Scrollbar) -> None:
        self.text = text
        self.scrollbar = scrollbar
        self.button = ttk.Button(text, text="↓ Jump to bottom", command=self.jump)
        self.visible = False
        text.configure(yscrollcommand=self._on_scroll)

    def _on_scroll(self, first: float | str, last: float | str) -> None:
        self.scrollbar.set(first, last)
        away = float(last) < 0.999
        if away and not self.visible:
            self.button.place(relx=1.0, rely=1.0, x=-12, y=-8, anchor="se")
        elif not away and self.visible:
            self.button.place_forget()
        self.visible = away

    def jump(self) -> None:
        self.text.see("end")
        self.text.mark_set("insert", "end-1c")
        self.text.focus_set()
