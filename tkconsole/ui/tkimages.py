"""Tk images freed on any thread are deleted on the Tk thread.

tkinter (and Pillow's ``ImageTk.PhotoImage``) delete their Tk image in
``__del__``, and the garbage collector runs ``__del__`` on whichever thread
happens to allocate when a collection is due: here, often the math
typesetting worker.  A Tk call from that thread waits up to a second for the
main loop and then fails ("main thread is not in main loop"), so a cell of
formulas stalled for seconds after a session that had shown many images.
Off the Tk thread the deletion is queued instead, and the pump carries it
out on its next tick.  On the Tk thread nothing changes.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import tkinter
from collections import deque
from typing import Any

_queued: deque[tuple[Any, str]] = deque()  # (tkapp, image name)
_patched: set[str] = set()


def _release(image: tkinter.Image) -> None:
    name, tk = image.name, getattr(image, "tk", None)
    if not name or tk is None:
        return
    image.name = None  # whatever happens, never twice
    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(tkinter.TclError):  # the root is gone already
            tk.call("image", "delete", name)
    else:
        _queued.append((tk, name))


def _tkinter_del(self: tkinter.Image) -> None:
    _release(self)


def _pillow_del(self: Any) -> None:
    photo = getattr(self, "_PhotoImage__photo", None)
    if isinstance(photo, tkinter.Image):
        _release(photo)


def install() -> None:
    """Route image deletion through ``_release``: tkinter's at once, Pillow's once
    it is loaded (never loaded for this: an embedded console may never need it)."""
    if "tkinter" not in _patched:
        _patched.add("tkinter")
        tkinter.Image.__del__ = _tkinter_del  # type: ignore[method-assign]
    pillow = sys.modules.get("PIL.ImageTk")
    if pillow is not None and "pillow" not in _patched:
        _patched.add("pillow")
        pillow.PhotoImage.__del__ = _pillow_del


def delete_queued() -> None:
    """On the Tk thread, each pump tick: delete the images freed elsewhere."""
    if len(_patched) < 2:
        install()
    while _queued:
        tk, name = _queued.popleft()
        with contextlib.suppress(tkinter.TclError):
            tk.call("image", "delete", name)
