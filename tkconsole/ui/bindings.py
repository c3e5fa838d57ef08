"""Taking back the bindings a widget made on widgets it does not own.

tkinter's ``unbind(sequence, funcid)`` (before Python 3.13) clears every
binding of the sequence, the host program's too; an embedded console must
remove only its own script line, or leave a dead callback behind that
raises TclError on every event.
"""

from __future__ import annotations

import contextlib
import tkinter as tk
from typing import Any


def unbind_one(widget: tk.Misc, sequence: str, funcid: str | None) -> None:
    """Remove the one binding ``funcid`` (from ``bind(..., add="+")``)."""
    if not funcid:
        return
    with contextlib.suppress(tk.TclError):
        script = widget.tk.call("bind", str(widget), sequence)
        kept = "\n".join(line for line in str(script).split("\n") if funcid not in line)
        widget.tk.call("bind", str(widget), sequence, kept)
    with contextlib.suppress(tk.TclError, ValueError):
        widget.deletecommand(funcid)


def unbind_classes(widget: tk.Misc, tags: list[str]) -> None:
    """Drop binding classes (``bind_class``) made for one widget alone."""
    with contextlib.suppress(tk.TclError):
        for tag in tags:
            for sequence in widget.tk.splitlist(widget.tk.call("bind", tag)):
                widget.tk.call("bind", tag, sequence, "")


def modifier_state(event: tk.Event[Any]) -> int:
    """The event's modifier bits (Tk gives a string only for events that have none)."""
    state = event.state
    return state if isinstance(state, int) else 0
