"""The desktop window: menu, console, status bar, icon."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from .console import Console
from .statusbar import StatusBar


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

    def __init__(self, connection: Any, theme: str = "bootstrap-light") -> None:
        self.root = ttk.App(title="tkconsole", theme=theme, iconphoto=icon_path(), size=(960, 640))
        self.console = Console(self.root, connection)
        self.status = StatusBar(self.root, self.console)
        self.status.pack(side="bottom", fill="x")
        ttk.Separator(self.root).pack(side="bottom", fill="x")
        self.console.pack(side="top", fill="both", expand=True)
        self._build_menu()
        self.root.protocol("WM_DELETE_WINDOW", self.close)
        self.console.text.focus_set()

    def _build_menu(self) -> None:
        menubar = ttk.Menu(self.root)
        kernel = ttk.Menu(menubar, tearoff=False)
        kernel.add_command(label="Interrupt", accelerator="Ctrl+C", command=self.console.interrupt)
        kernel.add_command(label="Restart", accelerator="Ctrl+.", command=self.console.restart)
        kernel.add_separator()
        kernel.add_command(label="Quit", command=self.close)
        menubar.add_cascade(label="Kernel", menu=kernel)
        self.root.configure(menu=menubar)

    def close(self) -> None:
        self.console.shutdown()
        self.root.destroy()
