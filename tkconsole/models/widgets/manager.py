"""The ipywidgets manager: widget models kept by comm id, as plain data.

It implements ``CommTarget`` (models/comms.py): the conversation model hands
it every comm message, and asks it whether an Output widget takes an output.
Every message is checked (a hostile kernel is a normal case): a bad one is
logged and dropped, never raised.  Views watch models through
``ModelObserver``; changes made in the front-end are applied at once,
copied along ``jslink``s, and sent to the kernel coalesced, one message per
model per ``flush`` (the view flushes once per frame).

What a kernel message does to the views does not happen while the message
is read: those calls wait in ``take_view_effects`` for the console's
ordered, time-budgeted drawing step, like any other output.  Changes made in
the front-end (a slider dragged) reach the other views at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from .capture import OutputCapture
from .links import Link, parse_link, propagations
from .state import as_bytes_list, encode_buffers, model_id, put_buffers, take_buffers

log = logging.getLogger(__name__)

WIDGET_TARGET = "jupyter.widget"
PROTOCOL_VERSION = "2.1.0"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"


class ModelObserver(Protocol):
    """A view of one model (Tk widgets live in ui/widgets/)."""

    def model_changed(self, keys: set[str]) -> None: ...

    def model_custom(self, content: dict[str, Any], buffers: list[bytes]) -> None: ...

    def model_closed(self) -> None: ...


class CommSender(Protocol):
    """What the manager needs to talk back to the kernel (the connection, wrapped)."""

    def comm_msg(self, comm_id: str, data: dict[str, Any], buffers: list[bytes]) -> None: ...

    def comm_close(self, comm_id: str, data: dict[str, Any]) -> None: ...


@dataclass
class WidgetModel:
    """One widget model: its state, who watches it, what is unsent."""

    model_id: str
    state: dict[str, Any]
    observers: list[ModelObserver] = field(default_factory=list)
    capture: OutputCapture | None = None
    echo_pending: dict[str, int] = field(default_factory=dict)
    closed: bool = False

    @property
    def name(self) -> str:
        value = self.state.get("_model_name")
        return value if isinstance(value, str) else ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.state.get(key, default)


class WidgetManager:
    """Implements ``CommTarget`` for ipywidgets (and ipympl, whose models are widgets)."""

    def __init__(
        self, sender: CommSender, changes_waiting: Callable[[], None] | None = None
    ) -> None:
        self.sender = sender
        self.changes_waiting = changes_waiting  # front-end changes wait: schedule a flush
        self.models: dict[str, WidgetModel] = {}
        self.outputs: dict[str, WidgetModel] = {}  # the Output widgets among them
        self.links: dict[str, Link] = {}
        self.outbox: dict[str, dict[str, Any]] = {}
        self._copying: set[tuple[str, str]] = set()
        self._effects: list[Callable[[], None]] = []
        self._deferring = False  # a kernel message is being read: views wait

    # ------------------------------------------------------------ CommTarget
    def take_view_effects(self) -> list[Callable[[], None]]:
        """The view calls the kernel's messages asked for, in order, to run
        in the drawing step; taking them empties the list."""
        effects, self._effects = self._effects, []
        return effects

    @contextmanager
    def _from_kernel(self) -> Iterator[None]:
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False

    def comm_open(
        self,
        comm_id: str,
        target_name: str,
        data: dict[str, Any],
        metadata: dict[str, Any],
        buffers: list[bytes],
    ) -> None:
        with self._from_kernel():
            self._open(comm_id, target_name, data, buffers)

    def _open(
        self, comm_id: str, target_name: str, data: dict[str, Any], buffers: list[bytes]
    ) -> None:
        if not isinstance(comm_id, str) or not comm_id:
            return
        if target_name != WIDGET_TARGET:
            log.info("comm target %r is not ours: closing %s", target_name, comm_id)
            self.sender.comm_close(comm_id, {})
            return
        state = data.get("state") if isinstance(data, dict) else None
        if not isinstance(state, dict):
            log.warning("widget %s opened without a state: dropped", comm_id)
            return
        state = dict(state)
        put_buffers(state, data.get("buffer_paths"), as_bytes_list(buffers))
        model = WidgetModel(comm_id, state)
        old = self.models.get(comm_id)
        self.models[comm_id] = model
        self.outputs.pop(comm_id, None)
        if model.name == "OutputModel":
            model.capture = OutputCapture()
            self.outputs[comm_id] = model
        if old is not None:  # the same id opened again: the old views follow the new one
            model.observers = old.observers
            self._notify(model, set(state))
        link = parse_link(model.name, state)
        if link is not None:
            self.links[comm_id] = link
            self._copy(link.source, link.target)

    def comm_msg(
        self, comm_id: str, data: dict[str, Any], metadata: dict[str, Any], buffers: list[bytes]
    ) -> None:
        with self._from_kernel():
            self._message(comm_id, data, buffers)

    def _message(self, comm_id: str, data: dict[str, Any], buffers: list[bytes]) -> None:
        model = self.models.get(comm_id) if isinstance(comm_id, str) else None
        if model is None or not isinstance(data, dict):
            return
        method = data.get("method")
        if method in ("update", "echo_update"):
            state = data.get("state")
            if isinstance(state, dict):
                state = dict(state)
                put_buffers(state, data.get("buffer_paths"), as_bytes_list(buffers))
                self._apply(model, state, echo=method == "echo_update")
        elif method == "custom":
            content = data.get("content")
            if isinstance(content, dict):
                for observer in list(model.observers):
                    self._tell(observer.model_custom, content, as_bytes_list(buffers))
        elif method == "request_state":
            self._send_state(model, model.state)
        else:
            log.info("widget message with method %r: ignored", method)

    def comm_close(self, comm_id: str, data: dict[str, Any]) -> None:
        with self._from_kernel():
            self._close(comm_id)

    def _close(self, comm_id: str) -> None:
        model = self.models.pop(comm_id, None) if isinstance(comm_id, str) else None
        if model is None:
            return
        model.closed = True
        self.links.pop(comm_id, None)
        self.outputs.pop(comm_id, None)
        self.outbox.pop(comm_id, None)
        for observer in list(model.observers):
            self._tell(observer.model_closed)

    def capture_output(self, parent_msg_id: str, msg_type: str, content: dict[str, Any]) -> bool:
        if not self.outputs:  # every output asks; usually there is no Output widget
            return False
        with self._from_kernel():
            return self._capture(parent_msg_id, msg_type, content)

    def _capture(self, parent_msg_id: str, msg_type: str, content: dict[str, Any]) -> bool:
        if not parent_msg_id or not isinstance(content, dict):
            return False
        for model in self.outputs.values():  # usually none or a few: every output asks
            if model.capture is not None and model.get("msg_id") == parent_msg_id:
                outputs = model.get("outputs")
                shown = outputs if isinstance(outputs, list) else []
                new = model.capture.apply(shown, msg_type, content)
                if new is None:
                    return False
                if new is not outputs:
                    model.state["outputs"] = new
                    self._notify(model, {"outputs"})
                return True
        return False

    def reset(self) -> None:
        """The kernel restarted: its widgets are gone, and their views say so."""
        for comm_id in list(self.models):
            self._close(comm_id)
        self.outbox.clear()

    # ------------------------------------------------------------ the views' side
    def get(self, model_id_: str) -> WidgetModel | None:
        return self.models.get(model_id_)

    def resolve(self, value: object) -> WidgetModel | None:
        """The model an ``"IPY_MODEL_<id>"`` reference names, if it is open."""
        ref = model_id(value)
        return self.models.get(ref) if ref is not None else None

    def watch(self, model_id_: str, observer: ModelObserver) -> Callable[[], None]:
        """Observe a model; returns the function that stops observing."""
        model = self.models.get(model_id_)
        if model is None:
            return lambda: None
        model.observers.append(observer)

        def unwatch() -> None:
            if observer in model.observers:
                model.observers.remove(observer)

        return unwatch

    def set_state(self, model_id_: str, changes: dict[str, Any], sync: bool = True) -> None:
        """A change made in the front-end: applied now, sent at the next flush."""
        model = self.models.get(model_id_)
        if model is None or not changes:
            return
        model.state.update(changes)
        if sync:
            self.outbox.setdefault(model_id_, {}).update(changes)
            if self.changes_waiting is not None:
                self._guard(self.changes_waiting)
        self._notify(model, set(changes))

    def send_custom(
        self, model_id_: str, content: dict[str, Any], buffers: list[bytes] | None = None
    ) -> None:
        """A custom message (a Button's click, ipympl's events) to the kernel, now."""
        if model_id_ in self.models:
            data = {"method": "custom", "content": content}
            self._guard(self.sender.comm_msg, model_id_, data, buffers or [])

    def flush(self) -> None:
        """Send the coalesced front-end changes: one update per model."""
        outbox, self.outbox = self.outbox, {}
        for mid, changes in outbox.items():
            model = self.models.get(mid)
            if model is not None:
                for key in changes:
                    model.echo_pending[key] = model.echo_pending.get(key, 0) + 1
                self._send_state(model, changes)

    # ------------------------------------------------------------ export
    def export_state(self) -> dict[str, Any]:
        """The ``application/vnd.jupyter.widget-state+json`` of the open models."""
        models = {}
        for mid, model in self.models.items():
            state, paths, buffers = take_buffers(model.state)
            entry: dict[str, Any] = {
                "model_name": model.name,
                "model_module": state.get("_model_module", ""),
                "model_module_version": state.get("_model_module_version", ""),
                "state": state,
            }
            if buffers:
                entry["buffers"] = encode_buffers(paths, buffers)
            models[mid] = entry
        return {"version_major": 2, "version_minor": 0, "state": models}

    def save_into(self, record: Any) -> None:
        """Store the widget state in a ``SessionRecord`` (models/record.py) for export."""
        record.widget_state = self.export_state() if self.models else {}

    # ------------------------------------------------------------ internals
    def _apply(self, model: WidgetModel, state: dict[str, Any], echo: bool) -> None:
        if echo:  # an echo of our own change: stale while newer ones are on their way
            for key in list(state):
                left = model.echo_pending.get(key, 0)
                if left:
                    model.echo_pending[key] = left - 1
                if left > 1 or key in self.outbox.get(model.model_id, {}):
                    del state[key]
        if not state:
            return
        model.state.update(state)
        if model.model_id in self.links:
            link = parse_link(model.name, model.state)
            if link is not None:
                self.links[model.model_id] = link
        self._notify(model, set(state))

    def _notify(self, model: WidgetModel, keys: set[str]) -> None:
        for observer in list(model.observers):
            self._tell(observer.model_changed, keys)
        for link in list(self.links.values()):
            for src, dst in propagations(link, model.model_id, keys):
                self._copy(src, dst)

    def _copy(self, src: tuple[str, str], dst: tuple[str, str]) -> None:
        source, target = self.models.get(src[0]), self.models.get(dst[0])
        if source is None or target is None or dst in self._copying or src[1] not in source.state:
            return
        value = source.state[src[1]]
        if target.state.get(dst[1]) == value:
            return
        self._copying.add(dst)
        try:
            self.set_state(dst[0], {dst[1]: value})
        finally:
            self._copying.discard(dst)

    def _send_state(self, model: WidgetModel, state: dict[str, Any]) -> None:
        plain, paths, buffers = take_buffers(state)
        data = {"method": "update", "state": plain, "buffer_paths": paths}
        self._guard(self.sender.comm_msg, model.model_id, data, buffers)

    def _tell(self, view_call: Callable[..., Any], *args: Any) -> None:
        """Call a view now, or (while a kernel message is read) in the drawing step."""
        if self._deferring:
            self._effects.append(partial(self._guard, view_call, *args))
        else:
            self._guard(view_call, *args)

    @staticmethod
    def _guard(fn: Callable[..., Any], *args: Any) -> None:
        """One view's or the sender's failure is logged; the rest go on."""
        try:
            fn(*args)
        except Exception:
            log.exception("widget callback %r failed", fn)
