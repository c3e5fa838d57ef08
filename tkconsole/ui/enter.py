"""Enter at the prompt: ask the kernel whether the input is complete, and
keep the keys typed meanwhile (or after Enter below a running cell, whose
input then waits read-only) to replay them in order.

Enter sends ``is_complete_request``; an "incomplete" answer adds a line with
the kernel's indent, anything else executes.  If the kernel does not answer
within ``COMPLETE_TIMEOUT_MS``, the input executes all the same.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .bindings import modifier_state

if TYPE_CHECKING:
    from ..models.conversation import ConversationModel
    from .guarded_text import GuardedText
    from .next_input import NextInput
    from .pump import MessagePump
    from .stdin import StdinField

COMPLETE_TIMEOUT_MS = 1000  # Enter executes if is_complete is not answered by then
DEFER_TAG = "TkconsoleDefer"


class EnterHost(Protocol):
    """What the Enter key asks of its console (``console.Console``, which
    imports this module: the key names only this)."""

    @property
    def text(self) -> GuardedText: ...

    @property
    def model(self) -> ConversationModel: ...

    @property
    def stdin(self) -> StdinField: ...

    @property
    def pump(self) -> MessagePump: ...

    @property
    def next_input(self) -> NextInput: ...

    def at_prompt(self) -> bool: ...

    def input_open(self) -> bool: ...

    def submit_input(self, code: str) -> None: ...

    def send_request(self, msg_type: str, content: dict[str, Any]) -> str: ...

    def run_input(self, code: str) -> None: ...

    def later(self, ms: int, fn: Callable[..., Any], *args: Any) -> None: ...


class EnterKey:
    def __init__(self, console: EnterHost) -> None:
        self.console = console
        self.text = console.text
        self.deferred: list[tuple[str, str, int]] = []  # (keysym, char, state)
        tag = f"{DEFER_TAG}{self.text}"  # one tag per console: bind_class is process-wide
        self.text.bind_class(tag, "<KeyPress>", self._defer_key)
        self.text.bindtags((tag, *self.text.bindtags()))

    def on_return(self, _event: tk.Event | None) -> str:
        console, model = self.console, self.console.model
        if console.stdin.state is not None:
            console.stdin.submit()
        elif console.input_open() and not model.awaiting_complete():
            code = self.text.input_text()
            if not code.strip():
                if console.at_prompt():  # a blank line below a running cell waits for text
                    console.run_input(code)
            else:
                msg_id = console.send_request("is_complete_request", {"code": code})
                model.complete_sent(msg_id)
                console.later(COMPLETE_TIMEOUT_MS, self._timed_out, msg_id)
        return "break"

    def on_shift_return(self, _event: tk.Event | None) -> str:
        console = self.console
        if console.stdin.state is not None:
            console.stdin.submit()
        elif console.input_open():
            console.model.complete_dropped()
            console.submit_input(self.text.input_text())
        return "break"

    def answered(self, incomplete: bool, indent: str) -> None:
        """The kernel's is_complete answer arrived (the model checked it is ours)."""
        if not self.console.input_open():
            return
        if incomplete:
            self.text.insert("insert", "\n" + indent)
            self.text.see("insert")
        else:
            self.console.submit_input(self.text.input_text())
        self.replay()

    def _timed_out(self, msg_id: str) -> None:
        if self.console.model.complete_timed_out(msg_id) and self.console.input_open():
            self.console.submit_input(self.text.input_text())
            self.replay()

    def _defer_key(self, event: tk.Event) -> str | None:
        """Buffer keys typed during is_complete or while a cell runs (type-ahead)."""
        model = self.console.model
        waiting = model.awaiting_complete()
        running = model.mode == "executing" and self.console.stdin.state is None
        running = running and not self.console.next_input.editable()  # typed there, shown
        state = modifier_state(event)
        if not (waiting or running) or state & 4 or not (event.char or waiting):
            return None
        self.deferred.append((event.keysym, event.char, state))
        return "break"

    def replay(self) -> None:
        """Apply keys typed during the is_complete round trip, as typed."""
        model = self.console.model
        while self.deferred and not model.awaiting_complete() and self.console.input_open():
            keysym, char, state = self.deferred.pop(0)
            if keysym in ("Return", "KP_Enter"):
                (self.on_shift_return if state & 1 else self.on_return)(None)
            elif keysym == "BackSpace":
                self.text.delete("insert-1c")
            elif char and (char.isprintable() or char == "\t") and not state & 4:
                self.text.insert("insert", char)
