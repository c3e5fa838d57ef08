"""ColorPicker, DatePicker and Play (a timer that steps a value).

Play runs its timer here, in the front-end, as ipywidgets' does: each tick
moves ``value`` by ``step`` and sends it, so linked sliders follow.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import colorchooser, ttk

import ttkbootstrap as tb

from ...models.widgets.values import colour, js_date, number, parse_date, to_js_date
from .base import WidgetView


class ColorPickerView(WidgetView):
    def build(self) -> None:
        self.swatch = tk.Label(self.body, width=3, relief="solid", borderwidth=1, cursor="hand2")
        self.swatch.pack(side="left", padx=(0, 4))
        self.swatch.bind("<Button-1>", lambda _e: self._choose())
        self.var = tk.StringVar(self)
        self.entry = ttk.Entry(self.body, textvariable=self.var, width=12)
        self.entry.bind("<Return>", lambda _e: self._typed())
        self.entry.bind("<FocusOut>", lambda _e: self._typed())

    def refresh(self, keys: set[str]) -> None:
        value = colour(self.get("value"), "#000000")
        self.swatch.configure(background=value)
        self.var.set(value)
        if self.get("concise"):
            self.entry.pack_forget()
        else:
            self.entry.pack(side="left")

    def _choose(self) -> None:
        if self.get("disabled"):
            return
        _rgb, chosen = colorchooser.askcolor(colour(self.get("value")), parent=self)
        if chosen:
            self.send(value=chosen)

    def _typed(self) -> None:
        value = self.var.get().strip()
        if colour(value, "") and value != self.get("value"):
            try:
                self.winfo_rgb(value)  # a name Tk does not know is not a colour
            except tk.TclError:
                return
            self.send(value=value)


class DatePickerView(WidgetView):
    """A date typed as YYYY-MM-DD (sent as ipywidgets' ``{year, month, date}``)."""

    def build(self) -> None:
        self.var = tk.StringVar(self)
        self.entry = ttk.Entry(self.body, textvariable=self.var, width=12)
        self.entry.pack(side="left")
        self.entry.bind("<Return>", lambda _e: self._typed())
        self.entry.bind("<FocusOut>", lambda _e: self._typed())

    def refresh(self, keys: set[str]) -> None:
        day = js_date(self.get("value"))
        self.var.set(day.isoformat() if day else "")

    def _typed(self) -> None:
        text = self.var.get()
        day = parse_date(text) if text.strip() else None
        if day is None and text.strip():
            self.entry.state(["invalid"])
            return
        self.entry.state(["!invalid"])
        value = to_js_date(day)
        if value != self.get("value"):
            self.send(value=value)


class PlayView(WidgetView):
    def build(self) -> None:
        self.play = ttk.Button(self.body, text="▶", width=3, command=self._play)
        self.pause = ttk.Button(self.body, text="‖", width=3, command=self._pause)
        self.stop = ttk.Button(self.body, text="■", width=3, command=self._stop)
        self.repeat_var = tk.BooleanVar(self)
        self.repeat = tb.Checkbutton(
            self.body, text="↻", variable=self.repeat_var, bootstyle="outline-toolbutton",
            command=lambda: self.send(repeat=self.repeat_var.get()),
        )  # fmt: skip
        for button in (self.play, self.pause, self.stop):
            button.pack(side="left", padx=1)
        self._timer: str | None = None

    def refresh(self, keys: set[str]) -> None:
        self.repeat_var.set(bool(self.get("repeat")))
        if self.get("show_repeat", True):
            self.repeat.pack(side="left", padx=1)
        else:
            self.repeat.pack_forget()
        if self.get("playing") and self._timer is None:
            self._schedule()
        elif not self.get("playing") and self._timer is not None:
            self.after_cancel(self._timer)
            self._timer = None

    def _schedule(self) -> None:
        interval = int(min(max(number(self.get("interval"), 100.0), 10), 60_000))
        self._timer = self.after(interval, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if not self.get("playing"):
            return
        low, high = number(self.get("min"), 0.0), number(self.get("max"), 100.0)
        value = number(self.get("value"), low) + (number(self.get("step"), 1.0) or 1.0)
        if value > high:
            if not self.get("repeat"):
                self.send(playing=False)
                return
            value = low
        self.send(value=int(value) if isinstance(self.get("value"), int) else value)
        self._schedule()

    def _play(self) -> None:
        if not self.get("playing"):
            low, high = number(self.get("min"), 0.0), number(self.get("max"), 100.0)
            if number(self.get("value"), low) >= high:
                self.send(value=int(low) if isinstance(self.get("value"), int) else low)
            self.send(playing=True)

    def _pause(self) -> None:
        self.send(playing=False)

    def _stop(self) -> None:
        low = number(self.get("min"), 0.0)
        self.send(playing=False, value=int(low) if isinstance(self.get("value"), int) else low)
