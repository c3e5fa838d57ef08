"""The window's side of kernel ownership: ask, then end or restart a kernel.

``models.ownership`` knows which tabs share which kernel and whether we
started it; this module asks the questions it calls for (naming the other
tabs), does nothing irreversible before the answer, and afterwards tells
the tabs that shared an ended kernel where it went ("shut down from tab
2"), with a Restart that opens a new kernel in that tab's place.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING, Protocol

from ..models.ownership import Action, KernelOwnership, Question
from ..models.target import Target
from .dialogs.exit import CANCEL, RESTART, SHUT_DOWN, ask_about_kernel

if TYPE_CHECKING:
    from .tabs import ConsoleTabs, Tab


class GuardedWindow(Protocol):
    """What the guard asks of its window (``mainwindow.MainWindow``, which imports this)."""

    @property
    def root(self) -> tk.Tk | tk.Toplevel: ...

    @property
    def tabs(self) -> ConsoleTabs: ...

    def open_target(self, target: Target, name: str | None = None) -> Tab: ...

    def close_tab(
        self, tab: Tab | None = None, ask: bool = True, keep_kernel: bool = False
    ) -> bool: ...


class KernelGuard:
    """Asks before a kernel is ended or restarted; ends it for every tab on it."""

    def __init__(self, window: GuardedWindow) -> None:
        self.window = window
        self.owners = KernelOwnership()

    # ------------------------------------------------------------- tabs come and go
    def attach(self, tab: Tab, beside: Tab | None = None) -> None:
        """A new tab; ``beside``: a tab whose kernel it also uses (Ctrl+Shift+T)."""
        conn = tab.console.conn
        if beside is not None:
            kernel = self.owners.kernel_of(beside)
        elif isinstance(tab.extra.get("target"), Target) and not conn.owns_kernel:
            kernel = tab.extra["target"].key()  # the place attached to: a file, a server's id
        else:
            kernel = ("launched", id(conn))
        self.owners.attach(tab, kernel, bool(conn.owns_kernel))
        tab.console.exit_guard = lambda _code, t=tab: self._exit_typed(t)

    def detach(self, tab: Tab) -> None:
        self.owners.detach(tab)

    def label(self, tab: Tab) -> str:
        """How a question names a tab: its position and title."""
        tabs = self.window.tabs
        position = tabs.index(tab.frame) + 1 if str(tab.frame) in tabs.tabs_by_frame else "?"
        return f"tab {position} “{tab.title}”"

    def ask(self, tab: Tab, action: Action) -> str | None:
        """The answer to the question ``action`` calls for; None: nothing to ask."""
        if tab.console.status()[1] == "dead":
            return None
        question = self.owners.question(tab, action)
        if question is None:
            return None
        return self._ask(tab, question)

    def _ask(self, tab: Tab, question: Question) -> str:
        names = [self.label(t) for t in question.others]  # type: ignore[arg-type]
        return ask_about_kernel(self.window.root, question, tab.console.conn.display_name, names)

    # ------------------------------------------------------------- the actions
    def _exit_typed(self, tab: Tab) -> bool:
        """``exit`` typed as a whole input: caught unless the kernel is ours alone."""
        if self.owners.question(tab, "exit") is None:
            return False  # the kernel ends itself; its ask_exit closes the tab
        self.window.root.after_idle(self._answer_exit, tab)
        return True

    def _answer_exit(self, tab: Tab) -> None:
        answer = self.ask(tab, "exit") or SHUT_DOWN
        if answer == CANCEL:
            tab.console.editing.run("clear-input")
            return
        if answer == SHUT_DOWN:
            self.end_kernel(tab)
        self.window.close_tab(tab, ask=False, keep_kernel=True)

    def may_restart(self, tab: Tab) -> bool:
        """Restart (Ctrl+., the Kernel menu): a kernel we started asks first."""
        if not tab.console.conn.owns_kernel or tab.console.status()[1] == "dead":
            return True  # not ours: a restart only reconnects
        question = self.owners.question(tab, "restart") or Question("restart", True, ())
        return self._ask(tab, question) == RESTART

    def shut_down(self, tab: Tab) -> None:
        """Kernel → Shut down kernel…: asks when the kernel is not ours or shared."""
        if self.ask(tab, "shutdown") == CANCEL:
            return
        self.end_kernel(tab)
        tab.console.notice("Kernel shut down.")

    def quit_groups(self) -> list[list[Tab]]:
        """For quitting: the tabs of each live kernel we started."""
        live = [t for t in self.window.tabs.all() if t.console.status()[1] != "dead"]
        return self.owners.kernels_to_quit(live)  # type: ignore[arg-type,return-value]

    # ------------------------------------------------------------- ending
    def end_orphans(self, groups: list[list[Tab]]) -> None:
        """Quitting: a kernel we started whose launching tab has closed is asked to end."""
        for group in groups:
            if self.owners.owner(group[0]) is None:
                group[0].console.conn.request("control", "shutdown_request", {"restart": False})

    def end_kernel(self, tab: Tab) -> None:
        """Shut ``tab``'s kernel down; the other tabs on it say so, with Restart."""
        owner: Tab | None = self.owners.owner(tab)  # type: ignore[assignment]
        where = self.label(tab)
        others: list[Tab] = self.owners.shut_down(tab)  # type: ignore[assignment]
        for other in others:  # quiet first: no "not responding" while it goes
            _stop_listening(other, keep_kernel=True)
        if owner is not None:
            _stop_listening(owner, keep_kernel=False)  # its manager ends the process
        else:
            tab.console.conn.request("control", "shutdown_request", {"restart": False})
        _stop_listening(tab, keep_kernel=True)
        for other in others:
            restart = lambda t=other: self.restart_in_place(t)  # noqa: E731
            other.console.notice(f"Kernel shut down from {where}. ", button=("Restart", restart))

    def restart_in_place(self, tab: Tab) -> Tab | None:
        """A new kernel of the same kind in ``tab``'s place (its kernel was shut down)."""
        window = self.window
        if str(tab.frame) not in window.tabs.tabs_by_frame:
            return None
        target = tab.extra.get("target")
        conn = tab.console.conn
        if isinstance(target, Target) and target.kind == "server":
            target = Target("server", url=target.url, token=target.token, kernel=target.kernel)
        else:
            target = Target("local", kernel=conn.kernel_name or None)
        position = window.tabs.index(tab.frame)
        try:
            new = window.open_target(target, name=tab.name)
        except ValueError as exc:
            tab.console.notice(f"Could not start a new kernel: {exc}", "stderr")
            return None
        window.tabs.move(new, position)
        window.close_tab(tab, ask=False, keep_kernel=True)
        return new


def _stop_listening(tab: Tab, keep_kernel: bool) -> None:
    console = tab.console
    if console.conn in console.pump.receivers:
        console.shutdown(keep_kernel=keep_kernel)
