"""Which representation of a MIME bundle the console shows.

The documented order (docs/output.md, "Which output is shown"), richest first:

0. ``application/vnd.jupyter.widget-view+json`` (a ``{model_id}`` dict): an
   ipywidget, drawn live;
1. ``text/latex`` when it can be typeset: SymPy's ``init_printing`` sends
   it beside a plain ``x**2`` and often a PNG of the formula in black that
   a dark theme would hide; typeset here it takes the theme's text colour;
2. ``image/png``, ``image/jpeg``, ``image/gif``, ``image/svg+xml``;
3. ``text/markdown``;
4. ``text/html`` holding a ``<table>`` (pandas DataFrames), unless the
   ``prefer_plain_tables`` setting asks for the plain text;
5. ``text/plain``, unless it is only Python's default object repr
   (``<IPython.core.display.HTML object>``, ``<Styler at 0x7f…>``);
6. ``text/html``, then ``text/latex`` as its source;
7. a default-repr ``text/plain``, when nothing else is there.

A type is skipped when the console cannot render it here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # {model_id}: a live ipywidget
IMAGES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml")

# ``object.__repr__`` and IPython's display objects: "<module.Class object>",
# "<module.Class object at 0x7f...>", "<module.Class at 0x7f...>".
_DEFAULT_REPR_RE = re.compile(
    r"<[A-Za-z_][\w.]{0,300}(?: object(?: at 0x[0-9A-Fa-f]{1,32})?| at 0x[0-9A-Fa-f]{1,32})>"
)
_TABLE_RE = re.compile(r"<table[\s>]", re.IGNORECASE)


def is_default_repr(plain: str) -> bool:
    """Whether ``plain`` is only a default object repr, which says nothing to a reader."""
    return _DEFAULT_REPR_RE.fullmatch(plain.strip()) is not None


def has_table(html: str) -> bool:
    """Whether an HTML fragment holds a table (a DataFrame's repr does)."""
    return _TABLE_RE.search(html, 0, 200_000) is not None


def choose(
    data: dict[str, Any],
    can_render: Callable[[str], bool] = lambda _mime: True,
    prefer_plain_tables: bool = False,
) -> str | None:
    """The MIME type to show from ``data``, or None if nothing usable is there."""

    def usable(mime: str) -> bool:
        value = data.get(mime)
        return isinstance(value, str) and bool(value) and can_render(mime)

    widget = data.get(WIDGET_VIEW)
    if isinstance(widget, dict) and widget and can_render(WIDGET_VIEW):
        return WIDGET_VIEW  # a live ipywidget: its view, never its text repr
    if usable("text/latex") and can_render("math"):
        return "text/latex"
    for mime in (*IMAGES, "text/markdown"):
        if usable(mime):
            return mime
    plain = usable("text/plain")
    real_plain = plain and not is_default_repr(data["text/plain"])
    html = usable("text/html")
    if html and has_table(data["text/html"]) and not (prefer_plain_tables and real_plain):
        return "text/html"
    if real_plain:
        return "text/plain"
    for mime in ("text/html", "text/latex"):
        if usable(mime):
            return mime
    return "text/plain" if plain else None
