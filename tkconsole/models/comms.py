"""The hook through which comm messages reach a widget manager (ipywidgets).

The conversation model validates ``comm_open``/``comm_msg``/``comm_close``
and hands them to its ``comms`` target; before it lets any output be drawn
in a cell it asks the target whether an Output widget captures it.  What
these calls do to views waits in ``take_view_effects``: the model hands it
to the console's drawing step, in order with the output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class CommTarget(Protocol):
    def comm_open(
        self,
        comm_id: str,
        target_name: str,
        data: dict[str, Any],
        metadata: dict[str, Any],
        buffers: list[bytes],
    ) -> None: ...

    def comm_msg(
        self, comm_id: str, data: dict[str, Any], metadata: dict[str, Any], buffers: list[bytes]
    ) -> None: ...

    def comm_close(self, comm_id: str, data: dict[str, Any]) -> None: ...

    def capture_output(self, parent_msg_id: str, msg_type: str, content: dict[str, Any]) -> bool:
        """True when an Output widget took this iopub output (then it is not drawn in the cell)."""
        ...

    def take_view_effects(self) -> list[Callable[[], None]]:
        """The view calls the messages handed over so far asked for (emptied)."""
        ...
