"""The hook through which comm messages reach a widget manager (ipywidgets).

The conversation model validates ``comm_open``/``comm_msg``/``comm_close``
and hands them to its ``comms`` target; before it lets any output be drawn
in a cell it asks the target whether an Output widget captures it.
"""

from __future__ import annotations

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
