"""Text and number inputs: Text, Textarea, Password, Combobox and the number boxes.

A Text sends as you type when ``continuous_update`` is on (its default);
number boxes send on Enter, on leaving the box or on an arrow click, and
bounded ones clamp first, as ipywidgets' own front-end does.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

import ttkbootstrap as tb

from ...models.widgets.values import number, option_labels, snap
from .base import WidgetView

ENTRY_CHARS = 24


class TextView(WidgetView):
    """Text and Password (``show`` hides what is typed)."""

    show = ""

    def build(self) -> None:
        self.var = tk.StringVar(self)
        self.entry = ttk.Entry(self.body, textvariable=self.var, width=ENTRY_CHARS, show=self.show)
        self.entry.pack(side="left", fill="x", expand=True)
        self.var.trace_add("write", lambda *_a: self._typed())
        self.entry.bind("<Return>", self._submit, add="+")
        self.entry.bind("<FocusOut>", lambda _e: self._commit(), add="+")

    def refresh(self, keys: set[str]) -> None:
        value = self.get("value")
        value = value if isinstance(value, str) else ""
        if value != self.var.get():
            self.var.set(value)

    def _typed(self) -> None:
        if self.get("continuous_update", True):
            self._commit()

    def _commit(self) -> None:
        if self.var.get() != self.get("value"):
            self.send(value=self.var.get())

    def _submit(self, _event: tk.Event) -> None:
        self._commit()
        self.host.manager.send_custom(self.model.model_id, {"event": "submit"})


class PasswordView(TextView):
    show = "•"


class TextareaView(WidgetView):
    def build(self) -> None:
        rows = self.get("rows")
        rows = rows if isinstance(rows, int) and 0 < rows < 100 else 4
        self.box = tk.Text(self.body, height=rows, width=40, undo=True, wrap="word")
        self.box.pack(side="left", fill="both", expand=True)
        self.box.bind("<KeyRelease>", lambda _e: self._typed(), add="+")
        self.box.bind("<FocusOut>", lambda _e: self._commit(), add="+")

    def refresh(self, keys: set[str]) -> None:
        value = self.get("value")
        value = value if isinstance(value, str) else ""
        if value != self.box.get("1.0", "end-1c"):
            self.box.delete("1.0", "end")
            self.box.insert("1.0", value)

    def _typed(self) -> None:
        if self.get("continuous_update", True):
            self._commit()

    def _commit(self) -> None:
        value = self.box.get("1.0", "end-1c")
        if value != self.get("value"):
            self.send(value=value)


class NumberView(WidgetView):
    """IntText, FloatText and their Bounded kinds: a Spinbox."""

    integer = False

    def build(self) -> None:
        self.var = tk.StringVar(self)
        self.spin = tb.Spinbox(
            self.body, textvariable=self.var, width=12, command=self._commit,
            from_=-1e300, to=1e300,
        )  # fmt: skip
        self.spin.pack(side="left")
        self.spin.bind("<Return>", lambda _e: self._commit(), add="+")
        self.spin.bind("<FocusOut>", lambda _e: self._commit(), add="+")
        self.var.trace_add("write", lambda *_a: self._typed())

    def refresh(self, keys: set[str]) -> None:
        bounded = "min" in self.model.state and "max" in self.model.state
        step = number(self.get("step"), 1.0) or 1.0
        if bounded:
            self.spin.configure(from_=number(self.get("min")), to=number(self.get("max"), 100))
        self.spin.configure(increment=step, format="%.0f" if self.integer else "")
        value = self.get("value")
        shown = str(int(value) if self.integer else value) if isinstance(value, int | float) else ""
        if self._parse(self.var.get()) != value:
            self.var.set(shown)

    def _parse(self, text: str) -> float | int | None:
        try:
            value = float(text)
        except ValueError:
            return None
        if "min" in self.model.state and "max" in self.model.state:
            low, high = number(self.get("min")), number(self.get("max"), 100)
            value = snap(value, low, high, 0)
        return round(value) if self.integer else value

    def _typed(self) -> None:
        if self.get("continuous_update", False):
            self._commit(keep_text=True)

    def _commit(self, keep_text: bool = False) -> None:
        value = self._parse(self.var.get())
        if value is None:
            return
        if value != self.get("value"):
            self.send(value=value)
        if not keep_text and self.var.get() != str(value):
            self.var.set(str(value))


class IntNumberView(NumberView):
    integer = True


class ComboboxView(WidgetView):
    """A Text with suggestions (``ensure_option`` keeps it to them)."""

    def build(self) -> None:
        self.var = tk.StringVar(self)
        self.box = ttk.Combobox(self.body, textvariable=self.var, width=ENTRY_CHARS)
        self.box.pack(side="left")
        self.box.bind("<<ComboboxSelected>>", lambda _e: self._commit(), add="+")
        self.box.bind("<Return>", lambda _e: self._commit(), add="+")
        self.box.bind("<FocusOut>", lambda _e: self._commit(), add="+")

    def refresh(self, keys: set[str]) -> None:
        self.box.configure(values=option_labels(self.get("options")))
        value = self.get("value")
        if isinstance(value, str) and value != self.var.get():
            self.var.set(value)

    def _commit(self) -> None:
        value = self.var.get()
        if self.get("ensure_option") and value not in option_labels(self.get("options")):
            return
        if value != self.get("value"):
            self.send(value=value)
