"""``exit`` typed in a console attached to a kernel someone else started.

That kernel is not ours to end: ask whether to close only the console,
shut the kernel down as well, or carry on.
"""

from __future__ import annotations

import tkinter as tk

from .choice import ask_choice

CLOSE, SHUT_DOWN, CANCEL = "close", "shutdown", "cancel"


def ask_exit_action(console: tk.Misc, kernel_name: str) -> str:
    """``close``, ``shutdown`` or ``cancel`` (the dialog closed without a choice)."""
    answer = ask_choice(
        console,
        "Close console",
        f"This console is attached to a kernel it did not start ({kernel_name}).\n"
        "Close only the console and leave the kernel running, or shut the kernel down too?",
        [(CLOSE, "Close console only"), (SHUT_DOWN, "Also shut down kernel"), (CANCEL, "Cancel")],
    )
    return answer or CANCEL
