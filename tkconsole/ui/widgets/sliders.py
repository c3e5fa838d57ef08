"""Sliders: one handle on a ttk Scale, two handles (ranges) on a small Canvas.

A slider's position maps to a value through ``to_value``: the identity
snapped to the step, ``base ** x`` for a log slider, an option index for a
selection slider.  With ``continuous_update`` off, dragging only moves the
readout and the value is sent on release.
"""

from __future__ import annotations

import math
import tkinter as tk
from tkinter import ttk
from typing import Any, Literal

import ttkbootstrap as tb

from ...models.widgets.values import format_readout, index_of, number, option_labels, snap
from .base import WidgetView

LENGTH = 220  # px: the default track length
HANDLE = 6  # px: a range handle's radius


class SliderView(WidgetView):
    """IntSlider and FloatSlider; subclasses change the value mapping."""

    integer = False

    def build(self) -> None:
        vertical = self.get("orientation") == "vertical"
        self.scale = tb.Scale(
            self.body, orient="vertical" if vertical else "horizontal", length=LENGTH,
            command=self._moved,
        )  # fmt: skip
        self.readout = ttk.Label(self.body, width=8)
        side: Literal["top", "left"] = "top" if vertical else "left"
        self.scale.pack(side=side, padx=2)
        self.readout.pack(side=side, padx=4)
        self.scale.bind("<ButtonRelease-1>", self._released, add="+")
        self._unsent: Any = None

    # the mapping between the scale's position and the model's value
    def bounds(self) -> tuple[float, float]:
        return number(self.get("min"), 0.0), number(self.get("max"), 100.0)

    def to_value(self, position: float) -> Any:
        low, high = self.bounds()
        return snap(position, low, high, self.get("step"), self.integer)

    def to_position(self, value: Any) -> float:
        return number(value, self.bounds()[0])

    def text_of(self, value: Any) -> str:
        return format_readout(value, self.get("readout_format"), self.integer)

    def value_key(self) -> str:
        return "value"

    def refresh(self, keys: set[str]) -> None:
        low, high = self.bounds()
        vertical = self.get("orientation") == "vertical"
        self.scale.configure(from_=high if vertical else low, to=low if vertical else high)
        value = self.get(self.value_key())
        self.scale.set(self.to_position(value))
        self.readout.configure(text=self.text_of(self.current_value()))
        if self.get("readout") is False:
            self.readout.pack_forget()

    def current_value(self) -> Any:
        if self.value_key() == "index":
            return self.to_value(self.to_position(self.get("index")))
        return self.get("value")

    def _moved(self, position: str) -> None:
        if self.updating:
            return
        value = self.to_value(float(position))
        self.readout.configure(text=self.text_of(self.show_value(value)))
        if self.get("continuous_update", True):
            if value != self.get(self.value_key()):
                self.send(**{self.value_key(): value})
        else:
            self._unsent = value

    def show_value(self, value: Any) -> Any:
        return value

    def _released(self, _event: tk.Event) -> None:
        unsent, self._unsent = self._unsent, None
        if unsent is not None and unsent != self.get(self.value_key()):
            self.send(**{self.value_key(): unsent})


class IntSliderView(SliderView):
    integer = True


class FloatLogSliderView(SliderView):
    """The track is the exponent; the value is ``base ** exponent``."""

    def base(self) -> float:
        base = number(self.get("base"), 10.0)
        return base if base > 0 and base != 1 else 10.0

    def bounds(self) -> tuple[float, float]:
        return number(self.get("min"), 0.0), number(self.get("max"), 4.0)

    def to_value(self, position: float) -> Any:
        low, high = self.bounds()
        return self.base() ** snap(position, low, high, self.get("step"))

    def to_position(self, value: Any) -> float:
        value = number(value, 1.0)
        return math.log(value, self.base()) if value > 0 else self.bounds()[0]

    def text_of(self, value: Any) -> str:
        return format_readout(value, self.get("readout_format") or ".3g")


class SelectionSliderView(SliderView):
    """The track is the option index; the readout is the option's label."""

    def bounds(self) -> tuple[float, float]:
        return 0.0, float(max(0, len(option_labels(self.get("_options_labels"))) - 1))

    def to_value(self, position: float) -> Any:
        return round(min(max(position, 0), self.bounds()[1]))

    def to_position(self, value: Any) -> float:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else 0.0

    def value_key(self) -> str:
        return "index"

    def text_of(self, value: Any) -> str:
        labels = option_labels(self.get("_options_labels"))
        index = index_of(value, len(labels))
        return labels[index] if index is not None else ""


