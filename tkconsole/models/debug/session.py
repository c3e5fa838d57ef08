"""The debugger of one console: DAP requests out, replies and events in, state kept.

One ``DebugSession`` per console.  Requests go out through ``send`` (it
returns the Jupyter ``msg_id``), and replies are matched by that id, not
by the DAP ``request_seq``: ipykernel's ``richInspectVariables`` answers
with ``sequence_seq`` instead, and a hostile kernel could repeat a seq.
Replies are handled by the command *we* asked for, through an explicit
table; events through another.  Everything returns a list of effects
(``effects``) for the views; nothing raises.

States: ``off``; ``running`` while debugging is on and nothing is stopped
(the kernel idle or busy); ``stopped``.  Starting takes ``debugInfo``,
``initialize``, ``attach``, the breakpoints of every cell (``dumpCell``,
then ``setBreakpoints`` on the path it names), ``setExceptionBreakpoints``
and ``configurationDone``; an execute that needs them waits (the *gate*)
until every such request is answered, because control and shell are
separate channels and the kernel may start the cell first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from ..messages import Malformed
from . import dap
from . import effects as fx
from .cellfiles import CellFiles

log = logging.getLogger(__name__)

State = Literal["off", "running", "stopped"]
StepKind = Literal["over", "in", "out", "continue"]
STEP_COMMANDS: dict[str, str] = {
    "over": "next", "in": "stepIn", "out": "stepOut", "continue": "continue",
}  # fmt: skip
SETUP = frozenset(
    ("debugInfo", "initialize", "attach", "dumpCell", "setBreakpoints",
     "setExceptionBreakpoints", "configurationDone")
)  # fmt: skip
EXCEPTION_FILTERS = ("raised", "uncaught")
Effects = list[fx.Effect]


@dataclass
class Pending:
    command: str
    context: dict[str, Any] = field(default_factory=dict)


class DebugSession:
    """See the module docstring.  ``send(content) -> msg_id`` puts a debug_request out."""

    def __init__(self, send: Callable[[dict[str, Any]], str], adapter_id: str = "python") -> None:
        self.send = send
        self.adapter_id = adapter_id
        self.available = False
        self.state: State = "off"
        self.cells = CellFiles()
        self.breakpoints: dict[int, set[int]] = {}
        self.exception_filters: set[str] = set()
        self.frames: list[dap.Frame] = []
        self.frame_index = 0
        self.thread_id: int | None = None
        self._seq = 0
        self._pending: dict[str, Pending] = {}
        self._setup: set[str] = set()  # msg_ids of setup requests not yet answered
        self._starting = False
        self._held = False  # an execute waits for the setup
        self._resend = False  # after an interrupt: breakpoints must be sent again
        self._replies: dict[str, Callable[[dap.Reply, Pending], Effects]] = {
            "debugInfo": self._on_debug_info,
            "initialize": self._on_initialize,
            "attach": self._on_attach,
            "dumpCell": self._on_dump_cell,
            "configurationDone": self._on_configuration_done,
            "stackTrace": self._on_stack_trace,
            "scopes": self._on_scopes,
            "variables": self._on_variables,
            "inspectVariables": self._on_variables,
            "richInspectVariables": self._on_rich,
            "evaluate": self._on_evaluate,
            "source": self._on_source,
            **{name: self._ignore for name in ("setBreakpoints", "setExceptionBreakpoints")},
            **{name: self._ignore for name in ("disconnect", *STEP_COMMANDS.values())},
        }
        self._events: dict[str, Callable[[dap.Event], Effects]] = {
            "stopped": self._on_stopped,
            "continued": self._on_continued,
            "terminated": self._on_terminated,
        }

    # ------------------------------------------------------------ the boundary
    def on_reply(self, parent_id: str | None, content: object) -> Effects:
        """A ``debug_reply`` whose parent is ``parent_id``; never raises."""
        pending = self._pending.pop(parent_id or "", None)
        if pending is None:
            return []  # not ours (another client's, late, or replayed)
        try:
            out = self._handle_reply(pending, dap.reply(content))
        except (Malformed, KeyError, TypeError, ValueError) as exc:
            log.warning("dropped a malformed debug reply to %s: %s", pending.command, exc)
            out = [fx.Notice(f"Ignored a malformed debugger reply to {pending.command} ({exc}).")]
        return out + self._answered(parent_id or "")

    def on_event(self, content: object) -> Effects:
        """A ``debug_event``; events of a debugger we did not start are ignored."""
        try:
            event = dap.event(content)
        except Malformed as exc:
            log.warning("dropped a malformed debug event: %s", exc)
            return []
        handler = self._events.get(event.name)
        if handler is None or self.state == "off":
            return []
        try:
            return handler(event)
        except (Malformed, KeyError, TypeError, ValueError) as exc:
            log.warning("dropped a malformed debug event %s: %s", event.name, exc)
            return []

    def _handle_reply(self, pending: Pending, reply: dap.Reply) -> Effects:
        if not reply.success and pending.command not in ("evaluate", "richInspectVariables"):
            return self._failed(pending, reply)
        return self._replies[pending.command](reply, pending)

    def _failed(self, pending: Pending, reply: dap.Reply) -> Effects:
        why = reply.message or "no reason given"
        if pending.command in ("debugInfo", "initialize", "attach") and self._starting:
            self._starting = False
            self.state = "off"
            return [fx.Changed("state"), fx.Notice(f"The debugger could not start: {why}")]
        if pending.command in ("variables", "inspectVariables", "stackTrace", "scopes"):
            return []  # a stale reference after a step: the next refresh replaces it
        return [fx.Notice(f"Debugger: {pending.command} failed: {why}")]

    def _answered(self, msg_id: str) -> Effects:
        """Setup bookkeeping: a held execute goes once nothing is in flight."""
        self._setup.discard(msg_id)
        if self._held and not self._setup:
            self._held = False
            return [fx.Released()]
        return []

    def _request(self, command: str, arguments: dict[str, Any], **context: Any) -> str:
        self._seq += 1
        content = {"type": "request", "seq": self._seq, "command": command, "arguments": arguments}
        msg_id = self.send(content)
        self._pending[msg_id] = Pending(command, context)
        if command in SETUP:
            self._setup.add(msg_id)
        return msg_id

    # ------------------------------------------------------------ features, start, stop
    def set_available(self, available: bool) -> None:
        self.available = available

    def start(self) -> Effects:
        if not self.available:
            return [fx.Notice("This kernel has no debugger.")]
        if self.state != "off":
            return []
        self.state = "running"
        self._starting = True
        self._request("debugInfo", {}, start=True)
        return [fx.Changed("state")]

    def stop(self) -> Effects:
        if self.state == "off":
            return []
        self._request("disconnect", {"restart": False, "terminateDebuggee": False})
        self._reset_run_state()
        self.state = "off"
        return [fx.Changed("state"), fx.Changed("frames"), *self._release_held()]

    def kernel_restarted(self) -> Effects:
        """A new kernel process (restart, or another kernel behind a reconnect):
        its debugger knows nothing, so debugging starts again with every breakpoint."""
        self._pending.clear()
        was_on = self.state != "off"
        self._reset_run_state()
        self.state = "off"
        out = [fx.Changed("state"), fx.Changed("frames"), *self._release_held()]
        return out + (self.start() if was_on and self.available else [])

    def _release_held(self) -> Effects:
        """Debugging ended: an execute waiting for its breakpoints goes now."""
        self._setup.clear()
        held, self._held = self._held, False
        return [fx.Released()] if held else []

    def interrupted(self) -> None:
        """An interrupt loses the kernel's breakpoints (ipykernel #821): send them again."""
        self._resend = self.state != "off"

    def _reset_run_state(self) -> None:
        self._starting = False
        self.thread_id = None
        self.frames = []
        self.frame_index = 0

    def _on_debug_info(self, reply: dap.Reply, pending: Pending) -> Effects:
        self.cells.configure(reply.body)
        if not pending.context.get("start"):
            return []
        if reply.body.get("isStarted") is True:  # another client (or we, before) started it
            return self._configure()
        self._request(
            "initialize",
            {"clientID": "tkconsole", "clientName": "tkconsole", "adapterID": self.adapter_id,
             "pathFormat": "path", "linesStartAt1": True, "columnsStartAt1": True,
             "supportsVariableType": True, "supportsVariablePaging": True,
             "supportsRunInTerminalRequest": False, "locale": "en"},
        )  # fmt: skip
        return []

    def _on_initialize(self, _reply: dap.Reply, _pending: Pending) -> Effects:
        self._request("attach", {})
        return []

    def _on_attach(self, _reply: dap.Reply, _pending: Pending) -> Effects:
        return self._configure()

    def _configure(self) -> Effects:
        for cell in sorted(self.breakpoints):
            self._send_breakpoints(cell)
        self._send_exception_filters()
        self._request("configurationDone", {})
        return []

    def _on_configuration_done(self, _reply: dap.Reply, _pending: Pending) -> Effects:
        self._starting = False
        return [fx.Changed("state")]

    # ------------------------------------------------------------ breakpoints
    def toggle_breakpoint(self, cell: int, line: int) -> tuple[bool, Effects]:
        """Set or clear; True when a breakpoint is now set.  Sent at once for a
        cell whose code is known; the input's go when it is executed."""
        lines = self.breakpoints.setdefault(cell, set())
        now_set = line not in lines
        if now_set:
            lines.add(line)
        else:
            lines.discard(line)
        if self.state != "off" and not self._starting and cell in self.cells.code:
            self._send_breakpoints(cell)
        return now_set, [fx.Changed("breakpoints")]

    def breakpoint_table(self) -> dict[int, list[int]]:
        return {cell: sorted(lines) for cell, lines in sorted(self.breakpoints.items()) if lines}

    def set_exception_filter(self, name: str, on: bool) -> Effects:
        if name not in EXCEPTION_FILTERS:
            return []
        if on:
            self.exception_filters.add(name)
        else:
            self.exception_filters.discard(name)
        if self.state != "off" and not self._starting:
            self._send_exception_filters()
        return [fx.Changed("state")]

    def before_execute(self, cell: int, code: str) -> bool:
        """Cell ``cell`` is about to run ``code``: True if it may go now; otherwise
        its breakpoints are on their way and ``Released`` says when."""
        self.cells.note(cell, code)
        if self.state == "off":
            return True
        resend, self._resend = self._resend, False
        for other in sorted(self.breakpoints) if resend else ():
            if other != cell:
                self._send_breakpoints(other)
        if self.breakpoints.get(cell):
            self._send_breakpoints(cell)
        self._held = bool(self._setup)
        return not self._held

    def _send_breakpoints(self, cell: int) -> None:
        """dumpCell (the kernel writes the file its frames will name), then
        setBreakpoints on that path: at once when the hash gives the path,
        the kernel handling control requests in order; else after the reply."""
        code = self.cells.code.get(cell)
        if code is None:
            return
        path = self.cells.computed(code)
        self._request("dumpCell", {"code": code}, cell=cell, sent=path)
        if path is not None:
            self._set_breakpoints(cell, path)

    def _set_breakpoints(self, cell: int, path: str) -> None:
        lines = sorted(self.breakpoints.get(cell, ()))
        arguments = {
            "source": {"path": path},
            "breakpoints": [{"line": n} for n in lines],
            "sourceModified": False,
        }
        self._request("setBreakpoints", arguments)

    def _on_dump_cell(self, reply: dap.Reply, pending: Pending) -> Effects:
        cell = pending.context["cell"]
        path = reply.body.get("sourcePath")
        if not isinstance(path, str) or not path:
            return [fx.Notice(f"The debugger did not say where In [{cell}] is.")]
        self.cells.dumped(cell, path)
        if path != pending.context.get("sent"):
            self._set_breakpoints(cell, path)
        return []

    def _send_exception_filters(self) -> None:
        filters = sorted(self.exception_filters)
        self._request("setExceptionBreakpoints", {"filters": filters})

    # ------------------------------------------------------------ stopped, stepping
    def _on_stopped(self, event: dap.Event) -> Effects:
        thread = dap.integer(event.body.get("threadId"), -1)
        self.state = "stopped"
        self.thread_id = thread if thread >= 0 else self.thread_id
        if self.thread_id is not None:
            self._request("stackTrace", {"threadId": self.thread_id})
        return [fx.Changed("state")]

    def _on_continued(self, _event: dap.Event) -> Effects:
        if self.state != "stopped":
            return []
        self.state = "running"
        self.frames = []
        return [fx.Changed("state"), fx.Changed("frames")]

    def _on_terminated(self, _event: dap.Event) -> Effects:
        self._reset_run_state()
        self.state = "off"
        return [fx.Changed("state"), fx.Changed("frames")]

    def _on_stack_trace(self, reply: dap.Reply, _pending: Pending) -> Effects:
        if self.state != "stopped":
            return []
        self.frames = dap.frames(reply.body)
        return [fx.Changed("frames"), *self.select_frame(0)]

    def select_frame(self, index: int) -> Effects:
        """Show frame ``index`` (0: innermost): its scopes fill the variables pane."""
        if not 0 <= index < len(self.frames):
            return []
        self.frame_index = index
        self._request("scopes", {"frameId": self.frames[index].id}, frame=index)
        return [fx.Changed("frames")] if index else []

    def _on_scopes(self, reply: dap.Reply, pending: Pending) -> Effects:
        if self.state != "stopped" or pending.context.get("frame") != self.frame_index:
            return []
        scopes = dap.scopes(reply.body)
        if not scopes:
            return [fx.VariablesArrived(0, [])]
        first, others = scopes[0], scopes[1:]
        extra = [
            {"name": s.name, "type": "scope", "value": "", "variablesReference": s.reference}
            for s in others
        ]
        self._request("variables", {"variablesReference": first.reference}, parent=0, extra=extra)
        return []

    def step(self, kind: str) -> Effects:
        command = STEP_COMMANDS.get(kind)
        if command is None:
            raise ValueError(f"step kind must be one of {sorted(STEP_COMMANDS)}, not {kind!r}")
        if self.state != "stopped" or self.thread_id is None:
            return []
        self._request(command, {"threadId": self.thread_id})
        self.state = "running"  # the kernel's "continued" event may come later
        self.frames = []
        return [fx.Changed("state"), fx.Changed("frames")]

    def _ignore(self, _reply: dap.Reply, _pending: Pending) -> Effects:
        return []  # the effect shows in events ("stopped", "continued")

    # ------------------------------------------------------------ variables, evaluate
    def refresh_variables(self) -> Effects:
        """Ask again: the selected frame's scopes when stopped, else the globals
        (answered on the control thread, so also while a cell runs)."""
        if self.state == "stopped" and self.frames:
            return self.select_frame(self.frame_index)
        if self.available:
            self._request("inspectVariables", {}, parent=0)
        return []

    def expand(self, reference: int) -> None:
        """The children of a row (its ``reference``)."""
        if reference > 0:
            self._request("variables", {"variablesReference": reference}, parent=reference)

    def _on_variables(self, reply: dap.Reply, pending: Pending) -> Effects:
        parent = pending.context.get("parent", 0)
        items = dap.variable_list(reply.body) + pending.context.get("extra", [])
        return [fx.VariablesArrived(parent, items)]

    def rich_inspect(self, name: str) -> None:
        arguments: dict[str, Any] = {"variableName": name}
        if self.state == "stopped" and self.frames:
            arguments["frameId"] = self.frames[self.frame_index].id
        self._request("richInspectVariables", arguments, name=name)

    def _on_rich(self, reply: dap.Reply, pending: Pending) -> Effects:
        data, metadata = reply.body.get("data"), reply.body.get("metadata")
        if not reply.success or not isinstance(data, dict) or not data:
            return [fx.Notice(f"No rich view of {pending.context['name']}.")]
        return [fx.RichArrived(pending.context["name"], data, _dict(metadata))]

    def evaluate(self, expression: str) -> Effects:
        """Evaluate in the selected frame (only while stopped)."""
        if self.state != "stopped" or not self.frames:
            return [fx.Notice("Expressions are evaluated in a frame: stop at a breakpoint first.")]
        frame = self.frames[self.frame_index].id
        arguments = {"expression": expression, "frameId": frame, "context": "repl"}
        self._request("evaluate", arguments, expression=expression)
        return []

    def _on_evaluate(self, reply: dap.Reply, pending: Pending) -> Effects:
        expression = pending.context["expression"]
        if not reply.success:
            return [fx.Evaluated(expression, reply.message or "evaluation failed", True)]
        result = reply.body.get("result", "")
        return [
            fx.Evaluated(expression, dap.clean(result) if isinstance(result, str) else "", False)
        ]

    def request_source(self, path: str) -> None:
        self._request("source", {"source": {"path": path}}, path=path)

    def _on_source(self, reply: dap.Reply, pending: Pending) -> Effects:
        content = reply.body.get("content")
        text = dap.clean(content) if isinstance(content, str) else ""
        return [fx.SourceArrived(pending.context["path"], text)]

    # ------------------------------------------------------------ what the API reads
    def where(self, frame: dap.Frame) -> int | str:
        """The cell number of a frame's file, else its path."""
        cell = self.cells.cell_of(frame.path)
        return cell if cell is not None else frame.path

    def stopped_at(self) -> tuple[int | str, int] | None:
        if self.state != "stopped" or not self.frames:
            return None
        frame = self.frames[self.frame_index]
        return self.where(frame), frame.line

    def frame_list(self) -> list[tuple[str, int | str, int]]:
        return [(f.name, self.where(f), f.line) for f in self.frames]

    def awaiting_reply(self) -> bool:
        return bool(self._pending)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
