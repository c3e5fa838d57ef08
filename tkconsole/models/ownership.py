"""Which tabs use which kernel, and whether tkconsole started it.

Every action that ends or restarts a kernel (``exit`` typed, closing a
tab, restart, shut down, quitting) asks this one model first: may it go
ahead without a question, and if not, which other tabs to name.  A kernel
is *ours* when one of our connections launched it; it stays ours after
that tab closes while other tabs still use it.  A kernel shut down from one
tab is remembered, so the tabs that shared it can say where it went.

Tabs and kernels are opaque keys here (the window passes its tab objects
and a kernel identity such as the connection file): the model is pure.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

Action = Literal["exit", "close", "restart", "shutdown", "quit"]
EXIT_WORDS = frozenset({"exit", "quit", "exit()", "quit()"})


@dataclass
class KernelUse:
    """One kernel: who started it (``owner``: the tab whose connection launched it)."""

    ours: bool
    owner: Hashable | None
    tabs: list[Hashable] = field(default_factory=list)
    ended_by: Hashable | None = None  # the tab it was shut down from


@dataclass(frozen=True)
class Question:
    """What to ask before ``action``: ``others`` also use the kernel; ``ours``: we started it."""

    action: Action
    ours: bool
    others: tuple[Hashable, ...]


class KernelOwnership:
    """The one place that knows which tab uses which kernel."""

    def __init__(self) -> None:
        self._kernels: dict[Hashable, KernelUse] = {}
        self._kernel_of: dict[Hashable, Hashable] = {}

    # ------------------------------------------------------------- tabs come and go
    def attach(self, tab: Hashable, kernel: Hashable, started: bool) -> None:
        """``tab`` uses ``kernel``; ``started``: its connection launched it."""
        self.detach(tab)
        use = self._kernels.get(kernel)
        if use is None or use.ended_by is not None:
            use = self._kernels[kernel] = KernelUse(ours=started, owner=tab if started else None)
        elif started:  # a restart through a new launch: ours again
            use.ours, use.owner = True, tab
        use.tabs.append(tab)
        self._kernel_of[tab] = kernel

    def detach(self, tab: Hashable) -> None:
        """``tab`` closed: the kernel stays ours (if it was) while others use it."""
        kernel = self._kernel_of.pop(tab, None)
        if kernel is None:
            return
        use = self._kernels[kernel]
        use.tabs.remove(tab)
        if use.owner == tab:
            use.owner = None
        if not use.tabs:
            del self._kernels[kernel]

    # ------------------------------------------------------------- asking
    def kernel_of(self, tab: Hashable) -> Hashable | None:
        return self._kernel_of.get(tab)

    def others(self, tab: Hashable) -> list[Hashable]:
        """The other tabs on ``tab``'s kernel, in the order they attached."""
        use = self._use(tab)
        return [t for t in use.tabs if t != tab] if use is not None else []

    def ours(self, tab: Hashable) -> bool:
        use = self._use(tab)
        return use is not None and use.ours

    def owner(self, tab: Hashable) -> Hashable | None:
        """The tab whose connection launched ``tab``'s kernel (None: closed, or not ours)."""
        use = self._use(tab)
        return use.owner if use is not None else None

    def question(self, tab: Hashable, action: Action) -> Question | None:
        """What to ask before ``action`` in ``tab``; None: go ahead.

        A kernel we did not start, or one other tabs use, is never ended or
        restarted without a question.  Closing a tab asks when the tab holds
        a kernel we started (it launched it, or is the last tab on it): shut
        it down, or leave it running?
        """
        use = self._use(tab)
        if use is None or use.ended_by is not None:
            return None
        others = tuple(t for t in use.tabs if t != tab)
        holds = use.owner == tab or (use.owner is None and not others)
        if action == "close" and not (use.ours and holds):
            return None  # a tab that does not hold the kernel ends nothing by closing
        if action in ("close", "quit") or others or not use.ours:
            return Question(action, use.ours, others)
        return None

    def kernels_to_quit(self, tabs: list[Hashable]) -> list[list[Hashable]]:
        """For quitting: each live kernel we started, as the list of ``tabs`` using it."""
        found = []
        for use in self._kernels.values():
            if use.ours and use.ended_by is None:
                found.append([t for t in tabs if t in use.tabs])
        return [group for group in found if group]

    # ------------------------------------------------------------- ending
    def shut_down(self, tab: Hashable) -> list[Hashable]:
        """``tab`` shut its kernel down: the other tabs on it (to be told)."""
        use = self._use(tab)
        if use is None:
            return []
        use.ended_by = tab
        return [t for t in use.tabs if t != tab]

    def ended_by(self, tab: Hashable) -> Hashable | None:
        use = self._use(tab)
        return use.ended_by if use is not None else None

    def _use(self, tab: Hashable) -> KernelUse | None:
        kernel = self._kernel_of.get(tab)
        return self._kernels.get(kernel) if kernel is not None else None


def is_exit_command(code: str) -> bool:
    """``exit`` / ``quit`` typed as the whole input (IPython ends the kernel on them)."""
    return code.strip() in EXIT_WORDS
