"""Tk objects freed on any thread are finalized on the Tk thread.

tkinter's images, variables and named fonts (and Pillow's
``ImageTk.PhotoImage``) call Tk in ``__del__``, and the garbage collector
runs ``__del__`` on whichever thread happens to allocate when a collection
is due: here, often the math typesetting worker.  A Tk call from that
thread waits up to a second for the main loop and then fails ("main thread
is not in main loop"), so formulas typeset after a session that had shown
many images or widgets stalled for seconds, and the Tk objects leaked.  Off
the Tk thread the finalizer is queued instead (the object lives until
then), and the pump runs it on its next tick.  On the Tk thread nothing changes.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
import tkinter
import tkinter.font
from collections import deque
from collections.abc import Callable
from typing import Any

_queued: deque[Callable[[], None]] = deque()
_patched: set[str] = set()


def _on_tk_thread(finalizer: Callable[[Any], None]) -> Callable[[Any], None]:
    @functools.wraps(finalizer)
    def finalize(self: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            finalizer(self)
        else:
            _queued.append(functools.partial(finalizer, self))

    return finalize


def _patch(name: str, cls: type[Any]) -> None:
    if name not in _patched:
        _patched.add(name)
        cls.__del__ = _on_tk_thread(cls.__del__)


def install() -> None:
    """Guard tkinter's finalizers at once, Pillow's once it is loaded (never loaded
    for this: an embedded console may never need Pillow)."""
    _patch("image", tkinter.Image)
    _patch("variable", tkinter.Variable)
    _patch("font", tkinter.font.Font)
    pillow = sys.modules.get("PIL.ImageTk")
    if pillow is not None:
        _patch("pillow", pillow.PhotoImage)


def run_queued() -> None:
    """On the Tk thread, each pump tick: finalize what was freed elsewhere."""
    if len(_patched) < 4:
        install()
    while _queued:
        finalize = _queued.popleft()
        with contextlib.suppress(Exception):  # as in __del__: a failure is nobody's business
            finalize()
