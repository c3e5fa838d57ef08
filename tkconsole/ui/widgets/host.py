"""One console's widgets: the manager, its link to the kernel, and the views.

The conversation model validates comm messages and hands them to the
manager (its ``CommTarget``), and asks it first about every output, which an
Output widget may capture.  Front-end changes are sent once per frame: a
dragged slider produces at most ~60 updates a second.
"""

from __future__ import annotations

import logging
import re
import tkinter as tk
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ...models.widgets import WidgetManager

log = logging.getLogger(__name__)

FRAME_MS = 16  # front-end changes are flushed to the kernel at most this often
# views of several rows: shown under ``Out[n]:`` rather than beside it
BLOCK_MODELS = frozenset({
    "BoxModel", "VBoxModel", "GridBoxModel", "TabModel", "AccordionModel", "OutputModel",
    "MPLCanvasModel", "TextareaModel", "SelectModel", "SelectMultipleModel", "RadioButtonsModel",
})  # fmt: skip
_WIDGET_REPR = re.compile(r"([A-Za-z_]\w{0,100})\(.*\)", re.S)  # ipywidgets' repr: "Z(value=1)"
MAX_REPR = 2000  # longer texts are not taken for a widget's repr
VIEWLESS_BY_DESIGN = frozenset({
    "LinkModel", "DirectionalLinkModel", "LayoutModel", "ControllerButtonModel",
    "ControllerAxisModel",
})  # fmt: skip


class Requester(Protocol):
    """The console's connection, as far as widgets need it."""

    def request(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any],
        buffers: Sequence[bytes | memoryview] | None = None,
    ) -> str: ...


class ConnectionSender:
    """``CommSender`` over a connection's ``request``."""

    def __init__(self, conn: Requester) -> None:
        self.conn = conn

    def comm_msg(self, comm_id: str, data: dict[str, Any], buffers: list[bytes]) -> None:
        content = {"comm_id": comm_id, "data": data}
        self.conn.request("shell", "comm_msg", content, buffers=buffers)

    def comm_close(self, comm_id: str, data: dict[str, Any]) -> None:
        self.conn.request("shell", "comm_close", {"comm_id": comm_id, "data": data})


class WidgetHost:
    """Builds views for model ids and flushes front-end changes once per frame."""

    def __init__(self, text: tk.Text, conn: Requester) -> None:
        self.text = text
        self.manager = WidgetManager(ConnectionSender(conn), changes_waiting=self._schedule_flush)
        self._flush_after: str | None = None
        self.initialized: set[str] = set()  # ipympl figures told we are here (once each)
        self._resize_watchers: dict[str, Callable[[int], None]] = {}
        text.bind("<Configure>", self._resized, add="+")

    # ------------------------------------------------------------ views
    def view(self, master: tk.Misc, model_id: Any) -> tk.Widget:
        """A view of the model (a placeholder when it is unknown or not drawn)."""
        from .registry import build_view  # the view modules load with the first widget

        view = build_view(self, master, model_id)
        if master is self.text:
            heights = [view.winfo_reqheight()]
            view.bind("<Configure>", lambda e: self._resized_view(view, heights, e.height), "+")
        return view

    def _resized_view(self, view: tk.Widget, heights: list[int], height: int) -> None:
        """A figure's first frame arrives after the next prompt: a visible view that
        grows keeps that prompt in view too, as output does.  Moving (scrolling)
        is not growing, and a reader scrolled away from the view is left alone."""
        grew, heights[0] = height > heights[0], height
        shown = grew and self.text.dlineinfo(str(view)) is not None
        if shown and self.text.compare("insert", ">", str(view)):
            self.text.see("insert")

    def is_block(self, model_id: Any) -> bool:
        """Whether the model's view is a block of rows (a VBox), not one line."""
        model = self.manager.get(model_id) if isinstance(model_id, str) else None
        return model is not None and model.name in BLOCK_MODELS

    def viewless_model(self, plain: str) -> str | None:
        """The model a widget's text repr stands for, when that widget has no view.

        ipywidgets shows a widget without ``_view_name`` by its repr alone
        (``Z()``); when a model ``ZModel`` that no view here draws was opened
        without a view, its placeholder names it instead.  Link, layout and
        style models have no view by design and keep their text."""
        match = _WIDGET_REPR.fullmatch(plain[:MAX_REPR])
        if match is None or not self.manager.models:
            return None
        from .registry import VIEWS

        name = match.group(1) + "Model"
        if name in VIEWS or name in VIEWLESS_BY_DESIGN or name.endswith("StyleModel"):
            return None
        for model in reversed(self.manager.models.values()):
            if model.name == name and model.get("_view_name") is None:
                return model.model_id
        return None

    def on_resize(self, widget: tk.Widget, callback: Callable[[int], None]) -> None:
        """Call ``callback(console width)`` when the console is resized, while ``widget`` lives."""
        key = str(widget)
        self._resize_watchers[key] = callback
        widget.bind("<Destroy>", lambda e: self._resize_watchers.pop(key, None), add="+")

    def _resized(self, event: tk.Event) -> None:
        for callback in list(self._resize_watchers.values()):
            try:
                callback(event.width)
            except Exception:
                log.exception("resize callback failed")

    # ------------------------------------------------------------ sending
    def _schedule_flush(self) -> None:
        if self._flush_after is None:
            self._flush_after = self.text.after(FRAME_MS, self._flush)

    def _flush(self) -> None:
        self._flush_after = None
        self.manager.flush()
