"""Value conversions the widget views share, kept pure so they are tested fast.

ipywidgets sends CSS lengths, d3-style readout formats, JavaScript dates
(months from 0) and colours as strings; a kernel can send anything, so
every helper falls back to a safe value instead of raising.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(px|em|rem|pt)?\s*$")
_REPEAT = re.compile(r"repeat\(\s*(\d+)\s*,")
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_BORDER_WIDTH = re.compile(r"(\d+(?:\.\d+)?)px")
_BORDER_STYLES = {"solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset"}


def number(value: object, default: float = 0.0) -> float:
    """A finite float from a JSON value (bools and NaN are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    value = float(value)
    return value if math.isfinite(value) else default


def css_pixels(value: object, em: int = 16) -> int | None:
    """A CSS length as pixels (``"300px"``, ``"20em"``, ``"120"``); None for auto, % and junk."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return max(0, int(value)) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    match = _LENGTH.match(value)
    if match is None:
        return None
    amount, unit = float(match.group(1)), match.group(2) or "px"
    scale = {"px": 1.0, "em": em, "rem": em, "pt": 4 / 3}[unit]
    return max(0, min(10_000, round(amount * scale)))


def border(value: object) -> tuple[int, str] | None:
    """(width in px, colour) of a CSS ``border`` shorthand, or None for no border."""
    if not isinstance(value, str) or not value.strip() or value.strip() in ("none", "0"):
        return None
    width_match = _BORDER_WIDTH.search(value)
    width = round(float(width_match.group(1))) if width_match else 1
    colour = "#000000"
    for part in value.split():
        if part in _BORDER_STYLES or _BORDER_WIDTH.fullmatch(part):
            continue
        colour = part
    return (max(1, min(width, 20)), colour) if width else None


def grid_columns(template: object) -> int:
    """How many columns a ``grid_template_columns`` value gives (at least 1)."""
    if not isinstance(template, str) or not template.strip():
        return 1
    match = _REPEAT.search(template)
    if match:
        return max(1, min(int(match.group(1)), 100))
    return max(1, min(len(template.split()), 100))


def format_readout(value: object, fmt: object, integer: bool = False) -> str:
    """A slider's readout with ipywidgets' d3-like format (``".2f"``, ``"d"``, ``".1e"``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    spec = fmt if isinstance(fmt, str) and fmt else ("d" if integer else ".2f")
    spec = spec.lstrip("~")
    try:
        if spec.endswith("d"):
            return format(round(value), spec)
        return format(value, spec)
    except (ValueError, TypeError, OverflowError):
        return str(value)


def snap(value: float, low: float, high: float, step: object, integer: bool = False) -> float:
    """``value`` clamped to [low, high] and rounded to the step from ``low``."""
    if high < low:
        low, high = high, low
    value = min(max(value, low), high)
    size = number(step, 0.0)
    if size > 0:
        value = low + round((value - low) / size) * size
        value = min(max(value, low), high)
        digits = max(0, -math.floor(math.log10(size))) + 2 if size < 1 else 0
        value = round(value, digits) if digits else value
    return round(value) if integer else float(value)


def js_date(value: object) -> dt.date | None:
    """ipywidgets' serialised date ``{year, month (0-11), date}`` as a ``date``."""
    if not isinstance(value, dict):
        return None
    try:
        return dt.date(int(value["year"]), int(value["month"]) + 1, int(value["date"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def to_js_date(day: dt.date | None) -> dict[str, Any] | None:
    if day is None:
        return None
    return {"year": day.year, "month": day.month - 1, "date": day.day}


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def colour(value: object, default: str = "#000000") -> str:
    """A colour Tk accepts: ``#rgb``/``#rrggbb`` or a plain name; else ``default``."""
    if isinstance(value, str) and (_HEX.match(value) or value.isalpha()):
        return value
    return default


def option_labels(value: object) -> list[str]:
    """A selection widget's ``_options_labels`` as strings."""
    if not isinstance(value, list | tuple):
        return []
    return [v if isinstance(v, str) else str(v) for v in value]


def index_of(value: object, count: int) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < count:
        return value
    return None
