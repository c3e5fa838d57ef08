"""ttkbootstrap themes: the names there are, and switching live.

Switching calls ``Style.theme_use``; Tk then sends ``<<ThemeChanged>>`` to
every widget, which is how each console re-colours its text, tags and
Pygments style (light or dark) without being told individually.
"""

from __future__ import annotations

import tkinter as tk
from importlib import resources
from pathlib import Path

from . import boot  # first: the ttkbootstrap imported below is its theme engine only
from .tkparts import follow_theme

DEFAULT_THEME = "bootstrap-light"
DARK_DEFAULT = "bootstrap-dark"
AUTO_THEME = "auto"  # follow the desktop's light or dark (settings: light_theme, dark_theme)


def theme_names() -> list[str]:
    """Every theme name ttkbootstrap knows, without creating a window."""
    from ttkbootstrap.themes.builtin import CURATED_THEMES

    names = {d.name for theme in CURATED_THEMES for d in theme.to_definitions()}
    return sorted(names)


def apply_theme(name: str) -> str:
    """Use theme ``name`` (falling back to the default); returns the one in use."""
    style = boot.Style()
    try:
        if style.theme_use() != name:
            style.theme_use(name)
    except tk.TclError:
        if style.theme_use() != DEFAULT_THEME:
            style.theme_use(DEFAULT_THEME)
        return DEFAULT_THEME
    finally:
        boot.release_icon_font()
        if style.master is not None:
            follow_theme(style.master)  # Tk's own file dialogs
    return name


def icon_path() -> str | None:
    """The PNG icon, installed as ``tkconsole.assets`` or beside a checkout."""
    try:
        path = resources.files("tkconsole.assets") / "icon.png"
        if path.is_file():
            return str(path)
    except ModuleNotFoundError:
        pass
    local = Path(__file__).resolve().parents[2] / "assets" / "icon.png"
    return str(local) if local.is_file() else None
