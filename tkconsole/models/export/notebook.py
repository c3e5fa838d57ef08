"""A session as a Jupyter notebook (nbformat 4), outputs exactly as sent.

The record already holds nbformat v4 output dicts, so this is a thin
layer: one code cell per executed input, the kernelspec and
``language_info`` in the metadata, ipywidgets' state where there is some,
and a schema validation that drops nothing silently (an invalid output is
replaced by a one-line stream saying what was wrong, so the file opens).
"""

from __future__ import annotations

import copy
from typing import Any

import nbformat
from nbformat import v4

from ..record import CellRecord, SessionRecord

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def to_notebook(record: SessionRecord) -> nbformat.NotebookNode:
    """The notebook for ``record``, valid against the nbformat 4 schema."""
    nb: nbformat.NotebookNode = v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": record.kernel_name or "python3",
        "display_name": record.display_name or record.kernel_name or "Python 3",
        "language": str(record.language_info.get("name", "")),
    }
    if record.language_info:
        nb.metadata["language_info"] = copy.deepcopy(record.language_info)
    if record.widget_state:
        nb.metadata["widgets"] = {WIDGET_STATE: copy.deepcopy(record.widget_state)}
    nb.cells = [_cell(cell) for cell in record.cells]
    nbformat.validate(nb)
    return nb


def notebook_json(record: SessionRecord) -> str:
    text: str = nbformat.writes(to_notebook(record))
    return text


def _cell(record: CellRecord) -> nbformat.NotebookNode:
    cell: nbformat.NotebookNode = v4.new_code_cell(
        record.source, execution_count=record.execution_count
    )
    cell.outputs = [_output(output) for output in record.outputs]
    return cell


def _output(output: dict[str, Any]) -> nbformat.NotebookNode:
    """A checked copy of one output; one the schema refuses becomes a note."""
    node: nbformat.NotebookNode = nbformat.from_dict(copy.deepcopy(output))
    if node.get("output_type") in ("execute_result", "display_data"):
        node.setdefault("metadata", {})
        node.setdefault("data", {})
    if node.get("output_type") == "execute_result":
        node.setdefault("execution_count", None)
    try:
        ref = _REFS.get(node.get("output_type") or "", "output")
        nbformat.validate(node, ref=ref, version=4, version_minor=v4.nbformat_minor)
    except (nbformat.ValidationError, KeyError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        note: nbformat.NotebookNode = v4.new_output(
            "stream", name="stderr", text=f"[output not saved: {reason}]\n"
        )
        return note
    return node


_REFS = {
    "stream": "stream",
    "execute_result": "execute_result",
    "display_data": "display_data",
    "error": "error",
}
