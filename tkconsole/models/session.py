"""The tabs of the last session, to offer them again at the next start.

Plain data: each tab is where it connected (a ``Target``, stored as a dict
the way the recent connections are) and the name the person gave it.  Kernels that
tkconsole started are stored as their kernelspec, so they come back as new
kernels; attached ones as their connection file or server kernel id, so
they are reattached when still alive.  Read never raises; write is atomic.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_write
from .target import Target

FILE_NAME = "session.json"


@dataclass(frozen=True)
class SavedTab:
    target: Target
    name: str | None = None


def save_session(path: Path, tabs: list[SavedTab]) -> None:
    """Write the tabs (0600: they name servers; their tokens are kept elsewhere)."""
    data = {"version": 1, "tabs": [{"target": t.target.as_dict(), "name": t.name} for t in tabs]}
    mode = 0o600 if os.name == "posix" else None
    atomic_write(path, json.dumps(data, indent=1) + "\n", mode=mode)


def load_session(path: Path) -> list[SavedTab]:
    """The saved tabs; anything missing or malformed is skipped, never raised."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    tabs = data.get("tabs") if isinstance(data, dict) else None
    found = []
    for entry in tabs if isinstance(tabs, list) else []:
        if not isinstance(entry, dict):
            continue
        try:
            target = Target.from_dict(entry.get("target"))
        except ValueError:
            continue
        name = entry.get("name")
        found.append(SavedTab(target, name if isinstance(name, str) else None))
    return found
