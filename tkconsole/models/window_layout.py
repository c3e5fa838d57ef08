"""Where the main window was, per screen layout, and how to put it back on screen.

The layout key is the size of the whole desktop (all monitors), so a laptop
remembers one place alone and another docked. A remembered place is fitted
to the screen it comes back to: never larger than it, never outside it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .atomic import atomic_write

DEFAULT_SIZE = (960, 640)
MIN_SIZE = (320, 200)
_GEOMETRY = re.compile(r"^(\d+)x(\d+)([+-]-?\d+)([+-]-?\d+)$")


@dataclass(frozen=True)
class Placement:
    width: int
    height: int
    x: int
    y: int
    maximized: bool = False

    def geometry(self) -> str:
        return f"{self.width}x{self.height}+{self.x}+{self.y}"


def layout_key(screen_width: int, screen_height: int) -> str:
    return f"{screen_width}x{screen_height}"


def parse_geometry(text: str, maximized: bool = False) -> Placement | None:
    """Tk's ``wm geometry`` (``960x640+10+20``), or None if it is not one."""
    match = _GEOMETRY.match(text.strip())
    if match is None:
        return None
    w, h, x, y = match.groups()
    return Placement(int(w), int(h), _offset(x), _offset(y), maximized)


def _offset(text: str) -> int:
    """``+12``, ``+-3`` (left of the screen), or ``-5`` (taken as left of it too)."""
    return int(text[1:]) if text[0] == "+" else -int(text[1:])


def fit_on_screen(place: Placement, screen_width: int, screen_height: int) -> Placement:
    """``place`` shrunk to the screen and moved wholly onto it."""
    width = max(min(place.width, screen_width), min(MIN_SIZE[0], screen_width))
    height = max(min(place.height, screen_height), min(MIN_SIZE[1], screen_height))
    x = min(max(place.x, 0), screen_width - width)
    y = min(max(place.y, 0), screen_height - height)
    return Placement(width, height, x, y, place.maximized)


def load_layouts(path: Path) -> dict[str, Placement]:
    """The remembered places; a missing or damaged file remembers none."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    layouts = {}
    for key, item in data.items():
        place = _placement(item)
        if isinstance(key, str) and place is not None:
            layouts[key] = place
    return layouts


def save_layout(path: Path, key: str, place: Placement) -> None:
    """Remember ``place`` for layout ``key`` (the others kept), atomically."""
    layouts = load_layouts(path)
    layouts[key] = place
    text = json.dumps({k: asdict(v) for k, v in layouts.items()}, indent=1, sort_keys=True)
    atomic_write(path, text + "\n")


def _placement(item: object) -> Placement | None:
    if not isinstance(item, dict):
        return None
    numbers = [item.get(name) for name in ("width", "height", "x", "y")]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        return None
    w, h, x, y = (int(n) for n in numbers)  # type: ignore[arg-type]
    if w <= 0 or h <= 0:
        return None
    return Placement(w, h, x, y, item.get("maximized") is True)
