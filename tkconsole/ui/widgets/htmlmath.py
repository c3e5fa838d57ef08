"""HTMLMath: its text laid out with every formula typeset, as MathJax would in a notebook.

A label cannot hold images between words, so the view is a small read-only
Text (the frame's colours, no border) sized to what it shows.  Formulas go
through the console's typesetting path (``mathview``: the source at once,
the image from the shared worker thread when it is ready), so a slow or
broken formula never blocks the window and keeps its source visible.
"""

from __future__ import annotations

import base64
import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk

from ...models.mathtext import split_math
from ..guarded_text import GuardedText
from ..output.mathview import MathTypesetter
from .base import WidgetView, frame_background
from .display import WRAP_PX, html_text

SOURCE_TAG = "math-source"  # a typeset formula's LaTeX: kept (for copying), elided


class HTMLMathView(WidgetView):
    def build(self) -> None:
        self.font = tkfont.nametofont("TkDefaultFont")
        self.box = tk.Frame(self.body, width=WRAP_PX, height=1)
        self.box.pack_propagate(False)
        self.box.pack(side="left", anchor="w")
        self.text = GuardedText(
            self.box, wrap="word", borderwidth=0, highlightthickness=0, font=self.font,
            padx=0, pady=0, cursor="",
        )  # fmt: skip
        self.text.pack(fill="both", expand=True)
        self.text.tag_configure(SOURCE_TAG, elide=True)
        self.images: dict[str, tuple[tk.PhotoImage, str]] = {}  # name -> (image, LaTeX)
        self.math = MathTypesetter(
            self.text, self._math_style, self._show, self._retinted, SOURCE_TAG
        )
        self._colours()

    def refresh(self, keys: set[str]) -> None:
        if "value" not in keys:
            return
        self.text.erase("1.0", "end")
        self.images.clear()
        for piece in split_math(html_text(self.get("value"))):
            if piece.kind == "text":
                self.text.write("end-1c", piece.content.replace("\\$", "$"), ())
            else:
                latex = (
                    f"$\\displaystyle {piece.content}$"
                    if piece.kind == "display"
                    else piece.content
                )
                self.math.place("end-1c", latex, ())
        self._fit()

    def theme_changed(self) -> None:
        super().theme_changed()
        self._colours()
        for name, (_photo, latex) in self.images.items():
            self.math.retint(name, latex)

    # ------------------------------------------------------------ typesetting
    def _math_style(self) -> tuple[float, str]:
        points = abs(int(self.font.actual("size"))) or 10
        size_px = points * float(self.text.tk.call("tk", "scaling")) * 1.15
        return size_px, str(self.text.cget("foreground"))

    def _show(self, index: str, raw: bytes, latex: str, tags: tuple[str, ...]) -> None:
        photo = tk.PhotoImage(master=self.text, data=base64.b64encode(raw).decode())
        name = self.text.image_create(index, image=photo, align="center", padx=1)
        self.images[name] = (photo, latex)
        self._fit()

    def _retinted(self, name: str, raw: bytes) -> None:
        if name in self.images:
            self.images[name][0].configure(data=base64.b64encode(raw).decode())
            self._fit()

    # ------------------------------------------------------------ looks
    def _colours(self) -> None:
        style = ttk.Style(self)
        background = frame_background(self)
        foreground = style.lookup("TLabel", "foreground") or "#000000"
        self.box.configure(background=background)
        self.text.configure(background=background, foreground=foreground)

    def _fit(self) -> None:
        """The box as tall as the laid-out text (images make lines taller)."""
        pixels = self.text.tk.call(str(self.text), "count", "-update", "-ypixels", "1.0", "end")
        self.box.configure(height=max(int(pixels), self.font.metrics("linespace")))
