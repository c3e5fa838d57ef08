"""The desktop's light/dark choice and scale, read from what each platform says.

Pure parsing and decisions; the ui layer (``ui/system_look.py``) asks the
platform (the XDG portal over D-Bus, gsettings, KDE's kdeglobals, the Windows
registry, macOS defaults, X resources) and hands the raw answers here.
"""

from __future__ import annotations

import re
from typing import Literal

Scheme = Literal["light", "dark", "unknown"]

AUTO = "auto"
BASE_DPI = 96.0  # what "scale 1.0" means: Tk's 96/72 points-to-pixels scaling
MIN_SCALE, MAX_SCALE = 0.5, 4.0


def scheme_from_portal(value: object) -> Scheme:
    """``org.freedesktop.appearance color-scheme``: 1 dark, 2 light, 0 no preference."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "unknown"
    table: dict[int, Scheme] = {1: "dark", 2: "light"}
    return table.get(value, "unknown")


def scheme_from_gsettings(output: str) -> Scheme:
    """``gsettings get org.gnome.desktop.interface color-scheme`` (or a monitor line)."""
    value = output.strip().rsplit(":", 1)[-1].strip().strip("'\"")
    table: dict[str, Scheme] = {"prefer-dark": "dark", "prefer-light": "light", "default": "light"}
    return table.get(value, "unknown")


def scheme_from_gtk_theme(output: str) -> Scheme:
    """``gsettings get org.gnome.desktop.interface gtk-theme``: ``'Adwaita-dark'``."""
    name = output.strip().strip("'\"")
    if not name:
        return "unknown"
    return "dark" if name.lower().endswith("dark") or "-dark-" in name.lower() else "light"


def scheme_from_kdeglobals(text: str) -> Scheme:
    """KDE's ``kdeglobals``: the window background's lightness under ``[Colors:Window]``."""
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "Colors:Window" and line.startswith("BackgroundNormal="):
            rgb = [part.strip() for part in line.split("=", 1)[1].split(",")]
            if len(rgb) >= 3 and all(p.isdigit() for p in rgb[:3]):
                r, g, b = (int(p) for p in rgb[:3])
                return "dark" if 0.299 * r + 0.587 * g + 0.114 * b < 128 else "light"
    return "unknown"


def scheme_from_windows(apps_use_light_theme: object) -> Scheme:
    """The registry value ``AppsUseLightTheme`` (0 dark, 1 light)."""
    if apps_use_light_theme in (0, 1) and not isinstance(apps_use_light_theme, bool):
        return "light" if apps_use_light_theme else "dark"
    return "unknown"


def scheme_from_macos(output: str, returncode: int) -> Scheme:
    """``defaults read -g AppleInterfaceStyle``: "Dark", or a failure when light."""
    if returncode == 0:
        return "dark" if output.strip().lower() == "dark" else "light"
    return "light"


def choose_theme(wanted: str, scheme: Scheme, light_theme: str, dark_theme: str) -> str:
    """The theme to use: ``wanted`` itself unless it is ``"auto"``."""
    if wanted != AUTO:
        return wanted
    return dark_theme if scheme == "dark" else light_theme


_XFT_DPI = re.compile(r"^Xft\.dpi:\s*([0-9]+(?:\.[0-9]+)?)\s*$", re.MULTILINE)


def xft_dpi(resources: str) -> float | None:
    """``Xft.dpi`` from the X server's resource string (``xrdb -query``), if set."""
    match = _XFT_DPI.search(resources)
    if match is None:
        return None
    dpi = float(match.group(1))
    return dpi if 24.0 <= dpi <= 960.0 else None


def scale_factor(setting: str | float, desktop_dpi: float | None) -> float | None:
    """The scale to apply (1.0 = 96 dpi), or None to keep Tk's own.

    ``setting`` is ``"auto"`` (the desktop's ``Xft.dpi`` where it says, else
    Tk's own guess from the screen) or a number.
    """
    if isinstance(setting, (int, float)) and not isinstance(setting, bool):
        return min(max(float(setting), MIN_SCALE), MAX_SCALE)
    if desktop_dpi is None:
        return None
    return min(max(desktop_dpi / BASE_DPI, MIN_SCALE), MAX_SCALE)


def tk_scaling(scale: float) -> float:
    """Tk's ``tk scaling`` (pixels per point) for a scale factor."""
    return scale * BASE_DPI / 72.0
