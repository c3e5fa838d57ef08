"""The Output widget: the outputs it captured, drawn in a Text of its own.

The manager keeps the outputs (nbformat dicts); this view redraws them
when they change, with the console's ``RichRenderer`` so images, Markdown
and nested widgets (``interact`` displays into an Output) look as they do
in the console.  The Text grows with its content up to ``MAX_LINES``.
"""

from __future__ import annotations

import contextlib
import re
import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk

from ...models.outputarea import shown_text
from ..guarded_text import GuardedText
from ..output.rich import RichRenderer
from .base import WidgetView, frame_background

MAX_LINES = 30
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _stream_text(text: str) -> str:
    """ANSI codes out, and each ``\\r`` rewrites its line (progress printed to an Output)."""
    return shown_text(_ANSI.sub("", text))


def _extends(old: dict, new: dict) -> bool:
    """``new`` is ``old`` (a stream) with more text after it, as a print loop makes."""
    if old.get("output_type") != "stream" or new.get("output_type") != "stream":
        return False
    a, b = old.get("text"), new.get("text")
    if old.get("name") != new.get("name") or not isinstance(a, str) or not isinstance(b, str):
        return False
    return len(b) >= len(a) and b.startswith(a) and "\r" not in b[len(a) :]


class OutputView(WidgetView):
    def build(self) -> None:
        font = tkfont.nametofont("TkFixedFont")
        self.text = GuardedText(
            self.body, height=1, width=80, wrap="char", borderwidth=0, highlightthickness=0,
            font=font, background=frame_background(self), padx=2, pady=0,
        )  # fmt: skip
        self.text.tag_configure("stderr", foreground="#b42318")
        self.text.tag_configure("error", foreground="#b42318")
        self.rich = RichRenderer(self.text, font, widgets=self.host)
        self._drawn: list = []
        self.theme_changed()

    def theme_changed(self) -> None:
        super().theme_changed()
        self.text.configure(background=frame_background(self))
        self.text.configure(foreground=ttk.Style(self).lookup("TLabel", "foreground") or "#000000")

    def refresh(self, keys: set[str]) -> None:
        if "outputs" not in keys:
            return
        outputs = self.get("outputs")
        outputs = [o for o in outputs if isinstance(o, dict)] if isinstance(outputs, list) else []
        start = 0  # only what changed is redrawn: a stream that grows appends
        while (
            start < len(self._drawn)
            and start < len(outputs)
            and self._drawn[start] is outputs[start]
        ):
            start += 1
        if (
            start == len(self._drawn) - 1
            and start < len(outputs)
            and _extends(self._drawn[start], outputs[start])
        ):
            added = outputs[start]["text"][len(self._drawn[start]["text"]) :]
            self._draw({**outputs[start], "text": added})
            start += 1
        elif start < len(self._drawn):
            self._clear()
            start = 0
        for output in outputs[start:]:
            self._draw(output)
        self._drawn = list(outputs)
        if self._drawn:
            self.text.pack(side="left", fill="both", expand=True)
            self._fit()
        else:
            self.text.pack_forget()

    def _clear(self) -> None:
        for name in self.text.window_names():
            with contextlib.suppress(KeyError, tk.TclError):
                self.nametowidget(name).destroy()
        self.text.erase("1.0", "end")
        self.rich.forget_deleted()
        self._drawn = []

    def _draw(self, output: dict) -> None:
        kind = output.get("output_type")
        at_line_start = self.text.get("end-2c") == "\n" or self.text.compare("end-1c", "==", "1.0")
        if kind != "stream" and not at_line_start:
            self.text.write("end-1c", "\n")
        if kind == "stream":
            text = output.get("text")
            tag = "stderr" if output.get("name") == "stderr" else "stdout"
            if isinstance(text, str):
                self.text.write("end-1c", _stream_text(text), (tag,))
        elif kind in ("display_data", "execute_result"):
            data, metadata = output.get("data"), output.get("metadata")
            if isinstance(data, dict):
                self.rich.insert("end-1c", data, metadata if isinstance(metadata, dict) else {})
                self.text.write("end-1c", "\n")
        elif kind == "error":
            tb = output.get("traceback")
            lines = tb if isinstance(tb, list) else []
            text = _stream_text("\n".join(t for t in lines if isinstance(t, str)))
            self.text.write("end-1c", text + "\n", ("error",))

    def _fit(self) -> None:
        """As tall as the content (windows included), up to MAX_LINES."""
        self.text.update_idletasks()
        lines = self.text.count("1.0", "end-1c", "displaylines")
        count = (lines[0] if isinstance(lines, tuple) else lines) or 0
        if self.text.get("end-2c") != "\n" and self.text.compare("end-1c", ">", "1.0"):
            count += 1
        height = max(1, min(MAX_LINES, count))
        if self.text.window_names():  # windows are taller than a line: measure in pixels
            counted = self.text.count("1.0", "end", "ypixels")
            pixels = counted[0] if isinstance(counted, tuple) else counted
            line = tkfont.nametofont("TkFixedFont").metrics("linespace")
            height = max(1, min(MAX_LINES, -(-(pixels or 0) // max(line, 1))))
        if not self.text.compare("end-1c", ">", "1.0"):
            height = 1
        self.text.configure(height=height)
