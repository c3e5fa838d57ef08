"""Widgets that mostly show: Button, Label, HTML, Image, progress bars, Valid.

Colours come from ttkbootstrap's styles (``success``, ``danger``...) so they
follow the light or dark theme; a widget's own colour (``bar_color``) gets a
style of its own.  A style that cannot be built falls back to the plain one.
"""

from __future__ import annotations

import contextlib
import io
import tkinter as tk
from tkinter import ttk
from typing import TYPE_CHECKING

import ttkbootstrap as tb

from ...models.widgets.values import colour, css_pixels, number
from .base import WidgetView, plain

if TYPE_CHECKING:
    from PIL import ImageTk

BOOT_STYLES = {"primary", "success", "info", "warning", "danger"}
FALLBACK_COLOURS = {
    "primary": "#0d6efd", "success": "#198754", "info": "#0dcaf0",
    "warning": "#ffc107", "danger": "#dc3545",
}  # fmt: skip
WRAP_PX = 600


def html_text(value: object) -> str:
    from ...models.htmltext import html_to_text  # loaded on first use

    return html_to_text(value if isinstance(value, str) else "").strip("\n")


def _bootstyle(widget: tb.Button, name: object, default: str) -> None:
    with contextlib.suppress(tk.TclError):
        widget.configure(bootstyle=name if name in BOOT_STYLES else default)


class ButtonView(WidgetView):
    """A click is a ``custom`` ``{"event": "click"}`` message: the kernel runs ``on_click``."""

    show_description = False

    def build(self) -> None:
        self.button = tb.Button(self.body, command=self._clicked)
        self.button.pack(side="left")

    def refresh(self, keys: set[str]) -> None:
        self.button.configure(text=plain(self.get("description")) or " ")
        if "button_style" in keys:
            _bootstyle(self.button, self.get("button_style"), "secondary")

    def _clicked(self) -> None:
        self.host.manager.send_custom(self.model.model_id, {"event": "click"})


class LabelView(WidgetView):
    def build(self) -> None:
        self.label = ttk.Label(self.body, wraplength=WRAP_PX, justify="left")
        self.label.pack(side="left", anchor="w")

    def refresh(self, keys: set[str]) -> None:
        value = self.get("value")
        self.label.configure(text=value if isinstance(value, str) else "")


class HTMLView(LabelView):
    """HTML: laid out as plain text (HTMLMath typesets its formulas: ``htmlmath``)."""

    def refresh(self, keys: set[str]) -> None:
        if "value" in keys:
            self.label.configure(text=html_text(self.get("value")))


class ImageView(WidgetView):
    def build(self) -> None:
        self.label = ttk.Label(self.body)
        self.label.pack(side="left")
        self.photo: ImageTk.PhotoImage | None = None

    def refresh(self, keys: set[str]) -> None:
        if not keys & {"value", "width", "height"}:
            return
        value = self.get("value")
        if not isinstance(value, bytes) or not value:
            self.label.configure(image="", text="")
            return
        try:
            from PIL import Image, ImageTk

            image: Image.Image = Image.open(io.BytesIO(value))
            image.load()
            w, h = css_pixels(self.get("width")), css_pixels(self.get("height"))
            if w or h:
                w = w or round(image.width * (h or 0) / image.height)
                h = h or round(image.height * w / image.width)
                image = image.resize((max(1, w), max(1, h)))
            self.photo = ImageTk.PhotoImage(image, master=self)
            self.label.configure(image=self.photo, text="")
        except Exception as exc:  # a bad image is named, never raised
            self.label.configure(image="", text=f"[image could not be shown: {exc}]")


class ProgressView(WidgetView):
    """IntProgress / FloatProgress, coloured by ``bar_style`` or the style's ``bar_color``.

    The colour is a plain ttk style derived from the theme's: ttkbootstrap's own
    coloured progress styles made each scrolled frame of 200 bars cost ~96 ms
    (plain ttk styles: ~10 ms), measured here under Xvfb.
    """

    def build(self) -> None:
        self.vertical = self.get("orientation") == "vertical"
        self.bar = ttk.Progressbar(
            self.body, orient="vertical" if self.vertical else "horizontal", length=220,
            mode="determinate",
        )  # fmt: skip
        self.bar.pack(side="left", padx=2, pady=2)
        self._style_model = self.host.manager.resolve(self.get("style"))
        if self._style_model is not None:
            self._unwatch.append(self.host.manager.watch(self._style_model.model_id, self))

    def refresh(self, keys: set[str]) -> None:
        low, high = number(self.get("min"), 0.0), number(self.get("max"), 100.0)
        value = min(max(number(self.get("value"), low) - low, 0), high - low)
        self.bar.configure(maximum=max(high - low, 1e-9), value=value)
        if keys & {"bar_style", "bar_color", "style"}:
            self._colour()

    def _colour(self) -> None:
        custom = self._style_model.get("bar_color") if self._style_model is not None else None
        name = self.get("bar_style")
        tk_colour = colour(custom, "") if isinstance(custom, str) and custom else ""
        label = tk_colour.strip("#")
        if not tk_colour and name in BOOT_STYLES:
            tk_colour, label = _theme_colour(name), name
        base = "Vertical.TProgressbar" if self.vertical else "Horizontal.TProgressbar"
        if not tk_colour:
            self.bar.configure(style=base)
            return
        style = f"w-{label}.{base}"
        try:
            ttk.Style(self).configure(style, background=tk_colour)
            self.bar.configure(style=style)
        except tk.TclError:
            self.bar.configure(style=base)


def _theme_colour(name: str) -> str:
    try:
        return tb.Style().colors.get(name) or FALLBACK_COLOURS[name]
    except Exception:  # not a ttkbootstrap theme
        return FALLBACK_COLOURS[name]


class ValidView(WidgetView):
    def build(self) -> None:
        self.mark = ttk.Label(self.body)
        self.mark.pack(side="left")

    def refresh(self, keys: set[str]) -> None:
        valid = bool(self.get("value"))
        readout = self.get("readout")
        text = "✔" if valid else "✘ " + (readout if isinstance(readout, str) else "Invalid")
        self.mark.configure(text=text, foreground="#2e7d32" if valid else "#c62828")
