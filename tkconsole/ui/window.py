"""The desktop window: menu, console, status bar, icon."""

from __future__ import annotations

import dataclasses
import tkinter as tk
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from ..models.settings import Settings, load_settings
from .console import Console
from .statusbar import StatusBar

DEFAULT_THEME = "bootstrap-light"
EDIT_MENU = (  # (label, key-table action); None: a separator
    ("Find…", "find"), ("Search history…", "reverse-search"), (None, None),
    ("Undo", "undo"), ("Redo", "redo"), ("Clear input", "clear-input"),
    ("Clear screen", "clear-screen"), (None, None),
    ("Zoom in", "zoom-in"), ("Zoom out", "zoom-out"), ("Actual size", "zoom-reset"),
)  # fmt: skip


def _use_theme(settings: Settings) -> Settings:
    """Switch to the settings file's theme; an unknown name becomes a warning."""
    name = settings.appearance.theme
    if name == DEFAULT_THEME:
        return settings
    try:
        ttk.Style().theme_use(name)
    except tk.TclError:
        warning = f"Unknown theme {name!r} in {settings.path}; using {DEFAULT_THEME}"
        return dataclasses.replace(settings, warnings=(*settings.warnings, warning))
    return settings


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


class MainWindow:
    """Builds the application window around one console."""

    def __init__(
        self,
        connection: Any,
        theme: str | None = None,
        master: Any = None,
        on_connect: Callable[[MainWindow], Any] | None = None,
    ) -> None:
        """``master``: open as a further window of that app; ``on_connect``: File → Connect….

        ``theme``: a ttkbootstrap theme; None means the settings file's.
        """
        self.on_connect = on_connect
        settings = load_settings()
        if master is None:
            self.root = ttk.App(
                title="tkconsole", theme=theme or DEFAULT_THEME, iconphoto=icon_path(),
                size=(960, 640),
            )  # fmt: skip
            if theme is None:
                settings = _use_theme(settings)
        else:
            self.root = ttk.Toplevel(title="tkconsole", master=master, size=(960, 640))
        self.console = Console(self.root, connection, settings=settings)
        # ``exit`` / ``quit`` in the kernel closes the window
        self.console.bind("<<ConsoleExit>>", lambda _e: self.root.after_idle(self.close), add="+")
        self.status = StatusBar(self.root, self.console)
        self.status.pack(side="bottom", fill="x")
        ttk.Separator(self.root).pack(side="bottom", fill="x")
        self.console.pack(side="top", fill="both", expand=True)
        self._build_menu()
        self.root.protocol("WM_DELETE_WINDOW", self.close)
        self.console.text.focus_set()

    def _build_menu(self) -> None:
        menubar = ttk.Menu(self.root)
        if self.on_connect is not None:
            file = ttk.Menu(menubar, tearoff=False)
            file.add_command(label="Connect…", command=lambda: self.on_connect(self))
            menubar.add_cascade(label="File", menu=file)
        menubar.add_cascade(label="Edit", menu=self._edit_menu(menubar))
        kernel = ttk.Menu(menubar, tearoff=False)
        kernel.add_command(label="Interrupt", accelerator="Ctrl+C", command=self.console.interrupt)
        kernel.add_command(label="Restart", accelerator="Ctrl+.", command=self.console.restart)
        kernel.add_separator()
        kernel.add_command(label="Quit", command=self.close)
        menubar.add_cascade(label="Kernel", menu=kernel)
        self.root.configure(menu=menubar)

    def _edit_menu(self, menubar: Any) -> Any:
        """Edit actions, with the keys the key table (and settings) give them."""
        editing, text = self.console.editing, self.console.text
        menu = ttk.Menu(menubar, tearoff=False)
        menu.add_command(label="Copy", command=lambda: text.event_generate("<<Copy>>"))
        menu.add_command(label="Paste", command=lambda: text.event_generate("<<Paste>>"))
        menu.add_separator()
        for label, action in EDIT_MENU:
            if action is None:
                menu.add_separator()
                continue
            menu.add_command(
                label=label,
                accelerator=editing.accelerator(action),
                command=lambda action=action: editing.run(action),
            )
        return menu

    def close(self) -> None:
        self.console.shutdown()
        self.root.destroy()
