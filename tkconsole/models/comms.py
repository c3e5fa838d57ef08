"""The interface between the conversation with a kernel and its comm users.

The conversation model validates comm traffic and hands it to one
``CommTarget`` per console (the ipywidgets manager); before drawing any
output it asks ``capture_output``, because an Output widget takes the
output of the request it is watching.
"""

from __future__ import annotations

from typing import Protocol


class CommTarget(Protocol):
    def comm_open(
        self, comm_id: str, target_name: str, data: dict, metadata: dict, buffers: list[bytes]
    ) -> None: ...

    def comm_msg(self, comm_id: str, data: dict, metadata: dict, buffers: list[bytes]) -> None: ...

    def comm_close(self, comm_id: str, data: dict) -> None: ...

    def capture_output(self, parent_msg_id: str, msg_type: str, content: dict) -> bool:
        """True when an Output widget took this iopub output (then it is not drawn in the cell)."""
        ...
