"""The session record a console keeps, for Save as… and ``--save-transcript``.

The conversation model keeps ``console.record`` up to date; a console built
before it existed gives an empty record carrying what it knows of its
kernel, so every exporter still has something valid to write.
"""

from __future__ import annotations

from typing import Any

from ..models.record import SessionRecord


def record_of(console: Any) -> SessionRecord:
    record = getattr(console, "record", None)
    if isinstance(record, SessionRecord):
        return record
    conn = getattr(console, "conn", None)
    return SessionRecord(
        kernel_name=str(getattr(conn, "kernel_name", "") or ""),
        display_name=str(console.status()[0] or ""),
        language_info=dict(getattr(console, "language_info", {}) or {}),
    )
