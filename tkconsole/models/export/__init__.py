"""Writing a session out: notebook, HTML or plain text, chosen by extension.

Each format is a pure function of a ``SessionRecord`` (the text format of
what the console shows); ``save`` picks one by the file's extension and
writes it atomically, so a crash mid-write never leaves half a file where a
good one was.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import atomic_write
from ..record import SessionRecord

__all__ = ["FORMATS", "atomic_write", "format_for", "render", "save"]

FORMATS = {".ipynb": "notebook", ".html": "html", ".htm": "html", ".txt": "text"}


def format_for(path: str | os.PathLike[str]) -> str:
    """``notebook``, ``html`` or ``text`` for ``path``; ``ValueError`` for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"cannot save as {suffix or 'a file without extension'} (use {known})")
    return FORMATS[suffix]


def render(kind: str, record: SessionRecord, transcript: str = "") -> str:
    """The file's text in format ``kind`` (see ``FORMATS``)."""
    if kind == "notebook":
        from .notebook import notebook_json

        return notebook_json(record)
    if kind == "html":
        from .html import session_html

        return session_html(record)
    return transcript if transcript.endswith("\n") else transcript + "\n"


def save(path: str | os.PathLike[str], record: SessionRecord, transcript: str = "") -> str:
    """Write ``record`` to ``path`` in the format its extension names; returns the format."""
    kind = format_for(path)
    atomic_write(Path(path), render(kind, record, transcript))
    return kind
