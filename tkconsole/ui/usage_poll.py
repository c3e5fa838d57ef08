"""Asks the kernel for its CPU and memory every few seconds, while it works and is seen.

The poll runs while a cell runs and the console can be seen: minimised, or
in a hidden tab, its timer stops (no wake-ups), and the next ``<Map>``
starts it again. An idle kernel is asked once, when it becomes idle, and
then left alone: an idle console sets no timer, and a server's culler, for
which every answer is the kernel's activity, can still end a kernel idle
for long.
A kernel that leaves the first ``usage_request`` unanswered (ipykernel
before 6.11, most other kernels) gets no timer at all until it restarts.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable

from .bindings import unbind_one

ANSWER_WAIT_MS = 5000  # a first request unanswered by then: the kernel cannot say


class UsagePoller:
    """For one console (``widget``): ``ask`` sends a usage request, ``kernel_up``
    says whether the kernel can answer now."""

    def __init__(
        self,
        widget: tk.Misc,
        interval_s: int,
        ask: Callable[[], object],
        kernel_up: Callable[[], bool],
        kernel_busy: Callable[[], bool],
    ) -> None:
        self.widget = widget
        self.ask = ask
        self.kernel_up = kernel_up
        self.kernel_busy = kernel_busy
        self._was_busy = False
        self.interval_ms = interval_s * 1000
        self.answers: bool | None = None  # does the kernel answer? (None: not asked yet)
        self._running = False  # the kernel is ready
        self._waiting = False  # a request is out
        self._job: str | None = None
        self._top = widget.winfo_toplevel()
        widget.bind("<Map>", self._mapped, add="+")
        self._top_binding = self._top.bind("<Map>", self._mapped, add="+")
        widget.bind("<Destroy>", self._destroyed, add="+")
        widget.bind("<<ConsoleStatus>>", self._status, add="+")

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
        """A usage reply arrived: show it, and ask again after the interval if busy."""
        self.answers, self._waiting = True, False
        self.widget.event_generate("<<ConsoleUsage>>", when="tail")
        if self.kernel_busy():
            self._schedule(self.interval_ms)
        else:
            self._cancel()  # idle: this answer stands until the kernel works again

    def _status(self, _event: tk.Event) -> None:
        """Busy began (poll from now on) or ended (one last look)."""
        busy = self.kernel_busy()
        if busy != self._was_busy and self._job is None and self._wanted():
            self._job = self.widget.after_idle(self._poll)
        self._was_busy = busy

    def _poll(self) -> None:
        self._job = None
        if not self._wanted():
            return
        if self._waiting and self.answers is None:  # the first question went unanswered
            self.answers = False
            self.widget.event_generate("<<ConsoleUsage>>", when="tail")
            return
        self._waiting = True
        self.ask()
        self._schedule(max(ANSWER_WAIT_MS, self.interval_ms))

    def _wanted(self) -> bool:
        """Worth asking: the kernel is up (requests to a dead one would pile up
        until it is back), may answer, and someone can see the answer."""
        alive = self._running and self.interval_ms > 0 and self.answers is not False
        return alive and self.kernel_up() and bool(self.widget.winfo_viewable())

    def _schedule(self, ms: int) -> None:
        self._cancel()
        if self._wanted():
            self._job = self.widget.after(ms, self._poll)

    def _cancel(self) -> None:
        if self._job is not None:
            self.widget.after_cancel(self._job)
            self._job = None

    def _mapped(self, event: tk.Event) -> None:
        if event.widget in (self.widget, self._top) and self._job is None and self._wanted():
            self.widget.after_idle(self._poll)

    def _destroyed(self, event: tk.Event) -> None:
        if event.widget is self.widget:
            self.stop()
            unbind_one(self._top, "<Map>", self._top_binding)
