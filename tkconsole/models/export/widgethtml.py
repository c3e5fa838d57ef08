"""ipywidgets in an exported page: a still picture of each widget as it was saved.

The page runs no script, so a widget cannot be live there; it is drawn from
its saved state with plain, disabled form elements (a slider as a range, a
bar as ``<progress>``, a box as its children), which read the same offline.
A model this table does not know is left to the caller's text fallback.
Every value from the kernel is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from ..widgets.state import model_id
from ..widgets.values import format_readout, index_of, number, option_labels

_TAGS = re.compile(r"<[^>]*>")
MAX_DEPTH = 32  # boxes nested deeper than this (or inside themselves) stop here

Draw = Callable[[dict[str, Any], "Snapshot"], str]


class Snapshot:
    """Draws saved models by id (the ``state`` dict of a widget-state document)."""

    def __init__(self, models: dict[str, Any]) -> None:
        self.models = models
        self._path: list[str] = []

    def widget(self, ref: object) -> str | None:
        """The HTML for a model id or ``IPY_MODEL_`` reference; None when not drawable."""
        mid = model_id(ref) or (ref if isinstance(ref, str) else None)
        entry = self.models.get(mid) if mid else None
        if not isinstance(entry, dict) or mid in self._path or len(self._path) >= MAX_DEPTH:
            return None
        state, name = entry.get("state"), str(entry.get("model_name"))
        draw = DRAWERS.get(name)
        if draw is None or not isinstance(state, dict):
            return None
        state = {**state, "_model_name": name}
        self._path.append(str(mid))
        try:
            body = draw(state, self)
        finally:
            self._path.pop()
        return f'<div class="widget">{_description(state)}{body}</div>'


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _description(state: dict[str, Any]) -> str:
    text = state.get("description")
    if not isinstance(text, str) or not text or state.get("_model_name") in NO_LABEL:
        return ""
    return f"<label>{_esc(html.unescape(_strip_tags(text)))}</label> "


def _strip_tags(text: str) -> str:
    """A description's text (descriptions may allow HTML)."""
    return _TAGS.sub("", text)


def _slider(state: dict[str, Any], _snap: Snapshot) -> str:
    low, high = number(state.get("min"), 0.0), number(state.get("max"), 100.0)
    value = state.get("value")
    step = number(state.get("step"), 1.0)
    integer = str(state.get("_model_name", "")).startswith("Int")
    readout = format_readout(value, state.get("readout_format"), integer)
    return (
        f'<input type="range" disabled min="{low:g}" max="{high:g}" step="{step:g}"'
        f' value="{number(value, low):g}"> <output>{_esc(readout)}</output>'
    )


def _progress(state: dict[str, Any], _snap: Snapshot) -> str:
    low, high = number(state.get("min"), 0.0), number(state.get("max"), 100.0)
    value = min(max(number(state.get("value"), low) - low, 0.0), high - low)
    style = state.get("bar_style")
    css = f' class="{_esc(style)}"' if style in BAR_STYLES else ""
    return f'<progress{css} max="{max(high - low, 1e-9):g}" value="{value:g}"></progress>'


def _text(state: dict[str, Any], _snap: Snapshot) -> str:
    value = state.get("value")
    kind = "password" if state.get("_model_name") == "PasswordModel" else "text"
    if state.get("_model_name") == "TextareaModel":
        return f"<textarea disabled>{_esc(value)}</textarea>"
    return f'<input type="{kind}" disabled value="{_esc(value)}">'


def _checkbox(state: dict[str, Any], _snap: Snapshot) -> str:
    checked = " checked" if state.get("value") is True else ""
    label = _esc(_strip_tags(str(state.get("description") or "")))
    return f'<label><input type="checkbox" disabled{checked}> {label}</label>'


def _select(state: dict[str, Any], _snap: Snapshot) -> str:
    labels = option_labels(state.get("_options_labels"))
    chosen = index_of(state.get("index"), len(labels))
    options = "".join(
        f"<option{' selected' if i == chosen else ''}>{_esc(label)}</option>"
        for i, label in enumerate(labels)
    )
    return f"<select disabled>{options}</select>"


def _button(state: dict[str, Any], _snap: Snapshot) -> str:
    return f"<button disabled>{_esc(_strip_tags(str(state.get('description') or '')))}</button>"


def _label(state: dict[str, Any], _snap: Snapshot) -> str:
    return f"<span>{_esc(_strip_tags(str(state.get('value') or '')))}</span>"


def _box(state: dict[str, Any], snap: Snapshot) -> str:
    children = state.get("children")
    parts = [snap.widget(child) for child in children] if isinstance(children, list) else []
    row = state.get("_model_name") in ("HBoxModel", "BoxModel")
    css = "display:flex;gap:0.5em;align-items:center" if row else ""
    return f'<div style="{css}">' + "".join(p for p in parts if p) + "</div>"


BAR_STYLES = ("success", "info", "warning", "danger")
NO_LABEL = {"CheckboxModel", "ButtonModel"}  # they show their description themselves
SLIDERS = ("IntSliderModel", "FloatSliderModel", "FloatLogSliderModel")
TEXTS = ("TextModel", "PasswordModel", "TextareaModel", "IntTextModel", "FloatTextModel",
         "BoundedIntTextModel", "BoundedFloatTextModel", "ComboboxModel")  # fmt: skip
DRAWERS: dict[str, Draw] = {
    **dict.fromkeys(SLIDERS, _slider),
    **dict.fromkeys(("IntProgressModel", "FloatProgressModel"), _progress),
    **dict.fromkeys(TEXTS, _text),
    **dict.fromkeys(("DropdownModel", "SelectModel", "RadioButtonsModel"), _select),
    **dict.fromkeys(("LabelModel", "HTMLModel", "HTMLMathModel"), _label),
    **dict.fromkeys(("BoxModel", "HBoxModel", "VBoxModel", "GridBoxModel"), _box),
    "CheckboxModel": _checkbox,
    "ButtonModel": _button,
}
