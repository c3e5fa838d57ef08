"""The Tk side of ``PromptRequests``: a masked password dialog.

``PasswordPrompt`` polls the requests from an ``after()`` timer (a worker
thread may not touch Tk) and shows each question in a small dialog whose
field never echoes what is typed.  Closing the dialog cancels.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from ...models.prompts import PromptRequests, Question

POLL_MS = 100


class PasswordDialog(tk.Toplevel):
    """One masked question; ``on_done(text or None)`` runs once."""

    def __init__(self, master: tk.Misc, prompt: str, on_done: Callable[[str | None], None]) -> None:
        super().__init__(master)
        self.title("tkconsole: password")
        self.transient(master.winfo_toplevel())
        self.resizable(False, False)
        self._on_done: Callable[[str | None], None] | None = on_done
        frame = ttk.Frame(self, padding=12)
        frame.pack(fill="both", expand=True)
        ttk.Label(frame, text=prompt, wraplength=420).pack(anchor="w")
        self.entry = ttk.Entry(frame, show="•", width=36)
        self.entry.pack(fill="x", pady=8)
        buttons = ttk.Frame(frame)
        buttons.pack(anchor="e")
        ok = ttk.Button(buttons, text="OK", command=self.submit)
        ttk.Button(buttons, text="Cancel", command=self.cancel).pack(side="right")
        ok.pack(side="right", padx=6)
        for key in ("<Return>", "<KP_Enter>"):  # a focused button is pressed; else OK
            self.bind(key, lambda _e: self._enter())
        self.bind("<Escape>", lambda _e: self.cancel())
        self.protocol("WM_DELETE_WINDOW", self.cancel)
        self.entry.focus_set()

    def _enter(self) -> None:
        focused = self.focus_get()
        if isinstance(focused, ttk.Button):
            focused.invoke()
        else:
            self.submit()

    def submit(self) -> None:
        self._finish(self.entry.get())

    def cancel(self) -> None:
        self._finish(None)

    def _finish(self, value: str | None) -> None:
        done, self._on_done = self._on_done, None
        self.destroy()
        if done is not None:
            done(value)


class PasswordPrompt:
    """Answers ``requests`` with dialogs over ``master`` for as long as it lives."""

    def __init__(self, master: tk.Misc, requests: PromptRequests) -> None:
        self.master = master
        self.requests = requests
        self.dialog: PasswordDialog | None = None
        self.question: Question | None = None
        self._job: str | None = master.after(POLL_MS, self._poll)
        master.bind("<Destroy>", self._on_destroy, add="+")

    def _poll(self) -> None:
        self._job = None
        if self.dialog is None:
            question = self.requests.next_question()
            if question is not None:
                self._show(question)
        self._job = self.master.after(POLL_MS, self._poll)

    def _show(self, question: Question) -> None:
        def done(value: str | None) -> None:
            self.dialog = self.question = None
            self.requests.answer(question, value)

        self.question = question
        self.dialog = PasswordDialog(self.master, question.prompt, done)

    def _on_destroy(self, event: tk.Event) -> None:
        """The window is going: cancel every question so no worker waits forever."""
        if event.widget is not self.master:
            return
        if self._job is not None:
            self.master.after_cancel(self._job)
            self._job = None
        if self.question is not None:
            self.requests.answer(self.question, None)
        while (question := self.requests.next_question()) is not None:
            self.requests.answer(question, None)
