"""A session as a Jupyter notebook (nbformat 4), outputs exactly as sent.

The record already holds nbformat v4 output dicts, so this is a thin
layer: one code cell per executed input, the kernelspec and
``language_info`` in the metadata, ipywidgets' state where there is some,
and a schema validation that drops nothing silently (the record's outputs
are checked by nbformat already, models/outputarea.py: an invalid one is a
one-line stream saying what was wrong, so the file opens).
"""

from __future__ import annotations

import copy

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
    cell.outputs = copy.deepcopy(record.outputs)
    return cell
