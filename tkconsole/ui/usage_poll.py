"""Asks the kernel for its CPU and memory every few seconds, only while seen.

The poll runs while the console can be seen: minimised, or in a hidden
tab, its timer stops (no wake-ups), and the next ``<Map>`` starts it again.
A kernel that leaves the first ``usage_request`` unanswered (ipykernel
before 6.11, most other kernels) gets no timer at all until it restarts.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

from .bindings import unbind_one

if TYPE_CHECKING:
    from .console import Console

ANSWER_WAIT_MS = 5000  # a first request unanswered by then: the kernel cannot say


class UsagePoller:
    def __init__(self, console: Console, interval_s: int) -> None:
        self.console = console
        self.interval_ms = interval_s * 1000
        self.answers: bool | None = None  # does the kernel answer? (None: not asked yet)
        self._running = False  # the kernel is ready
        self._waiting = False  # a request is out
        self._job: str | None = None
        self._top = console.winfo_toplevel()
        console.bind("<Map>", self._mapped, add="+")
        self._top_binding = self._top.bind("<Map>", self._mapped, add="+")
        console.bind("<Destroy>", self._destroyed, add="+")

    @property
    def polling(self) -> bool:
        """A poll is scheduled (False while hidden, and for kernels that do not answer)."""
        return self._job is not None

    def start(self) -> None:
        """The kernel is ready (again): ask it, if anyone can see the answer."""
        self.answers, self._running, self._waiting = None, True, False
        self._poll()

    def stop(self) -> None:
        self._running = False
        self._cancel()

    def answered(self) -> None:
        """A usage reply arrived: show it, and ask again after the interval."""
        self.answers, self._waiting = True, False
        self.console.event_generate("<<ConsoleUsage>>", when="tail")
        self._schedule(self.interval_ms)

    def _poll(self) -> None:
        self._job = None
        if not self._wanted():
            return
        if self._waiting and self.answers is None:  # the first question went unanswered
            self.answers = False
            self.console.event_generate("<<ConsoleUsage>>", when="tail")
            return
        self._waiting = True
        self.console.conn.request("control", "usage_request", {})
        self._schedule(max(ANSWER_WAIT_MS, self.interval_ms))

    def _wanted(self) -> bool:
        """Worth asking: the kernel is up (requests to a dead one would pile up
        until it is back), may answer, and someone can see the answer."""
        alive = self._running and self.interval_ms > 0 and self.answers is not False
        up = self.console.model.kernel_state in ("idle", "busy")
        return alive and up and bool(self.console.winfo_viewable())

    def _schedule(self, ms: int) -> None:
        self._cancel()
        if self._wanted():
            self._job = self.console.after(ms, self._poll)

    def _cancel(self) -> None:
        if self._job is not None:
            self.console.after_cancel(self._job)
            self._job = None

    def _mapped(self, event: tk.Event) -> None:
        if event.widget in (self.console, self._top) and self._job is None and self._wanted():
            self.console.after_idle(self._poll)

    def _destroyed(self, event: tk.Event) -> None:
        if event.widget is self.console:
            self.stop()
            unbind_one(self._top, "<Map>", self._top_binding)
