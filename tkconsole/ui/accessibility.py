"""Screen readers, where Tk can reach them (``tk accessible``, Tk 9.1 and later).

Tk 9.1 exposes its standard widgets to the platform's accessibility API
(AT-SPI on X11, UI Automation on Windows, NSAccessibility on macOS) by
itself; what it cannot know is what our widgets are for. ``describe`` gives
them a name and a description. On Tk 8.6 there is no such command and
nothing changes.
"""

from __future__ import annotations

import tkinter as tk

_AVAILABLE: dict[str, bool] = {}  # per interpreter


def available(widget: tk.Misc) -> bool:
    """Whether this Tk has ``tk accessible``."""
    key = str(widget.tk)
    if key not in _AVAILABLE:
        try:
            mapping = str(widget.tk.call("namespace", "ensemble", "configure", "tk", "-map"))
        except tk.TclError:
            mapping = ""
        _AVAILABLE[key] = "accessible" in mapping.split()
    return _AVAILABLE[key]


def describe(widget: tk.Misc, name: str, description: str = "", help_text: str = "") -> bool:
    """Name ``widget`` for screen readers; False where Tk cannot (nothing done)."""
    if not available(widget):
        return False
    try:
        widget.tk.call("tk", "accessible", "acc_name", widget, name)
        if description:
            widget.tk.call("tk", "accessible", "acc_description", widget, description)
        if help_text:
            widget.tk.call("tk", "accessible", "acc_help", widget, help_text)
    except tk.TclError:
        return False
    return True
