"""The colours of a progress bar's fill and trough, from the theme's own two colours.

Fills take JupyterLab's hues for each ``bar_style`` (its brand blue for no
style), made just dark or light enough to stand 3:1 against the trough, the
WCAG contrast for parts of controls; the trough is the page's background
moved a little toward its text colour, so it shows on the page in light and
dark themes alike.
"""

from __future__ import annotations

from typing import NamedTuple

from ..contrast import mix, readable

# JupyterLab's --jp-brand-color1, --jp-success-color1, --jp-info-color1,
# --jp-warn-color1 and --jp-error-color1 (Material blue, green, light blue,
# orange and red 700), which its progress bars use.
JUPYTERLAB_FILLS = {
    "": "#1976d2",
    "success": "#388e3c",
    "info": "#0288d1",
    "warning": "#f57c00",
    "danger": "#d32f2f",
}
TROUGH_SHADE = 0.12  # of the way from the page's background to its text colour
BORDER_SHADE = 0.3


class BarColours(NamedTuple):
    fill: str
    trough: str
    border: str


def bar_colours(bar_style: object, background: str, foreground: str) -> BarColours:
    """The colours for ``bar_style`` ('' or unknown: the default bar) on this page."""
    trough = mix(background, foreground, TROUGH_SHADE)
    hue = JUPYTERLAB_FILLS.get(bar_style if isinstance(bar_style, str) else "", "#1976d2")
    return BarColours(readable(hue, trough), trough, mix(background, foreground, BORDER_SHADE))
