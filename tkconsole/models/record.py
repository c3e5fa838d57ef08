"""What a session ran and what came back, as the kernel sent it.

The conversation model keeps one ``SessionRecord`` per console; the
exporters (notebook, HTML, text) and session restore read it.  A cell's
outputs are an ``OutputArea`` (models/outputarea.py), kept exactly as a
notebook front-end would keep them and read as nbformat v4 output dicts,
so a notebook is the record written out, with no second translation of
the protocol.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .outputarea import Output, OutputArea


@dataclass
class CellRecord:
    """One executed input and its outputs (see ``outputs``)."""

    source: str
    execution_count: int | None = None
    area: OutputArea = field(default_factory=OutputArea)

    @property
    def outputs(self) -> list[Output]:
        """The nbformat v4 outputs, each checked by nbformat."""
        return self.area.outputs()


@dataclass
class SessionRecord:
    """Every cell a console ran, with what the kernel said about itself."""

    kernel_name: str = ""
    display_name: str = ""
    language_info: dict[str, Any] = field(default_factory=dict[str, Any])
    cells: list[CellRecord] = field(default_factory=list)
    # ipywidgets' saved state (application/vnd.jupyter.widget-state+json), if any
    widget_state: dict[str, Any] = field(default_factory=dict[str, Any])
