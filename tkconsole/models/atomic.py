"""Writing a file so that it is either the old one or the new one, never half.

The text goes to a temporary file beside the target (same file system),
is flushed to disk, then ``os.replace`` swaps it in: a crash or a full
disk mid-write leaves the previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: str | os.PathLike[str], text: str, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8); ``mode``: permission bits for the new file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
