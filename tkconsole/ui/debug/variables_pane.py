"""The variables pane: a Treeview filled in steps, children fetched when opened.

A reply of 10,000 globals is checked and inserted a slice per tick, each
tick stopping at a deadline (``STEP``), so the window never stalls while it
fills.  Rows with children get a placeholder child; opening the row asks
the kernel (``on_expand``) and the answer replaces the placeholder a page
at a time, with a "more" row for the rest.  Columns sort on a click.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from ...models.debug.dap import Variable
from ...models.debug.variables import PAGE, SortKey, VariableRows, page, sorted_rows

STEP = 0.008  # s of checking and inserting per tick (Treeview inserts: ~25 µs a row here)
TRASH_SLICE = 250
PLACEHOLDER = "…"
COLUMNS: tuple[SortKey, ...] = ("type", "value")


class VariablesPane(ttk.Frame):
    """Rows of one answer; ``on_expand(reference)`` and ``on_open(name)`` ask the kernel."""

    def __init__(
        self,
        master: tk.Misc,
        on_expand: Callable[[int], bool],
        on_open: Callable[[str], None],
    ) -> None:
        super().__init__(master)
        self.on_expand = on_expand
        self.on_open = on_open
        self.note = ttk.Label(self, text="", anchor="w")
        self.tree = ttk.Treeview(self, columns=COLUMNS, selectmode="browse")
        self.tree.heading("#0", text="Name", anchor="w", command=lambda: self.sort_by("name"))
        self.tree.heading("type", text="Type", anchor="w", command=lambda: self.sort_by("type"))
        self.tree.heading("value", text="Value", anchor="w", command=lambda: self.sort_by("value"))
        self.tree.column("#0", width=110, stretch=False)
        self.tree.column("type", width=70, stretch=False)
        self.tree.column("value", width=160)
        bar = ttk.Scrollbar(self, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=bar.set)
        self.note.pack(side="top", fill="x")
        bar.pack(side="right", fill="y")
        self.tree.pack(side="left", fill="both", expand=True)
        self.tree.bind("<<TreeviewOpen>>", self._opened, add="+")
        self.tree.bind("<Double-Button-1>", self._double_click, add="+")
        self.top = VariableRows()
        self._sort: tuple[SortKey, bool] | None = None
        self._queue: list[Variable] = []  # the rows to show, in order
        self._done = 0  # ... of which this many are in the tree
        self._trash: list[str] = []  # rows of an old answer, detached, deleted in steps
        self._job: str | None = None
        self._children: dict[str, tuple[list[Variable], int]] = {}  # "more" row -> rest
        self._waiting: dict[int, str] = {}  # reference -> the row whose children it asked

    # ------------------------------------------------------------ the top level
    def say(self, text: str) -> None:
        """One line above the rows (a kernel without a debugger, where we stopped)."""
        self.note.configure(text=text)

    def load(self, items: list[Any]) -> None:
        """A new answer: the old rows go, the new ones come in steps."""
        self.top = VariableRows(items)
        self._restart_fill()

    def sort_by(self, key: SortKey) -> None:
        self._sort = (key, self._sort == (key, False))
        self._restart_fill()

    def filling(self) -> bool:
        return self._job is not None

    def _restart_fill(self) -> None:
        rows = self.top.rows
        self._queue = sorted_rows(rows, *self._sort) if self._sort and self.top.done else rows
        self._done = 0
        self._children.clear()
        self._waiting.clear()
        old = self.tree.get_children("")
        self.tree.detach(*old)  # 10,000 rows: detached in 2 ms, deleted at once in 110 ms
        self._trash.extend(old)
        if self._job is None:
            self._job = self.after(1, self._fill)

    def _fill(self) -> None:
        """One step: check rows, insert them, until the deadline; again if more."""
        self._job = None
        deadline = time.perf_counter() + STEP
        while self._trash and time.perf_counter() < deadline - STEP / 2:
            self.tree.delete(*self._trash[:TRASH_SLICE])  # old rows: half a step at most
            del self._trash[:TRASH_SLICE]
        if not self.top.done:
            self.top.check(deadline)
            if self.top.done and self._sort is not None:  # sorting needs every row
                self._queue = sorted_rows(self.top.rows, *self._sort)
        sorting = self._sort is not None and not self.top.done
        while not sorting and self._done < len(self._queue) and time.perf_counter() < deadline:
            for row in self._queue[self._done : self._done + 32]:
                self._insert("", row)
            self._done = min(self._done + 32, len(self._queue))
        if self._done < len(self._queue) or not self.top.done or self._trash:
            self._job = self.after(1, self._fill)

    def _insert(self, parent: str, row: Variable) -> str:
        iid = self.tree.insert(
            parent, "end", text=row.name, values=(row.type, row.value), tags=(str(row.reference),)
        )
        if row.reference > 0:
            self.tree.insert(iid, "end", text=PLACEHOLDER)
        return iid

    # ------------------------------------------------------------ children
    def _opened(self, _event: tk.Event) -> None:
        iid = self.tree.focus()
        children = self.tree.get_children(iid)
        if len(children) == 1 and self.tree.item(children[0], "text") == PLACEHOLDER:
            reference = self._reference(iid)
            if reference > 0 and self.on_expand(reference):
                self._waiting[reference] = iid

    def children_arrived(self, reference: int, items: list[Any]) -> None:
        iid = self._waiting.pop(reference, None)
        if iid is None or not self.tree.exists(iid):
            return
        self.tree.delete(*self.tree.get_children(iid))
        rows = VariableRows(items).all()
        if not rows:
            self.tree.insert(iid, "end", text="(nothing)")
        self._add_page(iid, rows, 0)

    def _add_page(self, parent: str, rows: list[Variable], start: int) -> None:
        chunk, more = page(rows, start)
        for row in chunk:
            self._insert(parent, row)
        if more:
            label = f"… {more:,} more"
            iid = self.tree.insert(parent, "end", text=label, values=("", "double-click to show"))
            self._children[iid] = (rows, start + PAGE)

    def _double_click(self, event: tk.Event) -> str | None:
        iid = self.tree.identify_row(event.y)
        if not iid:
            return None
        if iid in self._children:
            rows, start = self._children.pop(iid)
            parent = self.tree.parent(iid)
            self.tree.delete(iid)
            self._add_page(parent, rows, start)
            return "break"
        if self.tree.parent(iid) == "" and self.tree.item(iid, "text").isidentifier():
            self.on_open(self.tree.item(iid, "text"))
            return "break"
        return None

    def _reference(self, iid: str) -> int:
        tags = self.tree.item(iid, "tags")
        try:
            return int(tags[0]) if tags else 0
        except (TypeError, ValueError):
            return 0

    def shown(self) -> list[tuple[str, str, str]]:
        """The top-level rows in the tree so far, in order (what a person sees)."""
        rows = self._queue[: self._done]
        return [(r.name, r.type, r.value) for r in rows]
