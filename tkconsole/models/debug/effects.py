"""What the debug session tells its views, as plain data (like ``models.actions``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Part = Literal["state", "breakpoints", "frames"]


@dataclass(frozen=True)
class Changed:
    """Redraw what shows ``part`` (the toolbar and tab, the margin, the stack and highlight)."""

    part: Part


@dataclass(frozen=True)
class VariablesArrived:
    """Rows for the pane: ``parent`` 0 is the top level, else a row's reference.

    ``items`` are unchecked: ``dap.variable`` checks each as it is drawn.
    """

    parent: int
    items: list[Any]


@dataclass(frozen=True)
class RichArrived:
    name: str
    data: dict[str, Any]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Evaluated:
    expression: str
    text: str
    error: bool


@dataclass(frozen=True)
class SourceArrived:
    path: str
    text: str


@dataclass(frozen=True)
class Notice:
    text: str


@dataclass(frozen=True)
class Released:
    """Breakpoints are in place: the held execute may go now."""


Effect = Changed | VariablesArrived | RichArrived | Evaluated | SourceArrived | Notice | Released
