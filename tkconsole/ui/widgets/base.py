"""What every widget view shares: model watching, description, disabled, layout.

A view is a frame embedded in the console's Text (or in a box); it watches
its model and its Layout model and redraws only the keys that changed.
Changes the user makes go to ``WidgetManager.set_state``; changes that come
from the model are applied with ``self.updating`` set, so the Tk callbacks
they trigger are not sent back to the kernel.
"""

from __future__ import annotations

import itertools
import logging
import re
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any, Protocol

from ...models.widgets import WidgetManager, WidgetModel
from ...models.widgets.values import border, css_pixels

log = logging.getLogger(__name__)
_TAGS = re.compile(r"<[^>]*>")
_SERIAL = itertools.count()
DESCRIPTION_CHARS = 10  # at least: controls line up, as JupyterLab's 80 px labels do
LAYOUT_KEYS = {"width", "height", "display", "visibility", "border", "border_top"}


def plain(value: object) -> str:
    """Text for a label: markup stripped (descriptions may allow HTML)."""
    return _TAGS.sub("", value) if isinstance(value, str) else ""


def frame_background(widget: tk.Misc) -> str:
    return ttk.Style(widget).lookup("TFrame", "background") or "#ffffff"


class ViewHost(Protocol):
    """What views ask of their console's ``host.WidgetHost``, which builds them
    (through registry.py): the views name only this, so nothing imports back."""

    text: tk.Text
    manager: WidgetManager
    initialized: set[str]  # ipympl figures told we are here (once each)

    def view(self, master: tk.Misc, model_id: Any) -> tk.Widget:
        """A view of the model (a placeholder when it is unknown or not drawn)."""
        ...

    def on_resize(self, widget: tk.Widget, callback: Callable[[int], None]) -> None:
        """Call ``callback(console width)`` when the console is resized, while ``widget`` lives."""
        ...

    def is_block(self, model_id: Any) -> bool:
        """The model's view is a block of rows (a VBox)."""
        ...

    def viewless_model(self, plain: str) -> str | None:
        """The view-less widget model a text repr ("Z()") stands for, if any."""
        ...


class _LayoutWatch:
    """Observes a view's Layout model on its behalf."""

    def __init__(self, view: WidgetView) -> None:
        self.view = view

    def model_changed(self, keys: set[str]) -> None:
        if keys & LAYOUT_KEYS:
            self.view.apply_layout()

    def model_custom(self, content: dict, buffers: list[bytes]) -> None:
        pass

    def model_closed(self) -> None:
        pass


class WidgetView(tk.Frame):
    """Base view: subclasses build ``self.body`` and redraw in ``refresh``."""

    show_description = True  # a left label (Checkbox and Button draw their own)

    def __init__(self, master: tk.Misc, host: ViewHost, model: WidgetModel) -> None:
        super().__init__(master, background=frame_background(master), highlightthickness=0)
        self.host = host
        self.model = model
        self.serial = next(_SERIAL)  # creation order (tests find the newest view)
        self.updating = False
        self.desc = ttk.Label(self, width=-DESCRIPTION_CHARS)
        self.body = ttk.Frame(self)
        self.body.pack(side="right", fill="both", expand=True)
        self._unwatch = [host.manager.watch(model.model_id, self)]
        self._layout = host.manager.resolve(model.get("layout"))
        if self._layout is not None:
            self._unwatch.append(host.manager.watch(self._layout.model_id, _LayoutWatch(self)))
        self.bind("<Destroy>", self._on_destroy, add="+")
        self.bind("<<ThemeChanged>>", lambda _e: self.theme_changed(), add="+")
        try:
            self.build()
            self.model_changed(set(model.state))
            self.apply_layout()
            _forward_wheel(self)
        except Exception:  # a half-built view must not stay (the registry shows a placeholder)
            self.destroy()
            raise

    # ------------------------------------------------------------ for subclasses
    def build(self) -> None:
        """Create the Tk widgets inside ``self.body``."""

    def refresh(self, keys: set[str]) -> None:
        """Show the model's values for ``keys`` (called with every key at first)."""

    def get(self, key: str, default: Any = None) -> Any:
        return self.model.get(key, default)

    def send(self, **changes: Any) -> None:  # type: ignore[override]  # Tk's send (to other interpreters) is never used
        """A change the user made: to the model (and the kernel), unless we are updating."""
        if not self.updating:
            self.host.manager.set_state(self.model.model_id, changes)

    def theme_changed(self) -> None:
        """A light/dark switch: Tk (not ttk) parts take the new background."""
        self.configure(background=frame_background(self))

    def set_disabled(self, disabled: bool) -> None:
        _set_state_recursive(self.body, disabled)

    # ------------------------------------------------------------ ModelObserver
    def model_changed(self, keys: set[str]) -> None:
        if not self.winfo_exists():
            return
        self.updating = True
        try:
            if "description" in keys and self.show_description:
                self._description()
            self.refresh(keys)
            if "disabled" in keys:
                self.set_disabled(bool(self.get("disabled")))
        finally:
            self.updating = False

    def model_custom(self, content: dict, buffers: list[bytes]) -> None:
        pass

    def model_closed(self) -> None:
        """The kernel closed the model: the view goes, as in a notebook."""
        if self.winfo_exists():
            for child in self.winfo_children():
                child.destroy()
            self.configure(width=1, height=1)

    # ------------------------------------------------------------ layout
    def _description(self) -> None:
        text = plain(self.get("description"))
        self.desc.configure(text=text)
        if text:
            self.desc.pack(side="left", padx=(0, 6), before=self.body)
        else:
            self.desc.pack_forget()

    def apply_layout(self) -> None:
        """The Layout subset: width, height, display, visibility, border."""
        layout = self._layout.state if self._layout is not None else {}
        # ipywidgets 8 splits ``border`` into its four sides
        line = border(layout.get("border") or layout.get("border_top"))
        if line is not None:
            self.configure(highlightthickness=line[0], highlightbackground=line[1])
            self.configure(highlightcolor=line[1])
        hidden = layout.get("display") == "none" or layout.get("visibility") == "hidden"
        width, height = css_pixels(layout.get("width")), css_pixels(layout.get("height"))
        if hidden:
            self.pack_propagate(False)
            keep = layout.get("visibility") == "hidden" and layout.get("display") != "none"
            self.update_idletasks()
            w, h = (self.winfo_reqwidth(), self.winfo_reqheight()) if keep else (1, 1)
            self.configure(width=w, height=h)
            self.body.pack_forget()
            self.desc.pack_forget()
            return
        if not self.body.winfo_ismapped():
            self.body.pack(side="right", fill="both", expand=True)
            if self.show_description:
                self._description()
        if width or height:
            self.update_idletasks()
            self.pack_propagate(False)
            self.configure(
                width=width or self.winfo_reqwidth(), height=height or self.winfo_reqheight()
            )
        else:
            self.pack_propagate(True)

    def _on_destroy(self, event: tk.Event) -> None:
        if event.widget is self:
            for unwatch in self._unwatch:
                unwatch()


