"""Drains the transport's queue on the Tk thread, a time budget per tick.

One pump serves every console in the process.  It hands each message to the
console registered for its connection, then lets the consoles draw within
what is left of the tick, so a flood can never freeze the window.  It polls
fast while a console waits for a reply and slowly when all are idle.
"""

from __future__ import annotations

import queue
import time
import tkinter as tk
from typing import Any, Protocol

BUDGET = 0.012  # s of work per tick; leaves room for redraws within 2 frames
FAST_MS = 1  # poll interval right after activity while a reply is awaited
SLOW_BUSY_MS = 10  # ... after FAST_WINDOW of quiet
IDLE_MS = 50  # poll interval when nobody waits for anything
FAST_WINDOW = 0.1  # s


class Receiver(Protocol):
    def receive(self, channel: str, msg: dict) -> None: ...

    def render(self, deadline: float) -> bool:
        """Draw pending output until ``deadline`` (at least one step); True if work is left."""

    def awaiting_reply(self) -> bool: ...


class MessagePump:
    def __init__(self, root: tk.Misc, source: queue.Queue) -> None:
        self.root = root
        self.queue = source
        self.receivers: dict[Any, Receiver] = {}
        self._behind: set[Receiver] = set()
        self._last_activity = 0.0
        self._job = root.after(FAST_MS, self._tick)

    def register(self, connection: Any, receiver: Receiver) -> None:
        self.receivers[connection] = receiver
        self.wake()

    def unregister(self, connection: Any) -> None:
        receiver = self.receivers.pop(connection, None)
        self._behind.discard(receiver)

    def wake(self) -> None:
        """Poll fast now: a request has just gone out."""
        self._last_activity = time.perf_counter()
        if self._job is not None:
            self.root.after_cancel(self._job)
        self._job = self.root.after(FAST_MS, self._tick)

    def _tick(self) -> None:
        self._job = None
        start = time.perf_counter()
        read_until = start + BUDGET / 3  # reading is cheap; drawing needs the rest
        deadline = start + BUDGET
        touched = self._behind
        self._behind = set()
        get = self.queue.get_nowait
        receivers = self.receivers
        while time.perf_counter() < read_until:
            try:
                connection, channel, msg = get()
            except queue.Empty:
                break
            receiver = receivers.get(connection)
            if receiver is not None:
                receiver.receive(channel, msg)
                touched.add(receiver)
        for receiver in touched:
            if receiver.render(deadline):
                self._behind.add(receiver)
        self._schedule(start, bool(touched))

    def _schedule(self, now: float, active: bool) -> None:
        if active:
            self._last_activity = now
        if self._behind or not self.queue.empty():
            delay = FAST_MS
        elif any(r.awaiting_reply() for r in self.receivers.values()):
            quiet = now - self._last_activity
            delay = FAST_MS if quiet < FAST_WINDOW else SLOW_BUSY_MS
        else:
            delay = IDLE_MS
        self._job = self.root.after(delay, self._tick)


_pump: MessagePump | None = None


def pump_for(widget: tk.Misc, source: queue.Queue) -> MessagePump:
    """The process's pump, bound to the widget's root (rebound if that died)."""
    global _pump
    root = widget.winfo_toplevel()._root()
    if _pump is None or _pump.root is not root:
        _pump = MessagePump(root, source)
    return _pump
