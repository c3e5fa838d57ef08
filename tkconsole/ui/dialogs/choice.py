"""A titled question with a few buttons, answered before the caller goes on.

Used for the questions closing asks (shut the kernel down?), so it waits
for the answer (``wait_window``); ``ChoiceDialog.last`` lets a test find
the open one and press its buttons as a person would.
"""

from __future__ import annotations

import contextlib
import tkinter as tk
from collections.abc import Sequence
from functools import partial
from tkinter import ttk

from ..placement import place_near


class ChoiceDialog(tk.Toplevel):
    """``choices``: (answer, button label) pairs; Escape or the close button: None."""

    last: ChoiceDialog | None = None

    def __init__(
        self, master: tk.Misc, title: str, message: str, choices: Sequence[tuple[str, str]]
    ) -> None:
        # fixed names (.question.body.buttons.<answer>): another program can press them
        super().__init__(master, name="question")
        self.title(title)
        self.transient(master.winfo_toplevel())
        self.answer: str | None = None
        body = ttk.Frame(self, padding=16, name="body")
        body.pack(fill="both", expand=True)
        ttk.Label(body, text=message, wraplength=420, justify="left").pack(anchor="w")
        row = ttk.Frame(body, name="buttons")
        row.pack(fill="x", pady=(14, 0))
        self.buttons: dict[str, ttk.Button] = {}
        for answer, label in reversed(choices):
            button = ttk.Button(row, text=label, command=partial(self.choose, answer), name=answer)
            button.pack(side="right", padx=(6, 0))
            self.buttons[answer] = button
        for answer, _label in choices:  # Tab goes left to right: stacking order is Tab order
            self.buttons[answer].lift()
        self.bind("<Escape>", lambda _e: self.choose(None))
        self.protocol("WM_DELETE_WINDOW", lambda: self.choose(None))
        place_near(self, master.winfo_toplevel())
        first = self.buttons[choices[0][0]]
        first.focus_set()
        self.bind("<Return>", lambda _e: self._invoke_focused())
        ChoiceDialog.last = self

    def _invoke_focused(self) -> None:
        focused = self.focus_get()
        if isinstance(focused, ttk.Button):
            focused.invoke()

    def choose(self, answer: str | None) -> None:
        self.answer = answer
        self.destroy()


def ask_choice(
    master: tk.Misc, title: str, message: str, choices: Sequence[tuple[str, str]]
) -> str | None:
    """Show the question, wait for a button; returns its answer (None: cancelled)."""
    dialog = ChoiceDialog(master, title, message, choices)
    with contextlib.suppress(tk.TclError):  # not viewable yet (no window manager)
        dialog.grab_set()
    dialog.wait_window()
    return dialog.answer


def show_info(master: tk.Misc, title: str, text: str) -> tk.Toplevel:
    """A titled message with an OK button that does not wait (About, errors)."""
    dialog = tk.Toplevel(master)
    dialog.title(title)
    dialog.transient(master.winfo_toplevel())
    body = ttk.Frame(dialog, padding=16)
    body.pack(fill="both", expand=True)
    ttk.Label(body, text=text, justify="left", wraplength=480).pack(anchor="w")
    button = ttk.Button(body, text="OK", command=dialog.destroy)
    button.pack(anchor="e", pady=(14, 0))
    dialog.bind("<Escape>", lambda _e: dialog.destroy())
    dialog.bind("<Return>", lambda _e: dialog.destroy())
    place_near(dialog, master.winfo_toplevel())
    button.focus_set()
    return dialog
