"""Answering the kernel's ``input()`` and ``getpass()`` in the console.

Plain input is typed at the end of the scrollback like code at a prompt;
a password goes into an entry field embedded in the text, never echoed.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from .guarded_text import INPUT, GuardedText
from .output.writer import OUT


class StdinField:
    """One console's stdin state: ``state`` is None when the kernel waits for nothing."""

    def __init__(self, text: GuardedText, send: Callable[[str], None]) -> None:
        self.text = text
        self.send = send  # called with the answer
        self.state: dict | None = None  # {"entry": ttk.Entry | None, "index": str}

    def begin(self, password: bool) -> None:
        text = self.text
        if password:
            entry = ttk.Entry(text, show="•", width=24)
            index = text.index(OUT)
            text.window_create(OUT, window=entry)
            entry.bind("<Return>", self._submit_key)
            entry.bind("<KP_Enter>", self._submit_key)
            entry.focus_set()
            self.state = {"entry": entry, "index": index}
        else:
            text.mark_set(INPUT, "end-1c")
            text.editable = True
            text.mark_set("insert", "end-1c")
            text.focus_set()
            self.state = {"entry": None}
        text.see("end")

    def _submit_key(self, _event: tk.Event) -> str:
        self.submit()
        return "break"

    def submit(self) -> None:
        state = self.state
        if state is None:
            return
        value = state["entry"].get() if state["entry"] is not None else self.text.input_text()
        self.end()
        self.text.write("end-1c", "\n")
        self.text.mark_set(OUT, "end-1c")
        self.send(value)

    def end(self) -> None:
        state, self.state = self.state, None
        if state is None:
            return
        self.text.editable = False
        if state["entry"] is not None:
            self.text.erase(state["index"])
            state["entry"].destroy()
            self.text.focus_set()
        self.text.mark_set(OUT, "end-1c")
