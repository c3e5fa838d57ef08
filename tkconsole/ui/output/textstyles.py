"""A fixed pool of Text tags for ANSI styles, coloured for the current theme.

Tk slows down with the number of tags on a line, so a style maps to a
handful of shared tags (one per colour, one per font variant), created once
and re-coloured in place when the theme changes.
"""

from __future__ import annotations

import tkinter as tk
from functools import lru_cache
from tkinter import font as tkfont

from ...models.ansi import Color, Style

# The elided source under a drawn table or formula: copy, find and transcripts still see it.
SOURCE_TAG = "rich-source"

# The 16 base colours, tuned for legibility on light and on dark backgrounds.
LIGHT_16 = (
    "#000000", "#b42318", "#1a7f37", "#9a6700", "#0550ae", "#8250df", "#1b7c83", "#6e7781",
    "#57606a", "#d1242f", "#116329", "#7d4e00", "#0969da", "#8250df", "#0f6d74", "#8c959f",
)  # fmt: skip
DARK_16 = (
    "#484f58", "#ff7b72", "#3fb950", "#d29922", "#58a6ff", "#bc8cff", "#39c5cf", "#b1bac4",
    "#6e7681", "#ffa198", "#56d364", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#f0f6fc",
)  # fmt: skip

_CUBE = (0, 95, 135, 175, 215, 255)


@lru_cache(maxsize=256)
def xterm_rgb(index: int) -> str:
    """Colours 16-255 of the xterm palette as ``#rrggbb``."""
    if index < 232:
        index -= 16
        r, g, b = _CUBE[index // 36], _CUBE[index // 6 % 6], _CUBE[index % 6]
    else:
        r = g = b = 8 + 10 * (index - 232)
    return f"#{r:02x}{g:02x}{b:02x}"


def _quantize(rgb: tuple[int, int, int]) -> str:
    """24-bit colours share 4096 tags at most: 16 levels per channel."""
    return "#" + "".join(f"{(c & 0xF0) | (c >> 4):02x}" for c in rgb)


class TagPool:
    """Maps an ANSI ``Style`` to tag names on one Text widget."""

    def __init__(self, text: tk.Text, base_font: tkfont.Font, dark: bool) -> None:
        self.text = text
        self.base_font = base_font
        self.fonts: dict[str, tkfont.Font] = {}
        self._configured: set[str] = set()
        self._cache: dict[Style, tuple[str, ...]] = {}
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        """Re-colour the palette tags for a light or dark theme."""
        self.palette = DARK_16 if dark else LIGHT_16
        for name in self._configured:
            if name.startswith(("fg-", "bg-")) and name[3:].isdigit():
                self._configure_colour(name)

    def tags(self, style: Style) -> tuple[str, ...]:
        found = self._cache.get(style)
        if found is None:
            found = self._cache[style] = self._build(style)
        return found

    def _build(self, style: Style) -> tuple[str, ...]:
        fg, bg = style.fg, style.bg
        names = []
        if style.inverse:
            fg, bg = bg, fg
            names += ["inverse-fg" if fg is None else "", "inverse-bg" if bg is None else ""]
        names += [_colour_tag("fg", fg), _colour_tag("bg", bg)]
        variant = ("b" if style.bold else "") + ("i" if style.italic else "")
        if variant:
            names.append("font-" + variant)
        for flag in ("faint", "underline", "strike"):
            if getattr(style, flag):
                names.append(flag)
        names = [n for n in names if n]
        for name in names:
            if name not in self._configured:
                self._configure(name)
        return tuple(names)

    def _configure(self, name: str) -> None:
        self._configured.add(name)
        if name.startswith(("fg-", "bg-")):
            self._configure_colour(name)
        elif name.startswith("font-"):
            variant = name[5:]
            font = self.base_font.copy()
            font.configure(
                weight="bold" if "b" in variant else "normal",
                slant="italic" if "i" in variant else "roman",
            )
            self.fonts[name] = font
            self.text.tag_configure(name, font=font)
        elif name == "underline":
            self.text.tag_configure(name, underline=True)
        elif name == "strike":
            self.text.tag_configure(name, overstrike=True)
        elif name == "faint":
            self.text.tag_configure(name, foreground=self.palette[8])
        elif name == "inverse-fg":
            self.text.tag_configure(name, foreground=self.text.cget("background"))
        elif name == "inverse-bg":
            self.text.tag_configure(name, background=self.text.cget("foreground"))

    def _configure_colour(self, name: str) -> None:
        option = "foreground" if name.startswith("fg") else "background"
        value = name[3:]
        colour = value if value.startswith("#") else self._palette_colour(int(value))
        self.text.tag_configure(name, **{option: colour})

    def _palette_colour(self, index: int) -> str:
        return self.palette[index] if index < 16 else xterm_rgb(index)


def _colour_tag(kind: str, colour: Color) -> str:
    if colour is None:
        return ""
    if isinstance(colour, int):
        return f"{kind}-{colour}"
    return f"{kind}-{_quantize(colour)}"
