"""Widgets that mostly show: Button, Label, HTML, Image, progress bars, Valid.

Buttons take ttkbootstrap's styles (``success``, ``danger``...) so they follow
the light or dark theme; progress bars take JupyterLab's colours for their
``bar_style``, in plain ttk styles made from the theme's colours, and a bar's
own colour (``bar_color``) gets a style of its own.
"""

from __future__ import annotations

import contextlib
import io
import tkinter as tk
from tkinter import ttk
from typing import TYPE_CHECKING

import ttkbootstrap as tb

from ...models.widgets.barcolours import bar_colours
from ...models.widgets.values import colour, css_pixels, number
from .base import WidgetView, plain

if TYPE_CHECKING:
    from PIL import ImageTk

BOOT_STYLES = {"primary", "success", "info", "warning", "danger"}
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

    The colours are a plain ttk style per bar style and theme (models/widgets/
    barcolours.py): ttkbootstrap's own coloured progress styles made each
    scrolled frame of 200 bars cost ~96 ms (plain ttk styles: ~10 ms),
    measured here under Xvfb.
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

    def theme_changed(self) -> None:
        super().theme_changed()
        self._colour()

    def _colour(self) -> None:
        custom = self._style_model.get("bar_color") if self._style_model is not None else None
        fill = colour(custom, "") if isinstance(custom, str) and custom else ""
        name = self.get("bar_style")
        name = name if name in BAR_STYLES else ""
        try:
            self.bar.configure(style=progress_style(self, name, fill, self.vertical))
        except tk.TclError:
            self.bar.configure(style="Vertical.TProgressbar" if self.vertical else "")


BAR_STYLES = ("", "success", "info", "warning", "danger")
_made_styles: set[tuple[str, str]] = set()  # (theme, style): ttk keeps styles per theme


def progress_style(widget: tk.Misc, bar_style: str, fill: str, vertical: bool) -> str:
    """A plain ttk progress-bar style in the theme's colours, made once per theme.

    Its elements are clam's, which draw in the colours configured here:
    ttkbootstrap replaces the stock progress-bar elements with pictures (its
    own colours, a thin bar) once a theme is rebuilt.
    """
    style = ttk.Style(widget)
    orient = "Vertical" if vertical else "Horizontal"
    name = f"w-{fill.strip('#') or bar_style or 'default'}.{orient}.TProgressbar"
    theme = style.theme_use()
    if (theme, name) in _made_styles:
        return name
    if (theme, orient) not in _made_styles:
        for part in ("trough", "pbar"):
            style.element_create(f"w.{orient}.Progressbar.{part}", "from", "clam")
        _made_styles.add((theme, orient))
    style.layout(name, [(f"w.{orient}.Progressbar.trough", {"sticky": "nswe", "children": [
        (f"w.{orient}.Progressbar.pbar", {"side": "bottom" if vertical else "left",
                                          "sticky": "we" if vertical else "ns"})]})])  # fmt: skip
    background = style.lookup("TFrame", "background") or "#ffffff"
    foreground = style.lookup("TLabel", "foreground") or "#000000"
    colours = bar_colours(bar_style, _hex(widget, background), _hex(widget, foreground))
    bar = fill or colours.fill
    style.configure(
        name, background=bar, lightcolor=bar, darkcolor=bar, troughcolor=colours.trough,
        bordercolor=colours.border, thickness=14,
    )  # fmt: skip
    _made_styles.add((theme, name))
    return name


def _hex(widget: tk.Misc, tk_colour: str) -> str:
    """``#rrggbb`` for any colour Tk knows (a theme may name one)."""
    r, g, b = (c // 257 for c in widget.winfo_rgb(tk_colour))
    return f"#{r:02x}{g:02x}{b:02x}"


class ValidView(WidgetView):
    def build(self) -> None:
        self.mark = ttk.Label(self.body)
        self.mark.pack(side="left")

    def refresh(self, keys: set[str]) -> None:
        valid = bool(self.get("value"))
        readout = self.get("readout")
        text = "✔" if valid else "✘ " + (readout if isinstance(readout, str) else "Invalid")
        self.mark.configure(text=text, foreground="#2e7d32" if valid else "#c62828")
