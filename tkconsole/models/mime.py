"""Which representation of a MIME bundle the console shows.

The documented order, richest first.  A type is skipped when the console
cannot render it here (an SVG without a renderer), and ``text/html`` or
``text/latex`` only win when the kernel sent no ``text/plain``: a console
shows a kernel's plain text better than stripped markup or raw LaTeX.
"""

from __future__ import annotations

from collections.abc import Callable

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # {model_id}: a live ipywidget
ORDER = (
    WIDGET_VIEW,
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/svg+xml",
    "text/markdown",
    "text/plain",
    "text/html",
    "text/latex",
)


def choose(data: dict, can_render: Callable[[str], bool] = lambda _mime: True) -> str | None:
    """The MIME type to show from ``data``, or None if nothing usable is there."""
    for mime in ORDER:
        value = data.get(mime)
        wanted = dict if mime == WIDGET_VIEW else str  # a widget view is {model_id}
        if isinstance(value, wanted) and value and can_render(mime):
            return mime
    return None
