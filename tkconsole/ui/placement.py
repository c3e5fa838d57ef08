"""Placing a new window where it can be seen: over its owner, on the screen."""

from __future__ import annotations

import tkinter as tk


def place_near(dialog: tk.Toplevel, owner: tk.Misc, width: int = 0, height: int = 0) -> None:
    """Centre ``dialog`` over ``owner`` and keep it wholly on the screen.

    ``width``/``height``: the size wanted (default: what the dialog asks for),
    shrunk to fit the screen.
    """
    dialog.update_idletasks()
    screen_w, screen_h = dialog.winfo_screenwidth(), dialog.winfo_screenheight()
    w = min(width or dialog.winfo_reqwidth(), screen_w)
    h = min(height or dialog.winfo_reqheight(), screen_h)
    x = owner.winfo_rootx() + (owner.winfo_width() - w) // 2
    y = owner.winfo_rooty() + (owner.winfo_height() - h) // 3
    x = max(0, min(x, screen_w - w))
    y = max(0, min(y, screen_h - h))
    size = f"{w}x{h}" if width or height else ""
    dialog.geometry(f"{size}+{x}+{y}")
