"""Output and comm messages from iopub: checked, offered to the widgets, recorded.

Part of the conversation model (``ConversationModel`` routes these message
types here): each output is validated (``models.messages``), offered to the
comms target in case an Output widget captures it, written into the
session record, and returned as the action that draws it.  The console's
own view follows the same rule for ``clear_output(wait=True)`` as the
record (a ``ClearGate``): the clear is drawn just before the next output.
Comm messages go to the comms target; what they do to widget views comes
back as a ``WidgetViews`` action, drawn in order like any output; the
target's exceptions are logged and shown once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from . import actions as act
from . import messages as m
from .comms import CommTarget
from .outputarea import ClearGate
from .recorder import Recorder

log = logging.getLogger(__name__)

Actions = list[act.Action]


class OutputMessages:
    def __init__(self, recorder: Recorder, once: Callable[..., Actions]) -> None:
        self.recorder = recorder
        self.once = once  # a notice shown once per console for each kind of trouble
        self.comms: CommTarget | None = None
        self._view_clear = ClearGate()  # the console's view of the running cell

    def new_cell(self) -> None:
        """A cell starts: a clear still waiting belonged to the one before."""
        self._view_clear.cancel()

    def _shown(
        self, parent: dict[str, Any], msg_type: str, content: dict[str, Any], action: act.Action
    ) -> Actions:
        """Record an output that no widget took, and draw it (after a waiting clear)."""
        self.recorder.add(m.parent_id(parent), msg_type, content)
        clear: Actions = [act.ClearOutput()] if self._view_clear.before_output() else []
        return [*clear, action]

    def _captured(
        self, parent: dict[str, Any], msg_type: str, content: dict[str, Any]
    ) -> tuple[bool, Actions]:
        """Ask the comms target whether an Output widget takes this output."""
        parent_msg = m.parent_id(parent)
        if self.comms is None or parent_msg is None:
            return False, []
        try:
            taken = bool(self.comms.capture_output(parent_msg, msg_type, content))
        except Exception as exc:
            return False, self._comms_failed(exc) + self._view_effects()
        return taken, self._view_effects()

    def on_stream(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        name = m.text(content, "name", "stdout")
        text = m.text(content, "text")
        if name not in ("stdout", "stderr"):
            name = "stdout"
        clean = {"name": name, "text": text}
        taken, out = self._captured(parent, "stream", clean)
        if taken or not text:
            return out
        return out + self._shown(parent, "stream", clean, act.Stream(name, text))

    def on_execute_result(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        count, data, metadata = m.count(content), m.bundle(content), m.mapping(content, "metadata")
        clean = {"execution_count": count, "data": data, "metadata": metadata}
        taken, out = self._captured(parent, "execute_result", clean)
        if taken:
            return out
        return out + self._shown(parent, "execute_result", clean, act.Result(count, data, metadata))

    def on_display_data(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        data, metadata = m.bundle(content), m.mapping(content, "metadata")
        display_id = m.display_id(content)
        transient = {"display_id": display_id} if display_id else {}
        clean = {"data": data, "metadata": metadata, "transient": transient}
        taken, out = self._captured(parent, "display_data", clean)
        if taken:
            return out
        action = act.Display(data, metadata, display_id)
        return out + self._shown(parent, "display_data", clean, action)

    def on_update_display_data(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        display_id = m.display_id(content)
        if display_id is None:
            raise m.Malformed("update_display_data without a display_id")
        data, metadata = m.bundle(content), m.mapping(content, "metadata")
        self.recorder.update_display(display_id, data, metadata)
        return [act.UpdateDisplay(display_id, data, metadata)]

    def on_clear_output(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        wait = content.get("wait") is True
        taken, out = self._captured(parent, "clear_output", {"wait": wait})
        if taken:
            return out
        self.recorder.add(m.parent_id(parent), "clear_output", {"wait": wait})
        return [*out, act.ClearOutput()] if self._view_clear.request(wait) else out

    def on_error(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        traceback = m.traceback(content)
        ename, evalue = content.get("ename"), content.get("evalue")
        ename = m.clean_text(ename) if isinstance(ename, str) else "Error"
        evalue = m.clean_text(evalue) if isinstance(evalue, str) else ""
        clean = {"ename": ename, "evalue": evalue, "traceback": traceback}
        taken, out = self._captured(parent, "error", clean)
        if taken:
            return out
        return out + self._shown(parent, "error", clean, act.Error(traceback))

    # ------------------------------------------------------------ comms
    def on_comm_open(
        self, content: dict[str, Any], _parent: dict[str, Any], msg: dict[str, Any]
    ) -> Actions:
        comm_id, target = m.text(content, "comm_id"), m.text(content, "target_name", "")
        data, meta, bufs = m.mapping(content, "data"), _metadata(msg), m.buffers(msg)
        return self._to_comms(lambda c: c.comm_open(comm_id, target, data, meta, bufs))

    def on_comm_msg(
        self, content: dict[str, Any], _parent: dict[str, Any], msg: dict[str, Any]
    ) -> Actions:
        comm_id, data = m.text(content, "comm_id"), m.mapping(content, "data")
        meta, bufs = _metadata(msg), m.buffers(msg)
        return self._to_comms(lambda c: c.comm_msg(comm_id, data, meta, bufs))

    def on_comm_close(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        comm_id, data = m.text(content, "comm_id"), m.mapping(content, "data")
        return self._to_comms(lambda c: c.comm_close(comm_id, data))

    def _to_comms(self, call: Callable[[CommTarget], None]) -> Actions:
        if self.comms is None:
            return []
        try:
            call(self.comms)
        except Exception as exc:
            return self._comms_failed(exc) + self._view_effects()
        return self._view_effects()

    def _view_effects(self) -> Actions:
        """What the comms did to widget views, for the drawing step to run."""
        try:
            calls = self.comms.take_view_effects() if self.comms is not None else []
        except Exception as exc:
            return self._comms_failed(exc)
        return [act.WidgetViews(tuple(calls))] if calls else []

    def _comms_failed(self, exc: Exception) -> Actions:
        log.error("the comm target failed", exc_info=exc)
        return self.once("comms", f"Widget error (see the log): {exc!r}", "stderr")


def _metadata(msg: dict[str, Any]) -> dict[str, Any]:
    metadata = msg.get("metadata")
    return metadata if isinstance(metadata, dict) else {}
