"""WCAG 2 contrast between two colours, to check the console's palette.

WCAG AA asks 4.5:1 for normal text.  Pure so the check runs without a
display; the UI tests feed it the colours a real console configured.
"""

from __future__ import annotations

AA_TEXT = 4.5


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``#rgb`` or ``#rrggbb`` as an RGB triple; ``ValueError`` otherwise."""
    value = colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG's relative luminance of an sRGB colour (0 black .. 1 white)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio, 1 (same) .. 21 (black on white)."""
    a = relative_luminance(parse_hex(foreground))
    b = relative_luminance(parse_hex(background))
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


AA_GRAPHICS = 3.0  # WCAG 2.1 (1.4.11): parts of controls, such as a bar's fill against its trough


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way to ``other``, as ``#rrggbb``."""
    a, b = parse_hex(colour), parse_hex(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def readable(colour: str, against: str, minimum: float = AA_GRAPHICS) -> str:
    """``colour``, darkened or lightened (away from ``against``) just enough to reach
    ``minimum`` contrast with it; the hue is kept, so a warning stays orange."""
    if contrast_ratio(colour, against) >= minimum:
        return colour
    light = relative_luminance(parse_hex(against)) > 0.18  # about where black and white tie
    extreme = "#000000" if light else "#ffffff"
    for step in range(1, 21):
        moved = mix(colour, extreme, step / 20)
        if contrast_ratio(moved, against) >= minimum:
            return moved
    return extreme