class RangeSliderView(WidgetView):
    """Two handles on a Canvas track: IntRangeSlider, FloatRangeSlider, SelectionRangeSlider."""

    integer = False

    def theme_changed(self) -> None:
        super().theme_changed()
        self.canvas.configure(background=self["background"])
        self._draw()

    def build(self) -> None:
        self.canvas = tk.Canvas(
            self.body, width=LENGTH, height=2 * HANDLE + 6, highlightthickness=0,
            background=self["background"],
        )  # fmt: skip
        self.readout = ttk.Label(self.body, width=16)
        self.canvas.pack(side="left", padx=2)
        self.readout.pack(side="left", padx=4)
        self.canvas.bind("<ButtonPress-1>", self._press)
        self.canvas.bind("<B1-Motion>", self._drag)
        self.canvas.bind("<ButtonRelease-1>", self._release)
        self._handle = 0
        self._shown: list[Any] = [0, 0]
        self._unsent: list[Any] | None = None

    def bounds(self) -> tuple[float, float]:
        if self.model.name == "SelectionRangeSliderModel":
            return 0.0, float(max(0, len(option_labels(self.get("_options_labels"))) - 1))
        return number(self.get("min"), 0.0), number(self.get("max"), 100.0)

    def key(self) -> str:
        return "index" if self.model.name == "SelectionRangeSliderModel" else "value"

    def values(self) -> list[Any]:
        pair = self.get(self.key())
        low, high = self.bounds()
        if isinstance(pair, list | tuple) and len(pair) == 2:
            return [number(pair[0], low), number(pair[1], high)]
        return [low, high]

    def refresh(self, keys: set[str]) -> None:
        self._shown = self.values()
        self._draw()

    def _x(self, value: float) -> float:
        low, high = self.bounds()
        span = (high - low) or 1.0
        return HANDLE + (value - low) / span * (LENGTH - 2 * HANDLE)

    def _value(self, x: float) -> Any:
        low, high = self.bounds()
        raw = low + (x - HANDLE) / max(1, LENGTH - 2 * HANDLE) * (high - low)
        integer = self.integer or self.key() == "index"
        step = 1 if self.key() == "index" else self.get("step")
        return snap(raw, low, high, step, integer)

    def _draw(self) -> None:
        c = self.canvas
        c.delete("all")
        y = HANDLE + 3
        lo, hi = (self._x(v) for v in self._shown)
        track, accent = _theme_colours()
        c.create_line(HANDLE, y, LENGTH - HANDLE, y, fill=track, width=4)
        c.create_line(lo, y, hi, y, fill=accent, width=4)
        for x in (lo, hi):
            c.create_oval(x - HANDLE, y - HANDLE, x + HANDLE, y + HANDLE, fill=accent, outline="")
        if self.key() == "index":
            labels = option_labels(self.get("_options_labels"))
            texts = [labels[int(v)] if 0 <= int(v) < len(labels) else "" for v in self._shown]
        else:
            fmt = self.get("readout_format")
            texts = [format_readout(v, fmt, self.integer) for v in self._shown]
        self.readout.configure(text=" – ".join(texts))

    def _press(self, event: tk.Event) -> None:
        if self.get("disabled"):
            return
        lo, hi = (self._x(v) for v in self._shown)
        self._handle = 0 if abs(event.x - lo) <= abs(event.x - hi) else 1
        self._drag(event)

    def _drag(self, event: tk.Event) -> None:
        if self.get("disabled"):
            return
        shown = list(self._shown)
        shown[self._handle] = self._value(event.x)
        if shown[0] > shown[1]:
            shown[self._handle] = shown[1 - self._handle]
        self._shown = shown
        self._draw()
        if self.get("continuous_update", True):
            if shown != self.values():
                self.send(**{self.key(): shown})
        else:
            self._unsent = shown

    def _release(self, _event: tk.Event) -> None:
        unsent, self._unsent = self._unsent, None
        if unsent is not None:
            self.send(**{self.key(): unsent})


class IntRangeSliderView(RangeSliderView):
    integer = True


def _theme_colours() -> tuple[str, str]:
    """(track, handle) colours of the theme's own sliders, for the two-handle one."""
    try:
        colors = tb.Style().colors
        return colors.get("border") or "#c0c4c8", colors.get("primary") or "#2780e3"
    except Exception:  # not a ttkbootstrap theme
        return "#c0c4c8", "#2780e3"
