"""``theme = "auto"``: the window's theme follows the desktop's light or dark.

The follower asks ``system_look`` once at start and is told of changes; each
change picks the configured light or dark theme. Choosing a theme by hand
(View → Theme, ``--theme``, a theme name in the settings) stops following.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable

from ..models.appearance import AUTO, Scheme, choose_theme
from ..models.settings import AppearanceSettings
from .system_look import Watcher, watch_scheme


class ThemeFollower:
    def __init__(
        self, root: tk.Misc, appearance: AppearanceSettings, apply: Callable[[str], None]
    ) -> None:
        self.appearance, self.apply = appearance, apply
        self.scheme: Scheme
        self.watcher: Watcher | None
        self.scheme, self.watcher = watch_scheme(root, self._changed)
        root.bind("<Destroy>", lambda e: self.stop() if e.widget is root else None, add="+")

    def theme(self) -> str:
        """The theme the desktop's scheme asks for now."""
        return choose_theme(
            AUTO, self.scheme, self.appearance.light_theme, self.appearance.dark_theme
        )

    def _changed(self, scheme: Scheme) -> None:
        if scheme == "unknown" or scheme == self.scheme:
            return
        self.scheme = scheme
        self.apply(self.theme())

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
