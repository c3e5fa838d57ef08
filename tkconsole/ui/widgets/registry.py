"""The table from a model's ``_model_name`` to the view that draws it.

One entry per model family; a name that is not here (a third-party widget,
a Layout shown on its own) gets a one-line placeholder naming it.
"""

from __future__ import annotations

import logging
import tkinter as tk

from ...models.widgets.state import model_id
from . import boxes, choices, display, htmlmath, output, pickers, sliders, texts
from .base import Placeholder, ViewHost, WidgetView

log = logging.getLogger(__name__)

VIEWS: dict[str, type[WidgetView]] = {
    "IntSliderModel": sliders.IntSliderView,
    "FloatSliderModel": sliders.SliderView,
    "FloatLogSliderModel": sliders.FloatLogSliderView,
    "SelectionSliderModel": sliders.SelectionSliderView,
    "IntRangeSliderModel": sliders.IntRangeSliderView,
    "FloatRangeSliderModel": sliders.RangeSliderView,
    "SelectionRangeSliderModel": sliders.RangeSliderView,
    "TextModel": texts.TextView,
    "PasswordModel": texts.PasswordView,
    "TextareaModel": texts.TextareaView,
    "IntTextModel": texts.IntNumberView,
    "BoundedIntTextModel": texts.IntNumberView,
    "FloatTextModel": texts.NumberView,
    "BoundedFloatTextModel": texts.NumberView,
    "ComboboxModel": texts.ComboboxView,
    "CheckboxModel": choices.CheckboxView,
    "ToggleButtonModel": choices.ToggleButtonView,
    "ToggleButtonsModel": choices.ToggleButtonsView,
    "RadioButtonsModel": choices.RadioButtonsView,
    "DropdownModel": choices.DropdownView,
    "SelectModel": choices.SelectView,
    "SelectMultipleModel": choices.SelectView,
    "ButtonModel": display.ButtonView,
    "LabelModel": display.LabelView,
    "HTMLModel": display.HTMLView,
    "HTMLMathModel": htmlmath.HTMLMathView,
    "ImageModel": display.ImageView,
    "IntProgressModel": display.ProgressView,
    "FloatProgressModel": display.ProgressView,
    "ValidModel": display.ValidView,
    "ColorPickerModel": pickers.ColorPickerView,
    "DatePickerModel": pickers.DatePickerView,
    "PlayModel": pickers.PlayView,
    "BoxModel": boxes.BoxView,
    "HBoxModel": boxes.BoxView,
    "VBoxModel": boxes.BoxView,
    "GridBoxModel": boxes.GridBoxView,
    "TabModel": boxes.TabView,
    "AccordionModel": boxes.AccordionView,
    "OutputModel": output.OutputView,
}


def _ipympl_views() -> dict[str, type[WidgetView]]:
    from . import mpl  # Pillow-heavy: loaded with the first widget, not the console

    return {"MPLCanvasModel": mpl.CanvasView}


VIEWS.update(_ipympl_views())


MAX_DEPTH = 32  # views nested deeper than this (a hostile kernel's) are not built


def _ancestor_models(widget: tk.Misc | None) -> list[str]:
    ids = []
    while widget is not None:
        if isinstance(widget, WidgetView):
            ids.append(widget.model.model_id)
        widget = widget.master
    return ids


def build_view(host: ViewHost, master: tk.Misc, ref: object) -> tk.Widget:
    """The view for a model id or ``IPY_MODEL_`` reference; a placeholder if we cannot."""
    mid = model_id(ref) or (ref if isinstance(ref, str) else None)
    model = host.manager.get(mid) if mid else None
    cls = VIEWS.get(model.name) if model is not None else None
    if model is None or cls is None:
        return Placeholder(master, model, ref)
    ancestors = _ancestor_models(master)
    if mid in ancestors or len(ancestors) >= MAX_DEPTH:  # a box inside itself, or too deep
        return Placeholder(master, None, f"{mid} (nested in itself or too deep)")
    try:
        return cls(master, host, model)
    except Exception as exc:  # a view that cannot be built says so in one line
        log.exception("the %s view failed", model.name)
        return Placeholder(master, model, f"{ref} ({exc})")
