"""The main window comes back where it was on this screen layout, and on screen."""

from __future__ import annotations

import contextlib
import tkinter as tk
from pathlib import Path

from ..models.settings import data_dir
from ..models.window_layout import (
    DEFAULT_SIZE,
    Placement,
    fit_on_screen,
    layout_key,
    load_layouts,
    parse_geometry,
    save_layout,
)

FILE_NAME = "window.json"


def layouts_file() -> Path:
    return data_dir() / FILE_NAME


def _screen(root: tk.Misc) -> tuple[int, int]:
    """The whole desktop: the virtual root spans every monitor."""
    return max(root.winfo_vrootwidth(), root.winfo_screenwidth()), max(
        root.winfo_vrootheight(), root.winfo_screenheight()
    )


def restore_place(
    root: tk.Tk | tk.Toplevel, scale: float = 1.0, path: Path | None = None
) -> Placement:
    """Put ``root`` where it last was on this layout; new: centred at the default
    size times ``scale`` (the screen's, 1.0 at 96 dpi)."""
    screen_w, screen_h = _screen(root)
    place = load_layouts(path or layouts_file()).get(layout_key(screen_w, screen_h))
    if place is None:
        w, h = (round(n * scale) for n in DEFAULT_SIZE)
        place = Placement(w, h, (screen_w - w) // 2, (screen_h - h) // 3)
    place = fit_on_screen(place, screen_w, screen_h)
    root.geometry(place.geometry())
    if place.maximized:
        _maximize(root)
    return place


def remember_place(root: tk.Tk | tk.Toplevel, path: Path | None = None) -> None:
    """Save where ``root`` is now; a window that cannot say is not remembered."""
    try:
        maximized = _is_maximized(root)
        place = parse_geometry(root.wm_geometry(), maximized)
        screen = _screen(root)
    except tk.TclError:
        return
    if place is None:
        return
    with contextlib.suppress(OSError):
        save_layout(path or layouts_file(), layout_key(*screen), place)


def _is_maximized(root: tk.Wm) -> bool:
    if root.wm_state() == "zoomed":
        return True
    try:
        return bool(int(root.wm_attributes("-zoomed")))
    except (tk.TclError, ValueError):
        return False


def _maximize(root: tk.Wm) -> None:
    try:
        root.wm_attributes("-zoomed", True)  # X11
    except tk.TclError:
        with contextlib.suppress(tk.TclError):
            root.wm_state("zoomed")  # Windows, macOS
