"""``exit`` / ``quit`` typed in a console on a kernel it did not start.

Since ipykernel 7 the kernel stops its own event loop 0.1 s after ``exit``
runs, before the ``ask_exit`` payload reaches us: asking afterwards is too
late.  So the whole-input words are caught before they are sent, and the
question comes first.  A console in the app window gets the window's guard
instead (it also knows the other tabs on the kernel).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import Any, Protocol

from ..models.connection import Connection
from .dialogs.exit import CANCEL, SHUT_DOWN, ask_exit_action


class ExitingConsole(Protocol):
    """What the guard needs of its console (``ui.console.Console``, which imports this)."""

    conn: Connection

    @property
    def editing(self) -> Any: ...  # its run("clear-input")

    def leave(self, keep_kernel: bool) -> None: ...

    def after_idle(self, func: Callable[[], object]) -> str: ...

    def winfo_toplevel(self) -> tk.Tk | tk.Toplevel: ...


ExitGuard = Callable[[str], bool]  # True: the exit was taken care of, do not send it


def ask_unless_ours(console: ExitingConsole) -> ExitGuard:
    """The guard of a console on its own: ask when the kernel is not ours."""

    def guard(_code: str) -> bool:
        if console.conn.owns_kernel:
            return False  # ours: the kernel ends, its ask_exit closes the console
        console.after_idle(answer)
        return True

    def answer() -> None:
        action = ask_exit_action(console.winfo_toplevel(), console.conn.display_name)
        if action == CANCEL:
            console.editing.run("clear-input")
            return
        if action == SHUT_DOWN:
            console.conn.request("control", "shutdown_request", {"restart": False})
        console.leave(keep_kernel=action != SHUT_DOWN)

    return guard
