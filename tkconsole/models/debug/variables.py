"""The rows of the variables pane: checked a step at a time, sorted, paged.

ipykernel answers 10,000 globals in one reply of about 1 MB.  The loop
thread has already turned it into Python objects; checking each item
(``dap.variable``) costs a few microseconds, so a big answer is checked in
steps against a deadline and the pane fills as rows become ready.  Sorting
and paging work on checked rows only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

from .dap import Variable, variable

SortKey = Literal["name", "type", "value"]
PAGE = 200  # children shown per page; a "more" row asks for the next


class VariableRows:
    """One answer (the top level, or one row's children), checked lazily."""

    def __init__(self, items: list[Any] | None = None) -> None:
        self._raw: list[Any] = list(items or [])
        self._next = 0
        self.rows: list[Variable] = []

    def check(
        self, deadline: float | None = None, clock: Callable[[], float] = time.perf_counter
    ) -> bool:
        """Check items until ``deadline`` (None: all); True once every item is checked."""
        raw, rows = self._raw, self.rows
        while self._next < len(raw):
            end = min(self._next + 64, len(raw))
            for item in raw[self._next : end]:
                row = variable(item)
                if row is not None:
                    rows.append(row)
            self._next = end
            if deadline is not None and clock() >= deadline:
                break
        return self.done

    @property
    def done(self) -> bool:
        return self._next >= len(self._raw)

    def all(self) -> list[Variable]:
        self.check()
        return self.rows

    def tuples(self) -> list[tuple[str, str, str]]:
        """Every row as (name, type, value): what ``console.variables()`` returns."""
        return [(r.name, r.type, r.value) for r in self.all()]


def sorted_rows(rows: list[Variable], key: SortKey, descending: bool = False) -> list[Variable]:
    """Rows by a column; names compare without case, groups ("special variables") last."""

    def by(row: Variable) -> tuple[bool, str]:
        group = row.type == "" and row.reference > 0 and " " in row.name
        return group != descending, getattr(row, key).casefold()

    return sorted(rows, key=by, reverse=descending)


def page(rows: list[Variable], start: int, size: int = PAGE) -> tuple[list[Variable], int]:
    """Rows ``start`` to ``start + size`` and how many come after them."""
    chunk = rows[start : start + size]
    return chunk, max(len(rows) - start - len(chunk), 0)
