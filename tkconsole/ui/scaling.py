"""Scaling with the screen: Tk's points-to-pixels factor from the desktop's DPI.

Fonts given in points (the console's are) and typeset math, whose images are
sized from ``tk scaling``, follow it. On X11 the desktop's scale is the
``Xft.dpi`` resource (what GNOME, KDE and Xfce set), read from the X server
through Xlib, which Tk already loaded; elsewhere Tk's own value stands unless
the settings give a number. A Windows process is made DPI-aware before its
first window, or Windows would stretch a blurry bitmap of it instead.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
import tkinter as tk

from ..models.appearance import scale_factor, tk_scaling, xft_dpi


def make_dpi_aware() -> None:
    """Windows: per-monitor DPI awareness for this process (before any window)."""
    if sys.platform != "win32":
        return
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return
    with contextlib.suppress(AttributeError, OSError):
        windll.shcore.SetProcessDpiAwareness(2)
        return
    with contextlib.suppress(AttributeError, OSError):
        windll.user32.SetProcessDPIAware()


def apply_scale(root: tk.Misc, setting: str | float) -> float:
    """Set ``tk scaling`` from ``setting``; returns the scale in use (1.0 = 96 dpi)."""
    dpi = x_resource_dpi(root) if setting == "auto" else None
    scale = scale_factor(setting, dpi)
    if scale is not None:
        root.tk.call("tk", "scaling", tk_scaling(scale))
    return float(root.tk.call("tk", "scaling")) * 72.0 / 96.0


def x_resource_dpi(root: tk.Misc) -> float | None:
    """``Xft.dpi`` from the X server's resources, or None (not X11, not set)."""
    if root.tk.call("tk", "windowingsystem") != "x11":
        return None
    return xft_dpi(_x_resources(root.winfo_screen() or os.environ.get("DISPLAY", "")))


def _x_resources(display: str) -> str:
    name = ctypes.util.find_library("X11")
    if not name:
        return ""
    try:
        xlib = ctypes.CDLL(name)
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        xlib.XResourceManagerString.restype = ctypes.c_char_p
        xlib.XResourceManagerString.argtypes = [ctypes.c_void_p]
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return ""
    handle = xlib.XOpenDisplay(display.encode())
    if not handle:
        return ""
    try:
        text = xlib.XResourceManagerString(handle)
        return text.decode("utf-8", "replace") if text else ""
    finally:
        xlib.XCloseDisplay(handle)
