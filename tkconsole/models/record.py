"""What a session ran and what came back, as the kernel sent it.

The conversation model keeps one ``SessionRecord`` per console; the
exporters (notebook, HTML, text) and session restore read it.  Outputs are
nbformat v4 output dicts (``stream``, ``execute_result``, ``display_data``,
``error``), so a notebook is the record written out, with no second
translation of the protocol: streams of the same name that follow each
other are joined, display updates are applied in place, and a cleared
cell's outputs are gone, exactly as a notebook front-end would keep them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CellRecord:
    """One executed input and its outputs (nbformat v4 output dicts)."""

    source: str
    execution_count: int | None = None
    outputs: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SessionRecord:
    """Every cell a console ran, with what the kernel said about itself."""

    kernel_name: str = ""
    display_name: str = ""
    language_info: dict[str, Any] = field(default_factory=dict[str, Any])
    cells: list[CellRecord] = field(default_factory=list)
    # ipywidgets' saved state (application/vnd.jupyter.widget-state+json), if any
    widget_state: dict[str, Any] = field(default_factory=dict[str, Any])
