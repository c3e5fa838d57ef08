"""What the window and its menus ask of the app layer.

The app layer's ``tkconsole.connector.Connector`` implements it; mypy holds
it to this where ``MainWindow(connector)`` is built.  It lives apart from
``mainwindow.py`` so that the menus can name it without importing the window.
"""

from __future__ import annotations

import tkinter as tk
from typing import Protocol

from ..models.connection import Connection
from ..models.target import Target
from .dialogs.kernel_picker import KernelChoice


class AppBackend(Protocol):
    def kernel_choices(self) -> list[KernelChoice]: ...

    def open_kernel(self, name: str) -> Connection:
        """A started connection to a new kernel of kernelspec ``name``."""
        ...

    def open_target(self, target: Target) -> Connection:
        """A started connection for ``target``; ``ValueError`` with one line."""
        ...

    def same_kernel(self, connection: Connection) -> tuple[Connection, Target] | None:
        """A second connection to ``connection``'s kernel, and its target."""
        ...

    def target_of(self, connection: Connection) -> Target | None:
        """Where ``connection`` goes (None: cannot say)."""
        ...

    def show_dialog(self, parent: tk.Misc) -> object:
        """File → Connect…: the dialog, over ``parent``."""
        ...

    def recent(self) -> list[tuple[str, Target]]: ...
