"""Choosing: Checkbox, ToggleButton(s), RadioButtons, Dropdown, Select, SelectMultiple.

Selection widgets speak in option *indexes* (``index``), with the labels in
``_options_labels``; the kernel maps them back to its values.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

import ttkbootstrap as tb

from ...models.widgets.values import index_of, option_labels
from .base import WidgetView, plain


class CheckboxView(WidgetView):
    show_description = False  # the box carries the description

    def build(self) -> None:
        self.var = tk.BooleanVar(self)
        self.box = tb.Checkbutton(self.body, variable=self.var, command=self._clicked)
        self.box.pack(side="left")
        if self.get("indent", True):  # the box lines up with the controls beside labels
            self.desc.pack(side="left", padx=(0, 6), before=self.body)

    def refresh(self, keys: set[str]) -> None:
        self.box.configure(text=plain(self.get("description")))
        self.var.set(bool(self.get("value")))

    def _clicked(self) -> None:
        self.send(value=self.var.get())


class ToggleButtonView(CheckboxView):
    def build(self) -> None:
        self.var = tk.BooleanVar(self)
        self.box = tb.Checkbutton(
            self.body, variable=self.var, command=self._clicked, bootstyle="outline-toolbutton"
        )
        self.box.pack(side="left")


MAX_OPTIONS = 10_000  # listed; a list longer than this (a hostile kernel's) is cut
MAX_BUTTONS = 200  # radio and toggle buttons: one Tk widget each


class _Options(WidgetView):
    limit = MAX_OPTIONS

    def labels(self) -> list[str]:
        return option_labels(self.get("_options_labels"))[: self.limit]

    def index(self) -> int | None:
        return index_of(self.get("index"), len(self.labels()))


class RadioButtonsView(_Options):
    """One radio button per option (ToggleButtons: in a row, as buttons)."""

    toolbutton = False
    limit = MAX_BUTTONS

    def build(self) -> None:
        self.var = tk.IntVar(self, value=-1)
        self.buttons: list[tb.Radiobutton] = []
        self._labels: list[str] = []

    def refresh(self, keys: set[str]) -> None:
        labels = self.labels()
        if labels != self._labels:
            for button in self.buttons:
                button.destroy()
            style = "outline-toolbutton" if self.toolbutton else "default"
            side = "left" if self.toolbutton else "top"
            self.buttons = [
                tb.Radiobutton(
                    self.body,
                    text=label,
                    value=i,
                    variable=self.var,
                    bootstyle=style,
                    command=self._chosen,
                )
                for i, label in enumerate(labels)
            ]
            for button in self.buttons:
                button.pack(side=side, anchor="w", padx=1)
            self._labels = labels
            if self.get("disabled"):
                self.set_disabled(True)
        index = self.index()
        self.var.set(-1 if index is None else index)

    def _chosen(self) -> None:
        self.send(index=self.var.get())


class ToggleButtonsView(RadioButtonsView):
    toolbutton = True


class DropdownView(_Options):
    def build(self) -> None:
        self.box = ttk.Combobox(self.body, state="readonly", width=20)
        self.box.pack(side="left")
        self.box.bind("<<ComboboxSelected>>", lambda _e: self._chosen(), add="+")

    def refresh(self, keys: set[str]) -> None:
        labels = self.labels()
        self.box.configure(values=labels)
        width = max((len(s) for s in labels), default=10)
        self.box.configure(width=min(max(width + 2, 10), 60))
        index = self.index()
        if index is None:
            self.box.set("")
        else:
            self.box.current(index)

    def _chosen(self) -> None:
        index = self.box.current()
        if index >= 0 and index != self.get("index"):
            self.send(index=index)


class SelectView(_Options):
    """Select (one) and SelectMultiple (``index`` is a list there)."""

    def build(self) -> None:
        rows = self.get("rows")
        rows = rows if isinstance(rows, int) and 0 < rows < 100 else 5
        multiple = self.model.name == "SelectMultipleModel"
        self.box = tk.Listbox(
            self.body, height=rows, exportselection=False,
            selectmode="extended" if multiple else "browse",
        )  # fmt: skip
        self.box.pack(side="left")
        self.box.bind("<<ListboxSelect>>", lambda _e: self._chosen(), add="+")
        self._labels: list[str] = []
        self.theme_changed()

    def theme_changed(self) -> None:
        super().theme_changed()
        if hasattr(self, "box"):
            style = ttk.Style(self)
            field = style.lookup("TEntry", "fieldbackground") or "#ffffff"
            text = style.lookup("TEntry", "foreground") or "#000000"
            chosen = style.lookup("TEntry", "selectbackground") or "#0d6efd"
            self.box.configure(background=field, foreground=text, selectbackground=chosen)
            self.box.configure(selectforeground=style.lookup("TEntry", "selectforeground") or text)

    def refresh(self, keys: set[str]) -> None:
        labels = self.labels()
        if labels != self._labels:
            self.box.delete(0, "end")
            self.box.insert("end", *labels)
            self._labels = labels
        self.box.selection_clear(0, "end")
        for index in self._chosen_indexes():
            self.box.selection_set(index)
            self.box.see(index)

    def _chosen_indexes(self) -> list[int]:
        value = self.get("index")
        values = value if isinstance(value, list | tuple) else [value]
        return [i for i in values if index_of(i, len(self._labels)) is not None]

    def _chosen(self) -> None:
        chosen = list(self.box.curselection())
        if self.model.name == "SelectMultipleModel":
            self.send(index=chosen)
        elif chosen:
            self.send(index=chosen[0])
