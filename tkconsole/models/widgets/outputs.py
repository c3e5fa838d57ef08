"""What an Output widget holds: the iopub outputs of the request it watches.

An Output widget sets its ``msg_id`` to a request's id; the front-end then
routes that request's output into the widget instead of the cell, as
nbformat v4 output dicts, with ``clear_output(wait=True)`` deferred to the
next output (so an ``interact`` redraw replaces its output in one step).
"""

from __future__ import annotations

from typing import Any

MAX_STREAM_CHARS = 1_000_000  # an Output widget keeps the tail of a flood, not all of it


def _text(value: object) -> str:
    if isinstance(value, list):
        value = "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


def _bundle(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def to_output(msg_type: str, content: dict[str, Any]) -> dict[str, Any] | None:
    """The nbformat output for an iopub message, or None if it is not an output."""
    if msg_type == "stream":
        name = content.get("name")
        return {
            "output_type": "stream",
            "name": name if name in ("stdout", "stderr") else "stdout",
            "text": _text(content.get("text")),
        }
    if msg_type in ("display_data", "execute_result"):
        out: dict[str, Any] = {
            "output_type": msg_type,
            "data": _bundle(content.get("data")),
            "metadata": _bundle(content.get("metadata")),
        }
        if msg_type == "execute_result":
            count = content.get("execution_count")
            out["execution_count"] = count if isinstance(count, int) else None
        return out
    if msg_type == "error":
        tb = content.get("traceback")
        return {
            "output_type": "error",
            "ename": _text(content.get("ename")),
            "evalue": _text(content.get("evalue")),
            "traceback": [t for t in tb if isinstance(t, str)] if isinstance(tb, list) else [],
        }
    return None


class OutputCapture:
    """The outputs of one Output widget model, and its pending clear."""

    def __init__(self) -> None:
        self.clear_waiting = False

    def apply(
        self, outputs: list[dict[str, Any]], msg_type: str, content: dict[str, Any]
    ) -> list[dict[str, Any]] | None:
        """The new outputs list after this message, or None when it is not one we take."""
        if msg_type == "clear_output":
            if content.get("wait"):
                self.clear_waiting = True
                return outputs
            self.clear_waiting = False
            return []
        out = to_output(msg_type, content)
        if out is None:
            return None
        if self.clear_waiting:
            outputs, self.clear_waiting = [], False
        outputs = [o for o in outputs if isinstance(o, dict)]
        last = outputs[-1] if outputs else None
        if (
            out["output_type"] == "stream"
            and last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == out["name"]
        ):
            joined = _text(last.get("text")) + out["text"]
            outputs[-1] = {**last, "text": joined[-MAX_STREAM_CHARS:]}
        else:
            outputs.append(out)
        return outputs
