"""Session restore: the tabs of the last window, offered again at start.

On close the window's tabs are written (``models.session``); at the next
plain start the ``[session] restore`` setting decides: ``on`` asks,
``always`` reopens without asking, ``off`` does neither.  The saved tabs
replace the fresh tab the start opened (its kernel serves the first saved
tab when that is a kernel of the same kind), so a two-tab session comes
back as two tabs.  A tab whose kernel is gone (an attached kernel that
ended) is said in a notice, not raised.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from .models.session import FILE_NAME, SavedTab, load_session, save_session
from .models.settings import data_dir
from .models.target import Target


def session_path() -> Path:
    return data_dir() / FILE_NAME


def remember_on_close(window: Any, connector: Any) -> None:
    """Write the window's tabs when it closes (before their consoles go)."""

    def save(closing: Any) -> None:
        tabs = []
        for tab in closing.tabs.all():
            target = connector.target_of(tab.console.conn) or tab.extra.get("target")
            if target:  # its token goes to the keyring, never into the file
                tabs.append(SavedTab(connector.tokens.keep(target), tab.name))
        with contextlib.suppress(OSError):  # closing must not fail over a state file
            save_session(session_path(), tabs)

    window.on_closed.append(save)


def offer_restore(window: Any, path: Path | None = None, fresh: Any = None) -> list[Any]:
    """Reopen (or offer to reopen) the last session's tabs, as the setting says;
    ``fresh``: the tab the start opened, which they replace."""
    mode = window.settings.session.restore
    saved = load_session(path or session_path())
    if mode == "off" or not saved:
        return []
    if mode == "on":
        from .ui.dialogs.choice import ask_choice

        window.root.update_idletasks()
        answer = ask_choice(
            window.root, "Restore session",
            f"Reopen the {len(saved)} tab(s) of the last session?",
            [("restore", "Reopen"), ("skip", "Not now")],
        )  # fmt: skip
        if answer != "restore":
            return []
    return reopen(window, saved, fresh)


def reopen(window: Any, saved: list[SavedTab], fresh: Any = None) -> list[Any]:
    opened = []
    if fresh is not None and saved and _serves(fresh, saved[0].target):
        window.tabs.rename(fresh, saved[0].name or "")
        opened.append(fresh)
        saved, fresh = saved[1:], None
    failures = []
    for entry in saved:
        try:
            opened.append(window.open_target(entry.target, name=entry.name))
        except ValueError as exc:  # the kernel is gone, the file malformed...
            failures.append(f"Could not reopen a tab: {exc}")
    if fresh is not None and opened:
        window.close_tab(fresh, ask=False)  # untouched, and its kernel ours: no question
    if window.console is not None:
        for failure in failures:
            window.console.notice(failure)
    return opened


def _serves(fresh: Any, target: Target) -> bool:
    """Can the fresh tab's new kernel stand in for ``target`` (a new kernel of that spec)?"""
    started = fresh.extra.get("target")
    conn = fresh.console.conn
    same_spec = (target.kernel or "python3") == (conn.kernel_name or "python3")
    return bool(started and started.kind == target.kind == "local" and same_spec)
