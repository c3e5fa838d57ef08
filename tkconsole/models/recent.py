"""Recent connections, kept in a small JSON file only its owner can read.

Entries hold no tokens (those go to the keyring: ``tokens.py``), but they
name servers, so the file is written 0600 (and its folder 0700) from the
moment it exists: it is created under a temporary name with those
permissions and renamed into place.  A missing, unreadable
or malformed file means an empty list, never an error: recents are a
convenience.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

LIMIT = 10


class RecentConnections:
    """Most recent first; ``key(entry)`` says which entries are the same place."""

    def __init__(
        self, path: Path, key: Callable[[dict[str, Any]], Any] | None = None, limit: int = LIMIT
    ) -> None:
        self.path = Path(path)
        self.key = key or (lambda entry: json.dumps(entry, sort_keys=True))
        self.limit = limit

    def load(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        entries = data.get("recent") if isinstance(data, dict) else None
        return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []

    def remember(self, entry: dict[str, Any]) -> None:
        """Put ``entry`` first (replacing its older copy) and save."""
        key = self.key(entry)
        entries = [entry, *(e for e in self.load() if self.key(e) != key)]
        self._save(entries[: self.limit])

    def replace(self, entries: list[dict[str, Any]]) -> None:
        """Save ``entries`` as the whole list (moving tokens out of an old file)."""
        self._save(entries[: self.limit])

    def _save(self, entries: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".recent-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:  # mkstemp makes it 0600
                json.dump({"recent": entries}, f, indent=1)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
