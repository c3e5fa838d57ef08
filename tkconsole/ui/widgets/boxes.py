"""Containers: HBox, VBox, Box, GridBox (a real grid), Tab and Accordion.

Children are other models, referenced as ``IPY_MODEL_<id>``; a box builds
one view per child and rebuilds only when its ``children`` change.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

import ttkbootstrap as tb

from ...models.widgets.values import grid_columns, index_of
from .base import WidgetView, plain

MAX_CHILDREN = 1000  # a box of more (a hostile kernel's) shows the first ones


class BoxView(WidgetView):
    """HBox (a row), VBox and Box (a column)."""

    def build(self) -> None:
        self.children_views: list[tk.Widget] = []
        self._refs: list[object] = []

    def child_refs(self) -> list[object]:
        refs = self.get("children")
        return list(refs)[:MAX_CHILDREN] if isinstance(refs, list | tuple) else []

    def refresh(self, keys: set[str]) -> None:
        refs = self.child_refs()
        if refs == self._refs:
            return
        for view in self.children_views:
            view.destroy()
        self._refs = refs
        self.children_views = [self.host.view(self.body, ref) for ref in refs]
        self.place_children()

    def place_children(self) -> None:
        row = self.model.name == "HBoxModel"
        for view in self.children_views:
            view.pack(side="left" if row else "top", anchor="nw", padx=2, pady=1)


class GridBoxView(BoxView):
    def place_children(self) -> None:
        layout = self.host.manager.resolve(self.get("layout"))
        template = layout.get("grid_template_columns") if layout is not None else None
        columns = grid_columns(template)
        for i, view in enumerate(self.children_views):
            view.grid(row=i // columns, column=i % columns, sticky="nw", padx=2, pady=2)


class TabView(BoxView):
    def build(self) -> None:
        super().build()
        self.notebook = ttk.Notebook(self.body)
        self.notebook.pack(fill="both", expand=True)
        self.notebook.bind("<<NotebookTabChanged>>", lambda _e: self._changed(), add="+")

    def refresh(self, keys: set[str]) -> None:
        if self.child_refs() != self._refs:
            for view in self.children_views:
                view.destroy()
            self._refs = self.child_refs()
            self.children_views = [self.host.view(self.notebook, ref) for ref in self._refs]
            for view in self.children_views:
                self.notebook.add(view)
        titles = self.get("titles")
        titles = titles if isinstance(titles, list | tuple) else []
        for i, view in enumerate(self.children_views):
            title = plain(titles[i]) if i < len(titles) else ""
            self.notebook.tab(view, text=title or f"Tab {i + 1}")
        index = index_of(self.get("selected_index"), len(self.children_views))
        if index is not None:
            self.notebook.select(index)

    def _changed(self) -> None:
        if self.children_views:
            index = self.notebook.index("current")
            if index != self.get("selected_index"):
                self.send(selected_index=index)


class AccordionView(BoxView):
    """A header button per child; the selected child (at most one) is shown."""

    def place_children(self) -> None:
        self.headers: list[tb.Button] = []
        for i, view in enumerate(self.children_views):
            header = tb.Button(self.body, bootstyle="light", command=lambda i=i: self._toggle(i))
            header.pack(side="top", fill="x")
            view.pack_forget()
            self.headers.append(header)

    def refresh(self, keys: set[str]) -> None:
        super().refresh(keys)
        titles = self.get("titles")
        titles = titles if isinstance(titles, list | tuple) else []
        selected = index_of(self.get("selected_index"), len(self.children_views))
        for i, (header, view) in enumerate(zip(self.headers, self.children_views, strict=True)):
            title = plain(titles[i]) if i < len(titles) else ""
            header.configure(text=("▾ " if i == selected else "▸ ") + (title or f"Section {i + 1}"))
            if i == selected:
                view.pack(side="top", fill="x", padx=12, after=header)
            else:
                view.pack_forget()

    def _toggle(self, index: int) -> None:
        self.send(selected_index=None if self.get("selected_index") == index else index)
