"""Drains the transport's queue on the Tk thread, a time budget per tick.

One pump serves every console in the process.  It hands each message to the
console registered for its connection, then lets the consoles draw within
what is left of the tick, so a flood can never freeze the window.

It cannot die: each receiver's ``receive`` and ``render`` runs guarded, an
exception is logged with its traceback and reported once to that receiver
(the console shows a notice), and the next tick is always scheduled, in a
``finally``: one broken console never stops the others.

Where Tk can watch a pipe (Unix), the queue pokes the pump awake the moment
a message arrives, so it neither polls nor lags.  Elsewhere it polls fast
while a console waits for a reply and slowly when all are idle.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import time
import tkinter as tk
from typing import Any, Protocol

from ..models.connection import MessageSource
from .tkfinalize import install, run_queued

log = logging.getLogger(__name__)

BUDGET = 0.012  # s of work per tick; leaves room for redraws within 2 frames
FAST_MS = 1  # poll interval right after activity while a reply is awaited
SLOW_BUSY_MS = 10  # ... after FAST_WINDOW of quiet
IDLE_MS = 200  # poll interval when nobody waits for anything (thread output, events)
SAFETY_MS = 1000  # with a wake-up pipe: a slow tick all the same, as a safety net
FAST_WINDOW = 0.1  # s
MAX_FAILURES = 10  # renders failing in a row before a receiver waits for new messages


class Receiver(Protocol):
    def receive(self, channel: str, msg: dict[str, Any]) -> None: ...

    def render(self, deadline: float) -> bool:
        """Draw pending output until ``deadline`` (at least one step); True if work is left."""

    def awaiting_reply(self) -> bool: ...

    def failed(self, exc: BaseException) -> None:
        """Receiving or drawing raised ``exc`` (already logged): tell the user once."""


class MessagePump:
    def __init__(self, root: tk.Misc, source: MessageSource) -> None:
        install()  # Tk objects freed off the Tk thread wait for our next tick
        self.root = root
        self.queue = source
        self.receivers: dict[Any, Receiver] = {}
        self._behind: set[Receiver] = set()
        self._last_activity = 0.0
        self._failures: dict[int, int] = {}  # id(receiver) -> failures in a row
        # One Tcl command for every tick: tkinter's after() would create and
        # delete a command per call, which dominates the cost of an idle tick.
        self._command = root.register(self._tick)
        self._job: str | None = None
        self._armed = False
        self._pipe = self._wake_pipe()
        self._schedule_in(FAST_MS)

    def _wake_pipe(self) -> tuple[int, int] | None:
        """A pipe the loop thread writes to when a message arrives (Unix Tk only)."""
        if os.name != "posix" or not hasattr(self.root.tk, "createfilehandler"):
            return None
        read, write = os.pipe()
        os.set_blocking(read, False)
        os.set_blocking(write, False)
        self.root.tk.createfilehandler(read, tk.READABLE, self._on_poke)
        self.queue.call_on_put(self._poke)
        return read, write

    def _poke(self) -> None:
        """Runs on the loop thread after each put: one byte, only if asleep."""
        pipe = self._pipe
        if self._armed and pipe is not None:
            self._armed = False
            # A full pipe means a wake-up is pending anyway.
            with contextlib.suppress(OSError):
                os.write(pipe[1], b"!")

    def _on_poke(self, fd: int, _mask: int) -> None:
        # A file handler's exception would escape mainloop(): nothing may leave.
        try:
            with contextlib.suppress(OSError):
                os.read(fd, 4096)
            if self._job is not None:
                self.root.tk.call("after", "cancel", self._job)
                self._job = None
        except Exception:
            log.exception("message pump wake-up failed")
        self._tick()

    def close(self) -> None:
        """Stop listening (the root went away); the queue polls no one."""
        self.queue.call_on_put(None)
        if self._pipe is not None:
            with contextlib.suppress(tk.TclError):
                self.root.tk.deletefilehandler(self._pipe[0])
            for fd in self._pipe:
                os.close(fd)
            self._pipe = None

    def register(self, connection: Any, receiver: Receiver) -> None:
        self.receivers[connection] = receiver
        self.expect_reply()

    def unregister(self, connection: Any) -> None:
        receiver = self.receivers.pop(connection, None)
        self._behind.discard(receiver)

    def expect_reply(self) -> None:
        """Poll fast now: a request has just gone out (no-op with a wake-up pipe)."""
        self._last_activity = time.perf_counter()
        if self._pipe is not None:
            return
        if self._job is not None:
            self.root.tk.call("after", "cancel", self._job)
        self._schedule_in(FAST_MS)

    def _schedule_in(self, delay_ms: int) -> None:
        self._job = self.root.tk.call("after", delay_ms, self._command)

    def _tick(self) -> None:
        self._job = None
        start = time.perf_counter()
        touched: set[Receiver] = set()
        try:
            run_queued()  # Tk objects the garbage collector freed on other threads
            touched = self._work(start)
        except Exception:  # the pump's own bookkeeping: log, go on
            log.exception("message pump tick failed")
        finally:
            try:
                self._schedule(start, bool(touched))
            except Exception:  # never lose the tick
                log.exception("message pump scheduling failed")
                self._schedule_in(FAST_MS)

    def _work(self, start: float) -> set[Receiver]:
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
                self._guarded(receiver, receiver.receive, channel, msg)
                touched.add(receiver)
        for receiver in touched:
            if receiver in receivers.values() and self._guarded(
                receiver, receiver.render, deadline
            ):
                self._behind.add(receiver)
        return touched

    def _guarded(self, receiver: Receiver, fn: Any, *args: Any) -> bool:
        """``fn(*args)``; an exception is logged and reported, never raised.

        True when there is (or may be) more work: after a failure the
        receiver stays scheduled, unless it keeps failing.
        """
        try:
            more = fn(*args)
        except Exception as exc:
            log.exception("a console failed; the others go on")
            failures = self._failures[id(receiver)] = self._failures.get(id(receiver), 0) + 1
            with contextlib.suppress(Exception):
                receiver.failed(exc)
            return failures < MAX_FAILURES
        self._failures.pop(id(receiver), None)
        return bool(more)

    def _schedule(self, now: float, active: bool) -> None:
        if active:
            self._last_activity = now
        if self._pipe is not None:
            self._armed = True  # before the emptiness check: no lost wake-up
        if self._behind or not self.queue.empty():
            self._armed = False
            delay = FAST_MS
        elif self._pipe is not None:
            delay = SAFETY_MS
        elif any(r.awaiting_reply() for r in self.receivers.values()):
            quiet = now - self._last_activity
            delay = FAST_MS if quiet < FAST_WINDOW else SLOW_BUSY_MS
        else:
            delay = IDLE_MS
        self._schedule_in(delay)


_pump: MessagePump | None = None


def pump_for(widget: tk.Misc, source: MessageSource) -> MessagePump:
    """The process's pump, bound to the widget's root (rebound if that died).

    Every connection shares the one loop thread's queue; a second queue
    would never be read, so it is an error, not a silent loss.
    """
    global _pump
    root: tk.Tk = widget.nametowidget(".")
    if _pump is not None and _pump.root is root and _pump.queue is not source:
        raise ValueError("pump_for: this window's pump drains another queue")
    if _pump is None or _pump.root is not root:
        if _pump is not None:
            _pump.close()
        _pump = MessagePump(root, source)
        _log_callback_errors(root)
    return _pump


def _log_callback_errors(root: tk.Tk) -> None:
    """Tk callbacks that raise are logged with their traceback (unless the
    host program installed its own handler)."""
    if "report_callback_exception" in vars(root):
        return

    def report(exc: type, value: BaseException, tb: Any) -> None:
        log.error("a Tk callback failed", exc_info=(exc, value, tb))

    root.report_callback_exception = report
