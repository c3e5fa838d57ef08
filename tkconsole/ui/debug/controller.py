"""``console.debugger``: the embedding API, and the wiring of the debug model to its views.

The console hands over the messages that are the debugger's (through one
table: ``debug_reply`` on control, ``debug_event`` on iopub, and a look at
``ready`` for the kernel's features and restarts); the ``DebugSession``
model turns them into effects, drawn here through another table.  Requests
go out on the control channel, so the variables are answered while a cell
runs.  The views (sidebar, margin) are built the first time they show.
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from ...models import messages as m
from ...models.debug import effects as fx
from ...models.debug.session import DebugSession
from ...models.features import KernelFeatures

if TYPE_CHECKING:
    from .margin import BreakpointMargin
    from .sidebar import DebugSidebar

log = logging.getLogger(__name__)

HOLD_LIMIT_MS = 3000  # an execute waits this long at most for its breakpoints
TAB_MARKS = {"off": "", "running": " · debugging", "stopped": " · stopped"}


class DebugHost(Protocol):
    """What the debugger needs of its console (``ui.console.Console``, which makes it)."""

    conn: Any  # models.connection.Connection: request() on the control channel
    pump: Any  # expect_reply() after a request
    writer: Any  # display() and enqueue_stream(): rich views and evaluated results
    jump: Any  # its scrollbar: the pane docks beyond it
    dark: bool

    @property
    def text(self) -> tk.Text: ...

    @property
    def prompt_number(self) -> int: ...

    def at_prompt(self) -> bool: ...

    def notice(self, text: str, tag: str = "notice") -> None: ...


class Debugger:
    """What a host program drives (``console.debugger``); see docs/debugger.md."""

    def __init__(self, console: DebugHost, widget: tk.Misc) -> None:
        """``widget`` is the console as a Tk widget: the pane docks in it, and its
        <<ConsolePrompt>> and <<ConsoleStatus>> events are the ones listened to."""
        self.console = console
        self.widget = widget
        self.session = DebugSession(self._send, console.conn.kernel_name or "python")
        self.sidebar: DebugSidebar | None = None
        self.margin: BreakpointMargin | None = None
        self._features_known = False
        self._held: Callable[[], None] | None = None
        self._releasing = False
        self._receivers: dict[tuple[str, str], Callable[[dict, dict], bool]] = {
            ("control", "debug_reply"): self._on_reply,
            ("iopub", "debug_event"): self._on_event,
            ("events", "ready"): self._on_ready,
        }
        self._draw: dict[type, Callable[[Any], None]] = {
            fx.Changed: self._changed,
            fx.VariablesArrived: self._variables_arrived,
            fx.RichArrived: lambda e: console.writer.display(e.data, e.metadata, None),
            fx.Evaluated: self._evaluated,
            fx.SourceArrived: self._source_arrived,
            fx.Notice: lambda e: console.notice(e.text),
            fx.Released: lambda _e: self._release(),
        }
        widget.bind("<<ConsolePrompt>>", lambda _e: self._after_cell(), add="+")
        widget.bind("<<ThemeChanged>>", lambda _e: self._theme_changed(), add="+")

    # ------------------------------------------------------------ the embedding API
    @property
    def available(self) -> bool:
        return self.session.available

    @property
    def state(self) -> str:
        return self.session.state

    def start(self) -> None:
        self.show_variables(True)
        self._apply(self.session.start())

    def stop(self) -> None:
        self._apply(self.session.stop())

    def toggle(self) -> None:
        """Kernel → Debug: on if off, off if on."""
        if self.state == "off":
            self.start()
        else:
            self.stop()

    def close(self) -> None:
        """The console shuts down (its widgets may be going): the kernel is told to
        let go of any breakpoint, nothing is drawn."""
        self.session.stop()

    def toggle_breakpoint(self, cell: int, line: int) -> bool:
        now_set, effects = self.session.toggle_breakpoint(cell, line)
        self._apply(effects)
        return now_set

    @property
    def breakpoints(self) -> dict[int, list[int]]:
        return self.session.breakpoint_table()

    @property
    def stopped_at(self) -> tuple[int | str, int] | None:
        return self.session.stopped_at()

    @property
    def frames(self) -> list[tuple[str, int | str, int]]:
        return self.session.frame_list()

    def step(self, kind: str = "over") -> None:
        """``kind``: "over", "in", "out" or "continue"."""
        self._apply(self.session.step(kind))

    def select_frame(self, index: int) -> None:
        self._apply(self.session.select_frame(index))

    def evaluate(self, expression: str) -> None:
        """Evaluate in the selected frame; the result shows in the console."""
        self._apply(self.session.evaluate(expression))

    def set_exception_break(self, kind: str, on: bool) -> None:
        """Stop on "raised" or "uncaught" exceptions."""
        self._apply(self.session.set_exception_filter(kind, on))

    # ------------------------------------------------------------ the console's side
    def show_variables(self, show: bool = True) -> None:
        if show:
            sidebar = self._sidebar()
            if not sidebar.winfo_manager():
                sidebar.pack(side="right", fill="y", before=self.console.jump.scrollbar)
                self.refresh_variables()
        elif self.sidebar is not None:
            self.sidebar.pack_forget()

    def variables_shown(self) -> bool:
        return self.sidebar is not None and bool(self.sidebar.winfo_manager())

    def refresh_variables(self) -> None:
        if self._features_known and not self.available:
            self._sidebar().variables.say("This kernel has no debugger: no variables to show.")
        self._apply(self.session.refresh_variables())

    def variables(self) -> list[tuple[str, str, str]]:
        """Every top-level row of the last answer, as (name, type, value)."""
        return self.sidebar.variables.top.tuples() if self.sidebar is not None else []

    def receive(self, channel: str, msg: dict) -> bool:
        """A message from the pump: True when it was the debugger's alone."""
        try:
            msg_type, content, parent = m.envelope(msg)
        except m.Malformed:
            return False  # the conversation model reports it
        handler = self._receivers.get((channel, msg_type))
        return handler(content, parent) if handler is not None else False

    def holds(self, cell: int, code: str, proceed: Callable[[], None]) -> bool:
        """Before an execute: True when it must wait for breakpoints (``proceed`` runs later)."""
        if self._releasing:
            self._releasing = False
            return False
        if self.session.before_execute(cell, code):
            return False
        self._held = proceed
        self.widget.after(HOLD_LIMIT_MS, self._release)
        return True

    def interrupted(self) -> None:
        self.session.interrupted()

    def awaiting_reply(self) -> bool:
        return self.session.awaiting_reply()

    def key_actions(self) -> dict[str, Callable[[Any], str]]:
        """The key table's debugger actions, bound on the console's text."""

        def act(fn: Callable[[], None]) -> Callable[[Any], str]:
            def handler(_event: Any) -> str:
                fn()
                return "break"

            return handler

        return {
            "variables": act(lambda: self.show_variables(not self.variables_shown())),
            "debug": act(self.toggle),
            "debug-continue": act(lambda: self.step("continue")),
            "debug-step-over": act(lambda: self.step("over")),
            "debug-step-into": act(lambda: self.step("in")),
            "debug-step-out": act(lambda: self.step("out")),
            "debug-stop": act(self.stop),
        }

    # ------------------------------------------------------------ messages in
    def _on_reply(self, content: dict, parent: dict) -> bool:
        self._apply(self.session.on_reply(m.parent_id(parent), content))
        return True

    def _on_event(self, content: dict, _parent: dict) -> bool:
        self._apply(self.session.on_event(content))
        return True

    def _on_ready(self, content: dict, _parent: dict) -> bool:
        self._features_known = True
        self.session.set_available(
            KernelFeatures.from_kernel_info(content.get("kernel_info")).debugger
        )
        if content.get("restarted") is True:
            self._apply(self.session.kernel_restarted())
        if self.variables_shown():
            self.refresh_variables()
        return False  # the conversation model needs it too

    def _send(self, content: dict[str, Any]) -> str:
        msg_id = self.console.conn.request("control", "debug_request", content)
        self.console.pump.expect_reply()
        return msg_id

    # ------------------------------------------------------------ effects drawn
    def _apply(self, effects: list[fx.Effect]) -> None:
        for effect in effects:
            self._draw[type(effect)](effect)

    def _changed(self, effect: fx.Changed) -> None:
        if effect.part == "state":
            self._draw_state()
        elif effect.part == "breakpoints":
            margin = self._margin()
            margin.breakpoints = self.breakpoints
            margin.show(True)
            margin.redraw_soon()
        else:
            self._draw_frames()

    def _draw_state(self) -> None:
        on, stopped = self.state != "off", self.state == "stopped"
        if self.sidebar is not None:
            self.sidebar.show_debugging(on, stopped)
            self.sidebar.raised.set("raised" in self.session.exception_filters)
            self.sidebar.uncaught.set("uncaught" in self.session.exception_filters)
        self._margin().show(on or bool(self.breakpoints))
        self.widget.event_generate("<<ConsoleStatus>>", when="tail")  # the tab's mark

    def _draw_frames(self) -> None:
        where = self.stopped_at
        margin = self._margin()
        sidebar = self._sidebar()
        frames = [(name, _place(place), line) for name, place, line in self.frames]
        sidebar.show_frames([(n, f"{p}:{ln}") for n, p, ln in frames], self.session.frame_index)
        if where is None:
            margin.highlight(None)
            sidebar.show_source(None)
            sidebar.variables.say("")
            return
        place, line = where
        sidebar.variables.say(f"Stopped at {_place(place)}, line {line}")
        if isinstance(place, int) and margin.highlight(place, line):
            sidebar.show_source(None)
        else:
            margin.highlight(None)
            if isinstance(place, str) and place:
                self.session.request_source(place)

    def _variables_arrived(self, effect: fx.VariablesArrived) -> None:
        pane = self._sidebar().variables
        if effect.parent == 0:
            pane.load(effect.items)
        else:
            pane.children_arrived(effect.parent, effect.items)

    def _evaluated(self, effect: fx.Evaluated) -> None:
        if effect.error:
            self.console.writer.enqueue_stream("stderr", f"{effect.expression}: {effect.text}\n")
        else:
            shown = f"» {effect.expression}\n{effect.text}"  # one output: drawn in order
            self.console.writer.display({"text/plain": shown}, {}, None)

    def _source_arrived(self, effect: fx.SourceArrived) -> None:
        where = self.stopped_at
        if where is not None and where[0] == effect.path:
            self._sidebar().show_source(effect.text, where[1])

    def _release(self) -> None:
        proceed, self._held = self._held, None
        if proceed is not None:
            self._releasing = True
            proceed()

    def _theme_changed(self) -> None:
        """After the console's own colours (bound before us): the margin follows."""
        if self.margin is not None:
            self.margin.set_colours(self.console.text.cget("background"), self.console.dark)

    def _after_cell(self) -> None:
        """A cell finished (a new prompt): the pane shows what it changed."""
        if self.margin is not None:
            self.margin.redraw_soon()  # the cells moved up
        if self.variables_shown() and self.state != "stopped":
            self.refresh_variables()

    # ------------------------------------------------------------ views, built on first use
    def _sidebar(self) -> DebugSidebar:
        if self.sidebar is None:
            from .sidebar import DebugSidebar

            self.sidebar = DebugSidebar(
                self.widget,
                {
                    **{
                        kind: (lambda k=kind: self.step(k))
                        for kind in ("continue", "over", "in", "out")
                    },
                    "stop": self.stop,
                    "frame": self._frame_clicked,
                    "evaluate": self.evaluate,
                    "expand": self._expand,
                    "open": self.session.rich_inspect,
                    "exceptions": self.set_exception_break,
                },
            )
            self._draw_state()
        return self.sidebar

    def _margin(self) -> BreakpointMargin:
        if self.margin is None:
            from .margin import BreakpointMargin

            self.margin = BreakpointMargin(self.console.text, self._margin_click, self._cell_lines)
            self.margin.set_colours(self.console.text.cget("background"), self.console.dark)
        return self.margin

    def _frame_clicked(self, index: int) -> None:
        """A click in the stack; redrawing the list selects the shown frame again: no-op."""
        if index != self.session.frame_index:
            self.select_frame(index)

    def _expand(self, reference: int) -> bool:
        """A row was opened: its children come from the kernel's debugger, which
        answers them only while debugging is on (ipykernel)."""
        if self.state == "off":
            self._sidebar().variables.say("Turn debugging on (Kernel → Debug) to open values.")
            return False
        self.session.expand(reference)
        return True

    def _margin_click(self, cell: int, line: int) -> None:
        self.toggle_breakpoint(cell, line)

    def _cell_lines(self, cell: int) -> int | None:
        if cell == self.console.prompt_number and self.console.at_prompt():
            return None  # the input: any of its lines
        code = self.session.cells.code.get(cell)
        return code.count("\n") + 1 if code is not None else None

    def tab_mark(self) -> str:
        return TAB_MARKS.get(self.state, "")


def _place(place: int | str) -> str:
    if isinstance(place, int):
        return f"In [{place}]"
    return place.rsplit("/", 1)[-1] or "?"
