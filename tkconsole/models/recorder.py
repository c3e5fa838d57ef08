"""Keeps a ``SessionRecord`` as a notebook front-end would keep its cells.

Outputs go to the cell whose execute request is their parent (thread
output after the cell ended still belongs to it); each cell's outputs are
an ``OutputArea`` (models/outputarea.py: streams joined, ``\\r``, the
waiting clear), and all of them share one ``Displays``, so
``update_display_data`` changes every output with that display id in place.
"""

from __future__ import annotations

from typing import Any

from .outputarea import Displays, OutputArea
from .record import CellRecord, SessionRecord


class Recorder:
    def __init__(self, record: SessionRecord) -> None:
        self.record = record
        self.displays = Displays()
        self._cells: dict[str, CellRecord] = {}  # execute msg_id -> cell

    def begin(self, msg_id: str, source: str) -> None:
        cell = CellRecord(source=source, area=OutputArea(self.displays))
        self.record.cells.append(cell)
        self._cells[msg_id] = cell

    def set_count(self, msg_id: str | None, count: int | None) -> None:
        cell = self._cells.get(msg_id or "")
        if cell is not None and count is not None:
            cell.execution_count = count

    def add(self, parent: str | None, msg_type: str, content: dict[str, Any]) -> None:
        """An output message (or clear_output), checked, for the cell it belongs to."""
        cell = self._cells.get(parent or "")
        if cell is not None:
            cell.area.add(msg_type, content)

    def update_display(
        self, display_id: str, data: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        self.displays.update(display_id, data, metadata)
