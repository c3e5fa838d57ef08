"""A scrollbar that shows only when there is something to scroll to."""

from __future__ import annotations

from tkinter import ttk
from typing import Any


def autohide(bar: ttk.Scrollbar, **pack: Any) -> ttk.Scrollbar:
    """Make ``bar`` pack itself (with ``pack`` options) only while its view is partial.

    Use ``bar.set`` as the scrolled widget's ``yscrollcommand``.
    """
    plain_set = bar.set

    def set_and_show(first: float | str, last: float | str) -> None:
        whole = float(first) <= 0.0 and float(last) >= 1.0
        if whole and bar.winfo_manager():
            bar.pack_forget()
        elif not whole and not bar.winfo_manager():
            bar.pack(**pack)
        plain_set(first, last)

    bar.set = set_and_show  # type: ignore[method-assign]  # wrapped in place: callers keep bar.set
    return bar
