"""A Text widget whose user edits are confined to an input region.

Every binding, paste and drag goes through the widget command, so guarding
that one command keeps the scrollback read-only however the edit arrives.
The program itself writes through ``write`` and ``erase``, which bypass it.

The widget command is a small Tcl procedure around the Python one: Python
returns ``(ok, result)`` and the procedure raises the Tcl error itself, so
a failing widget command (``get sel.first sel.last`` with nothing selected,
as Ctrl+W and <<Cut>> do) is an ordinary Tcl error that Tk's bindings catch,
never a Python exception stored to escape ``mainloop()``.

Tk's undo stack records positions as plain line.column indices, so a write
by the program (output above the prompt, a new prompt) would leave it
pointing at the wrong text: every program write empties it, which keeps
undo to the user's own edits of the current input.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

INPUT = "input"  # mark: start of the editable region
OUTPUT_CLEARED = "<<OutputCleared>>"  # output was cleared away (Ctrl+L): let go of its images


class GuardedText(tk.Text):
    """``editable`` turns the region from the ``input`` mark to the end on or off."""

    def __init__(self, master: tk.Misc, **kwargs: Any) -> None:
        super().__init__(master, **kwargs)
        self.editable = False
        # after any edit, the user's or ours: (first line, last line or None = to the end)
        self.on_change: Callable[[int, int | None], None] | None = None
        self._path = str(self)  # the widget's Tcl command, which the guard takes over
        self._raw = self._path + "_raw"
        self._py = self._path + "_py"
        self.tk.call("rename", self._path, self._raw)
        self.tk.createcommand(self._py, self._dispatch_safe)
        self.tk.call(
            "proc", self._path, "args",
            f"lassign [{self._py} {{*}}$args] ok value\n"
            "if {$ok} {return $value}\nreturn -code error $value",
        )  # fmt: skip
        self.mark_set(INPUT, "end-1c")
        self.mark_gravity(INPUT, "left")

    def destroy(self) -> None:
        try:
            self.tk.call("rename", self._path, "")
            self.tk.deletecommand(self._py)
            self.tk.call("rename", self._raw, self._path)
        except tk.TclError:
            pass
        super().destroy()

    # The program's own writes: never guarded.
    def write(self, index: str, *chars_and_tags: Any) -> None:
        self._edit("insert", (index, *chars_and_tags))
        self.tk.call(self._raw, "edit", "reset")  # recorded undo positions are stale now

    def erase(self, start: str, end: str | None = None) -> None:
        self._edit("delete", (start,) if end is None else (start, end))
        self.tk.call(self._raw, "edit", "reset")

    def _edit(self, op: str, args: tuple) -> Any:
        """Run an edit on the real widget and tell ``on_change`` which lines it touched."""
        if self.on_change is None:
            return self.tk.call(self._raw, op, *args)
        first, last = self._span(op, args)
        result = self.tk.call(self._raw, op, *args)
        self.on_change(first, last)
        return result

    def _span(self, op: str, args: tuple) -> tuple[int, int | None]:
        """Lines an edit is about to touch; None as the last: lines come or go, to the end."""
        line = self._line(args[0])
        if op == "insert":
            grows = any("\n" in str(chars) for chars in args[1::2])
            return line, None if grows else line
        if op == "delete":
            end = args[1] if len(args) > 1 else f"{args[0]}+1c"
            return line, line if self._line(end) == line else None
        return line, None

    def _line(self, index: str) -> int:
        return int(str(self.tk.call(self._raw, "index", index)).split(".", 1)[0])

    def _dispatch_safe(self, *args: Any) -> tuple[int, Any]:
        try:
            return 1, self._dispatch(*args)
        except tk.TclError as exc:
            return 0, str(exc)
        except Exception as exc:  # a bug of ours: a Tcl error, never out of mainloop
            log.exception("text widget command %r failed", args[:1])
            return 0, repr(exc)

    def _dispatch(self, op: str, *args: Any) -> Any:
        allowed: tuple[Any, ...] | None = args
        if op == "insert":
            allowed = self._guard_insert(args)
        elif op == "delete":
            allowed = self._guard_delete(args)
        elif op == "replace" and not self._guard_delete(args[:2]):
            return ""
        if allowed is None:
            return ""
        if op in ("insert", "delete", "replace"):
            return self._edit(op, allowed)
        return self.tk.call(self._raw, op, *allowed)

    def _in_input(self, index: str) -> bool:
        return self.editable and bool(self.tk.call(self._raw, "compare", index, ">=", INPUT))

    def _guard_insert(self, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if not args or self._in_input(args[0]):
            return args
        if not self.editable:
            return None
        # Typing with the cursor up in the scrollback: type at the end instead.
        self.tk.call(self._raw, "mark", "set", "insert", "end-1c")
        self.tk.call(self._raw, "see", "insert")
        return ("end-1c", *args[1:])

    def _guard_delete(self, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if not self.editable or not args:
            return None
        start = args[0]
        end = args[1] if len(args) > 1 else f"{start}+1c"
        if not self._in_input(end) or self.tk.call(self._raw, "compare", end, "==", INPUT):
            return None
        if not self._in_input(start):
            start = INPUT
        return (start, end)

    def input_text(self) -> str:
        return self.tk.call(self._raw, "get", INPUT, "end-1c")
