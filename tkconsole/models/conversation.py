"""The conversation with one kernel, as a model the view only draws.

Every kernel message and transport event comes in through ``receive`` and
goes out as a list of actions (``models.actions``): output to draw,
prompts, notices, stdin requests.  The model owns the protocol state the
console used to keep in its widget: the mode (starting, prompt, executing,
dead), the execution count, the execute/reply/idle join, the is_complete
wait, the silent probe of an existing kernel's count, queued code, and the
session record the exporters read.

Messages are checked at the boundary (``models.messages``); anything
malformed becomes a logged drop and a one-line notice, never an exception.
Message types reach handlers through explicit tables: one per kernel
channel (iopub output and comms are handled by ``models.iopub``) and one
for the transport's ``events`` channel, so a kernel can never trigger a
transport event by naming it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Literal

from . import actions as act
from . import messages as m
from .comms import CommTarget
from .iopub import OutputMessages
from .record import SessionRecord
from .recorder import Recorder
from .usage import KernelUsage

log = logging.getLogger(__name__)

# Requests whose busy/idle is not worth showing: answered in a blink while the user
# types, or on the control channel (a usage poll must not flicker the status bar).
QUIET_REQUESTS = (
    "complete_request", "inspect_request", "history_request", "is_complete_request",
    "usage_request", "create_subshell_request", "delete_subshell_request",
    "list_subshell_request", "debug_request",
)  # fmt: skip
EDITOR_REPLIES = ("complete_reply", "inspect_reply", "history_reply")

Actions = list[act.Action]
Handler = Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], Actions]
Mode = Literal["starting", "prompt", "executing", "dead"]
KernelState = Literal["starting", "idle", "busy", "dead", "unknown"]


class ConversationModel:
    """One per console: messages in, actions out; see the module docstring."""

    @property
    def comms(self) -> CommTarget | None:
        """The widget manager (ipywidgets), or None: comm messages go there."""
        return self.outputs.comms

    @comms.setter
    def comms(self, target: CommTarget | None) -> None:
        self.outputs.comms = target

    def __init__(
        self, session_id: str = "", owns_kernel: bool = True, kernel_name: str = "",
        display_name: str = "",
    ) -> None:  # fmt: skip
        self.session_id = session_id
        self.owns_kernel = owns_kernel
        self.record = SessionRecord(kernel_name=kernel_name, display_name=display_name)
        self.recorder = Recorder(self.record)
        self.outputs = OutputMessages(self.recorder, self.once)
        self.mode: Mode = "starting"
        self.count = 1  # the current (or next) prompt's number
        self.kernel_state: KernelState = "starting"
        self.connection_state = "starting"  # connected | not responding | failed | ...
        self.language_info: dict[str, Any] = {}
        self.kernel_info: dict[str, Any] = {}  # the kernel_info_reply (Help → About shows it)
        self.errors = 0  # inputs whose execute_reply said "error" (--exit-after's status)
        self.failure: str | None = None  # why the kernel could not be reached (the last notice)
        self.include_other_output = False  # other clients' iopub traffic (QtConsole's option)
        self.exec_id: str | None = None
        self._complete_id: str | None = None
        self.count_probe: str | None = None
        self.awaiting_input = False
        self._queued: list[str] = []  # code run (by the embedding program) while busy
        self.usage = KernelUsage()  # the kernel's CPU and memory (usage_reply)
        self._reply: dict[str, Any] | None = None
        self._idle_seen = False
        self._noticed: set[str] = set()  # one notice per kind of trouble
        # Each channel carries its own message types (the messaging spec): output
        # claimed on another channel would arrive out of order with the rest.
        out = self.outputs
        self._channels: dict[str, dict[str, Handler]] = {
            "iopub": {
                "status": self.on_status,
                "stream": out.on_stream,
                "execute_result": out.on_execute_result,
                "display_data": out.on_display_data,
                "update_display_data": out.on_update_display_data,
                "clear_output": out.on_clear_output,
                "error": out.on_error,
                "comm_open": out.on_comm_open,
                "comm_msg": out.on_comm_msg,
                "comm_close": out.on_comm_close,
            },
            "shell": {
                "execute_reply": self.on_execute_reply,
                "is_complete_reply": self.on_is_complete_reply,
                **{name: self.on_editor_reply for name in EDITOR_REPLIES},
            },
            "stdin": {"input_request": self.on_input_request},
            "control": {"usage_reply": self.on_usage_reply},
        }
        self._events: dict[str, Handler] = {
            "ready": self.on_ready,
            "start_failed": self.on_start_failed,
            "died": self.on_died,
            "not_responding": self.on_not_responding,
            "responding": self.on_responding,
            "restart_failed": self.on_restart_failed,
            "progress": self.on_progress,
        }

    # ------------------------------------------------------------ the boundary
    def receive(self, channel: str, msg: Any) -> Actions:
        """What the view must do about one message; never raises."""
        try:
            msg_type, content, parent = m.envelope(msg)
            if channel == "events":
                handler = self._events.get(msg_type)
            else:
                session = parent.get("session")
                others = session not in (None, "", self.session_id)
                if channel == "iopub" and others and not self.include_other_output:
                    return []  # another client's traffic on a shared kernel
                handler = self._channels.get(channel, {}).get(msg_type)
            return handler(content, parent, msg) if handler is not None else []
        except m.Malformed as exc:
            log.warning("dropped a malformed message on %s: %s", channel, exc)
            return self.once("malformed", f"Ignored a malformed message from the kernel ({exc}).")
        except Exception as exc:  # a bug here must not take the console down
            log.exception("the conversation model failed on a %s message", channel)
            return self.once("model", f"Internal error handling a kernel message: {exc!r}")

    def once(self, kind: str, text: str, tag: str = "notice") -> Actions:
        """A notice shown once per console for each kind of trouble."""
        if kind in self._noticed:
            return []
        self._noticed.add(kind)
        return [act.Notice(text, tag)]

    def status(self) -> tuple[KernelState, str]:
        """(kernel state, connection state), never contradicting each other."""
        kernel = self.kernel_state
        if self.connection_state == "not responding" and kernel != "dead":
            kernel = "unknown"  # not "idle" beside "not responding"
        return kernel, self.connection_state

    def _set_state(self, kernel: KernelState, connection: str | None = None) -> Actions:
        before = (self.kernel_state, self.connection_state)
        self.kernel_state = kernel
        if connection is not None:
            self.connection_state = connection
        changed = before != (self.kernel_state, self.connection_state)
        return [act.StatusChanged()] if changed else []

    # ------------------------------------------------------------ the execution
    def on_status(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        state = content.get("execution_state")
        out: Actions = []
        # a subshell's busy/idle is its own thread's, not the main shell's
        quiet = parent.get("msg_type") in QUIET_REQUESTS or "subshell_id" in parent
        if state in ("busy", "idle") and self.mode not in ("dead", "starting") and not quiet:
            out += self._set_state("busy" if state == "busy" else "idle")
        if state == "idle" and self.exec_id is not None and m.parent_id(parent) == self.exec_id:
            self._idle_seen = True
            out += self._maybe_finish()
        return out

    def on_execute_reply(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        reply_to = m.parent_id(parent)
        if reply_to is None:
            return []
        if reply_to == self.count_probe:
            self.count_probe = None
            self.mode = "prompt"
            return self._prompt((m.count(content) or 0) + 1)
        if reply_to != self.exec_id or self._reply is not None:
            return []  # late, replayed or someone else's
        self._reply = content
        self.errors += content.get("status") == "error"
        self.recorder.set_count(reply_to, m.count(content))
        out: Actions = []
        payloads = content.get("payload")
        for payload in payloads if isinstance(payloads, list) else ():
            if isinstance(payload, dict):
                out += self._payload(payload)
        return out + self._maybe_finish()

    def _payload(self, payload: dict[str, Any]) -> Actions:
        source = payload.get("source")
        if source == "page":  # obj?, obj??, %page: the pager, not the scrollback
            data = payload.get("data")
            plain = data.get("text/plain") if isinstance(data, dict) else None
            return [act.Page(m.clean_text(plain))] if isinstance(plain, str) else []
        if source == "set_next_input":
            text = payload.get("text")
            return [act.SetNextInput(m.clean_text(text))] if isinstance(text, str) else []
        if source == "ask_exit":
            return [act.AskExit(payload.get("keepkernel") is True)]
        return []

    def _maybe_finish(self) -> Actions:
        if self.mode != "executing" or self._reply is None or not self._idle_seen:
            return []
        count = m.count(self._reply) or self.count
        self.exec_id = None
        return self._end_input() + self._prompt(count + 1)

    def _prompt(self, count: int, gap: bool = True) -> Actions:
        self.mode = "prompt"
        self.count = count
        return [act.Prompt(count, gap)]

    def _end_input(self) -> Actions:
        if not self.awaiting_input:
            return []
        self.awaiting_input = False
        return [act.EndInput()]

    def _abandon(self) -> Actions:
        self.exec_id = self._complete_id = self.count_probe = None
        return self._end_input()

    def on_is_complete_reply(
        self, content: dict[str, Any], parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        if self._complete_id is None or m.parent_id(parent) != self._complete_id:
            return []
        self._complete_id = None
        if self.mode not in ("prompt", "executing"):  # executing: the input below the cell
            return []
        incomplete = content.get("status") == "incomplete"
        return [act.CompleteAnswer(incomplete, m.text(content, "indent", ""))]

    def on_input_request(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        if self.mode != "executing":
            return []
        self.awaiting_input = True
        prompt = m.short(m.text(content, "prompt", ""))
        return [act.InputRequest(prompt, content.get("password") is True)]

    def on_editor_reply(
        self, content: dict[str, Any], _parent: dict[str, Any], msg: dict[str, Any]
    ) -> Actions:
        return [act.EditorReply(msg["msg_type"], content, msg)]

    # ------------------------------------------------------------ transport events
    def on_ready(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        info = content.get("kernel_info")
        info = self.kernel_info = info if isinstance(info, dict) else {}
        language = info.get("language_info")
        self.language_info = language if isinstance(language, dict) else {}
        self.record.language_info = dict(self.language_info)
        restarted = content.get("restarted") is True or self.mode == "dead"
        died = self.mode == "dead"
        first = self.mode == "starting" and not restarted
        out = [*self._set_state("idle", "connected"), act.ClearPrompt(), *self._abandon()]
        if restarted:
            self.usage.forget()
            out.append(act.Notice("Kernel died, restarted." if died else "Kernel restarted."))
        banner = info.get("banner")
        text = m.short(m.clean_text(banner), 5000) if isinstance(banner, str) else ""
        out.append(act.Ready(text, first, restarted))
        if self.owns_kernel or restarted:
            return out + self._prompt(1)
        self.mode = "starting"  # an existing kernel: ask where its count stands
        return [*out, act.ProbeCount()]

    def on_usage_reply(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        return [act.UsageChanged()] if self.usage.accept(content, time.monotonic()) else []

    def probe_sent(self, msg_id: str) -> None:
        self.count_probe = msg_id

    def on_died(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        restarting = content.get("restarting") is True
        out: Actions = [act.SqueezeBacklog(), *self._abandon()]
        self.mode = "dead"
        out += self._set_state("dead", "restarting" if restarting else "dead")
        message = content.get("message")
        if isinstance(message, str) and message:  # the transport knows why
            offer = content.get("offer")
            offers = tuple(o for o in offer if o in act.OFFERS) if isinstance(offer, list) else ()
            return [*out, act.Notice(m.short(m.clean_text(message)), offers=offers)]
        if restarting:
            return [*out, act.Notice("The kernel died; restarting it…")]
        return [*out, act.Notice("Kernel died, and keeps dying. Press Ctrl+. to restart it.")]

    def on_not_responding(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        state = content.get("state")
        state = state if isinstance(state, str) and state else "not responding"
        out = self._set_state(self.kernel_state, state)
        message = content.get("message")
        if isinstance(message, str) and message:  # a transport that retries says why
            return [*out, act.Notice(m.short(m.clean_text(message)))]
        label = "Restart" if self.owns_kernel else "Reconnect"
        return [*out, act.Notice("The kernel is not responding. ", button=label)]

    def on_responding(
        self, _content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        out = self._set_state(self.kernel_state, "connected")
        return [*out, act.Notice("The kernel is responding again.")]

    def on_progress(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        """A slow start under way: the status bar says so, and a ``message`` is a line.

        (A gateway bringing a kernel up counts seconds; a Hub spawning a
        server sends what its spawner says.)
        """
        state = content.get("state")
        out = self._set_state(
            self.kernel_state, m.short(state, 80) if isinstance(state, str) else "starting"
        )
        message = content.get("message")
        if isinstance(message, str) and message.strip():
            out.append(act.Notice(m.short(m.clean_text(message))))
        return out

    def on_start_failed(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        return self._failed("Could not connect to the kernel", content)

    def on_restart_failed(
        self, content: dict[str, Any], _parent: dict[str, Any], _msg: dict[str, Any]
    ) -> Actions:
        return self._failed("Restart failed", content)

    def _failed(self, what: str, content: dict[str, Any]) -> Actions:
        self.mode = "dead"
        out: Actions = [act.SqueezeBacklog(), *self._abandon(), *self._set_state("dead", "failed")]
        message = content.get("message")
        reason = m.short(m.clean_text(message)) if isinstance(message, str) else "unknown error"
        self.failure = f"{what}: {reason}"
        return [*out, act.Notice(self.failure, "stderr")]

    # ------------------------------------------------------------ the user's side
    def execute(self, code: str, msg_id: str | None) -> Actions:
        """The user ran ``code`` (``msg_id`` of the request; None for blank input)."""
        if not code.strip() or msg_id is None:
            return self._prompt(self.count, gap=False)
        self.mode = "executing"
        self.exec_id = msg_id
        self._complete_id = None
        self._reply = None
        self._idle_seen = False
        self.recorder.begin(msg_id, code)
        self.outputs.new_cell()
        return self._set_state("busy")

    def complete_timed_out(self, msg_id: str) -> bool:
        """Enter's is_complete went unanswered: True if the input should run now."""
        if self._complete_id == msg_id and self.mode in ("prompt", "executing"):
            self._complete_id = None
            return True
        return False

    def queue_code(self, code: str) -> None:
        """Code to run at the next prompt (after what is queued already)."""
        self._queued.append(code)

    def has_queued(self) -> bool:
        return bool(self._queued)

    def next_queued(self) -> str | None:
        """The oldest queued code, taken off the queue; None when there is none."""
        return self._queued.pop(0) if self._queued else None

    def complete_sent(self, msg_id: str) -> None:
        """Enter asked the kernel whether the input is complete (request ``msg_id``)."""
        self._complete_id = msg_id

    def complete_dropped(self) -> None:
        """The input runs without the is_complete answer (Shift+Enter): a late one is ignored."""
        self._complete_id = None

    def awaiting_complete(self) -> bool:
        return self._complete_id is not None

    def input_sent(self) -> None:
        self.awaiting_input = False

    def restart_requested(self, start_server: bool = False) -> Actions:
        """Restart (or reconnect); ``start_server``: the Hub server first, then a new kernel."""
        owned = self.owns_kernel or start_server
        text = "Restarting kernel…" if owned else "Reconnecting…"
        out: Actions = [act.Notice("Starting the server again…" if start_server else text)]
        out += self._set_state("starting", "restarting" if owned else "reconnecting")
        out += self._abandon()
        self.mode = "starting"
        return out

    def closed(self) -> Actions:
        """We stopped listening (shutdown, exit)."""
        self.mode = "dead"
        return self._abandon() + self._set_state("dead", "closed")

    def named(self, display_name: str, kernel_name: str | None) -> None:
        """The connection knows the kernel's names now (a server may have named it)."""
        self.record.display_name = display_name
        self.record.kernel_name = kernel_name or self.record.kernel_name

    def awaiting_reply(self) -> bool:
        return self.mode in ("executing", "starting") or self._complete_id is not None
