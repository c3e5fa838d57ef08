"""What an Output widget holds: the iopub outputs of the request it watches.

An Output widget sets its ``msg_id`` to a request's id; the front-end then
routes that request's output into the widget instead of the cell.  The
outputs accumulate as in a notebook cell (``models.outputarea``); the
widget's ``outputs`` state is their nbformat form, which the kernel may
also set.
"""

from __future__ import annotations

from typing import Any

from ..outputarea import Output, OutputArea

MAX_STREAM_CHARS = 1_000_000  # an Output widget keeps the tail of a flood, not all of it


class OutputCapture:
    """The outputs of one Output widget model, and its pending clear."""

    def __init__(self) -> None:
        self.area = OutputArea(max_stream_chars=MAX_STREAM_CHARS)
        self._shown: list[Output] = []  # the outputs state we last gave the model

    def apply(
        self, outputs: list[Output], msg_type: str, content: dict[str, Any]
    ) -> list[Output] | None:
        """The new outputs list after this message (``outputs`` itself when it
        did not change), or None when it is not one we take."""
        if outputs is not self._shown:  # the kernel set them
            self.area.replace(outputs)
            self._shown = outputs
        version = self.area.version
        if not self.area.add(msg_type, content):
            return None
        if self.area.version != version:
            self._shown = self.area.outputs()
        return self._shown