WHEEL_TAG = "TkconsoleWidgetWheel"
WHEEL_KEEPERS = (tk.Listbox, tk.Text, tk.Canvas)  # these scroll (or pan) by themselves


QUIET_TAG = "TkconsoleWidgetQuiet"


def _forward_wheel(view: WidgetView) -> None:
    """The wheel over a widget scrolls the console, as over a notebook's page
    (and never spins a Dropdown's value by accident).

    Also: every <Map> and <Visibility> of a widget reached ttkbootstrap's
    Python handlers on the window (~280 calls per scrolled frame with 200
    widgets, ~15 ms); a Tcl ``break`` before the window's tags keeps them
    in Tcl.  The widgets' own and class bindings still run.
    """
    if not view.bind_class(WHEEL_TAG):
        for sequence in ("<MouseWheel>", "<Button-4>", "<Button-5>"):
            view.bind_class(WHEEL_TAG, sequence, _scroll_console)
        for sequence in ("<Map>", "<Visibility>"):
            view.tk.call("bind", QUIET_TAG, sequence, "break")
    top = str(view.winfo_toplevel())
    stack: list[tk.Misc] = [view]
    while stack:
        widget = stack.pop()
        tags = widget.bindtags()
        if QUIET_TAG not in tags:
            at = tags.index(top) if top in tags else len(tags)
            tags = (*tags[:at], QUIET_TAG, *tags[at:])
            if not isinstance(widget, WHEEL_KEEPERS):
                tags = (WHEEL_TAG, *tags)
            widget.bindtags(tags)
        stack.extend(w for w in widget.winfo_children() if not isinstance(w, WidgetView))


def _scroll_console(event: tk.Event) -> str:
    widget: tk.Misc | None = event.widget if isinstance(event.widget, tk.Misc) else None
    while widget is not None and not isinstance(widget, WidgetView):
        widget = widget.master
    if widget is not None:
        up = event.num == 4 or getattr(event, "delta", 0) > 0
        widget.host.text.yview_scroll(-3 if up else 3, "units")
    return "break"


def _set_state_recursive(widget: tk.Misc, disabled: bool) -> None:
    for child in widget.winfo_children():
        try:
            if isinstance(child, ttk.Widget):
                child.state(["disabled"] if disabled else ["!disabled"])
            elif isinstance(child, tk.Listbox | tk.Text | tk.Entry):
                child.configure(state="disabled" if disabled else "normal")
        except tk.TclError:
            pass
        _set_state_recursive(child, disabled)


class Placeholder(ttk.Label):
    """One line naming a model we do not draw (or that is not open)."""

    def __init__(self, master: tk.Misc, model: WidgetModel | None, model_id: object) -> None:
        if model is None:
            text = f"[widget {str(model_id)[:40]} is not available]"
        else:
            module = model.get("_model_module")
            where = f" from {module}" if isinstance(module, str) and module else ""
            text = f"[{model.name or 'unnamed widget'}{where}: not shown in this console]"
        super().__init__(master, text=text, foreground="#6e7781")
