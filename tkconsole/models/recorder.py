"""Keeps a ``SessionRecord`` as a notebook front-end would keep its cells.

Outputs go to the cell whose execute request is their parent (thread
output after the cell ended still belongs to it), streams of one name that
follow each other are joined, ``update_display_data`` changes every output
with that display id in place, and ``clear_output(wait=True)`` empties the
cell only when its next output arrives.
"""

from __future__ import annotations

from typing import Any

from .record import CellRecord, SessionRecord


class Recorder:
    def __init__(self, record: SessionRecord) -> None:
        self.record = record
        self._cells: dict[str, CellRecord] = {}  # execute msg_id -> cell
        self._displays: dict[str, list[dict[str, Any]]] = {}  # display_id -> output dicts
        self._clear_waiting: set[int] = set()  # ids of cells with a pending clear
        self._cr_open: dict[
            int, dict[str, Any]
        ] = {}  # id -> stream output whose last line holds a \r

    def begin(self, msg_id: str, source: str) -> None:
        cell = CellRecord(source=source)
        self.record.cells.append(cell)
        self._cells[msg_id] = cell

    def set_count(self, msg_id: str | None, count: int | None) -> None:
        cell = self._cells.get(msg_id or "")
        if cell is not None and count is not None:
            cell.execution_count = count

    def _cell(self, parent: str | None) -> CellRecord | None:
        cell = self._cells.get(parent or "")
        if cell is None:
            return None
        if id(cell) in self._clear_waiting:
            self._clear_waiting.discard(id(cell))
            self._empty(cell)
        return cell

    def stream(self, parent: str | None, name: str, text: str) -> None:
        cell = self._cell(parent)
        if cell is None:
            return
        last = cell.outputs[-1] if cell.outputs else None
        if last is None or last["output_type"] != "stream" or last["name"] != name:
            last = {"output_type": "stream", "name": name, "text": ""}
            cell.outputs.append(last)
        # Taken out of the dict, the text is ours alone and ``+=`` may grow it
        # in place (``last["text"] += text`` copied it whole every time).
        joined = last.pop("text")
        if "\r" not in text and (self._cr_open.get(id(last)) is not last or "\n" not in text):
            joined += text
            last["text"] = joined
            return
        # A \r step rewrites only the open line, resolved as Jupyter front-ends
        # keep it.  Even ``+=`` copied the grown text on most steps (realloc
        # moved it: 66 us a step, 1.3 s of the 20,000-step bar on the Tk
        # thread); the open line becomes an output of its own, short, so each
        # step costs a line.
        start = joined.rfind("\n") + 1
        if start:
            last["text"] = joined[:start]
            cell.outputs.append({"output_type": "stream", "name": name, "text": ""})
            last = cell.outputs[-1]
        last["text"] = overwrite_cr(joined[start:] + text)
        if "\r" in last["text"]:
            self._cr_open[id(last)] = last
            return
        self._cr_open.pop(id(last), None)
        before = cell.outputs[-2] if len(cell.outputs) > 1 else None
        if before is not None and before["output_type"] == "stream" and before["name"] == name:
            before["text"] += cell.outputs.pop()["text"]  # the line is closed: one output again

    def result(
        self, parent: str | None, count: int | None, data: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        cell = self._cell(parent)
        if cell is not None:
            output = {"output_type": "execute_result", "execution_count": count}
            cell.outputs.append({**output, "data": dict(data), "metadata": dict(metadata)})

    def display(
        self,
        parent: str | None,
        data: dict[str, Any],
        metadata: dict[str, Any],
        display_id: str | None,
    ) -> None:
        cell = self._cell(parent)
        if cell is None:
            return
        output = {"output_type": "display_data", "data": dict(data), "metadata": dict(metadata)}
        cell.outputs.append(output)
        if display_id:
            self._displays.setdefault(display_id, []).append(output)

    def update_display(
        self, display_id: str, data: dict[str, Any], metadata: dict[str, Any]
    ) -> None:
        for output in self._displays.get(display_id, []):
            output["data"] = dict(data)
            output["metadata"] = dict(metadata)

    def error(self, parent: str | None, ename: str, evalue: str, traceback: list[str]) -> None:
        cell = self._cell(parent)
        if cell is not None:
            cell.outputs.append(
                {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": traceback}
            )

    def clear(self, parent: str | None, wait: bool) -> None:
        cell = self._cells.get(parent or "")
        if cell is None:
            return
        if wait:
            self._clear_waiting.add(id(cell))
        else:
            self._clear_waiting.discard(id(cell))
            self._empty(cell)

    def _empty(self, cell: CellRecord) -> None:
        gone = {id(output) for output in cell.outputs}
        for key in gone & self._cr_open.keys():
            del self._cr_open[key]
        cell.outputs.clear()
        for display_id, outputs in list(self._displays.items()):
            kept = [o for o in outputs if id(o) not in gone]
            if kept:
                self._displays[display_id] = kept
            else:
                del self._displays[display_id]

    def knows(self, display_id: str) -> bool:
        return display_id in self._displays


def overwrite_cr(text: str) -> str:
    """``text`` as a terminal shows it: on each line, what follows a ``\\r``
    overwrites the line from its start.  The last line keeps its last
    ``\\r`` and what follows it: the cursor's column decides what text
    appended later overwrites."""
    if "\r" not in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\r" in line:
            parts = line.split("\r")
            tail = parts.pop() if i == len(lines) - 1 else None
            shown = parts[0]
            for part in parts[1:]:
                shown = part + shown[len(part) :]
            lines[i] = shown if tail is None else f"{shown}\r{tail}"
    return "\n".join(lines)
