"""The console widget: a prompt, an editable input after it, output above.

It is an adapter: the conversation with the kernel (prompts, counts, the
execute/reply/idle join, stdin, display ids...) is ``ConversationModel``,
which turns each message into actions.  Every action of a kernel message
goes through the writer's ordered, time-budgeted queue (``_enqueue``):
stream text as text to draw in steps, the rest as calls of ``_draw`` (the
table from action type to drawing method), comm effects on widget views
included.  It speaks to the kernel only through a ``Connection`` and the
messages the shared pump hands it.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import TYPE_CHECKING, Any

from ..models import actions as act
from ..models.connection import Connection, ServerStarter
from ..models.conversation import ConversationModel, KernelState
from ..models.ownership import is_exit_command
from ..models.record import SessionRecord
from ..models.settings import Settings, load_settings
from ..models.subshells import shell_for, waits_for_main
from .bindings import unbind_classes
from .guarded_text import INPUT, GuardedText
from .pump import pump_for

if TYPE_CHECKING:
    from .debug.controller import Debugger
    from .enter import EnterKey
    from .input.editing import Editing
    from .next_input import NextInput
    from .output.textstyles import TagPool
    from .output.writer import OutputWriter
    from .stdin import StdinField
    from .usage_poll import UsagePoller
    from .widgets.host import WidgetHost

OUT = "out"  # the output mark (ui/output/writer.py's OUT; kept equal by a test)

BUSY_NOTE = "kernel busy: the answer comes when the running cell ends"
PROMPT = "prompt"  # mark: start of the current prompt line (right gravity)
BUILTIN_THEMES = {"default", "clam", "alt", "classic", "vista", "xpnative", "winnative", "aqua"}


class Console(ttk.Frame):
    """A Jupyter console on any connection; see ``ConsoleWidget`` for embedding."""

    # built by _build / _bind_keys, whose modules load then (see _build)
    writer: OutputWriter
    editing: Editing
    enter: EnterKey
    stdin: StdinField
    widgets: WidgetHost
    tags: TagPool  # made by the first _apply_theme
    usage_poll: UsagePoller
    next_input: NextInput
    debugger: Debugger

    def __init__(
        self,
        master: tk.Misc,
        connection: Connection,
        settings: Settings | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(master, **kwargs)
        self.conn = connection
        self.settings = settings if settings is not None else load_settings()
        self.model = ConversationModel(
            connection.session_id,
            connection.owns_kernel,
            kernel_name=connection.kernel_name or "",
            display_name=connection.display_name,
        )
        self._carry = ""  # input typed at a prompt the kernel took away
        self._buttons: list[ttk.Button] = []  # Restart/Reconnect offers in the scrollback
        self._timers: set[str] = set()
        self._failed = False
        # How an action of a kernel message enters the writer's queue; any
        # other is drawn by ``_draw`` when its turn comes (one call per message).
        self._enqueue: dict[type, Callable[[Any], None]] = {
            act.Stream: lambda a: self.writer.enqueue_stream(a.name, a.text),
            act.SqueezeBacklog: lambda _a: self.writer.squeeze_backlog(),  # jumps the queue
        }
        self._draw: dict[type, Callable[[Any], None]] = {
            act.Result: lambda a: self.writer.result(a.count, a.data, a.metadata),
            act.Display: lambda a: self.writer.display(a.data, a.metadata, a.display_id),
            act.UpdateDisplay: lambda a: self.writer.update_display(
                a.display_id, a.data, a.metadata
            ),
            act.ClearOutput: lambda _a: self.writer.clear(),
            act.Error: lambda a: self.writer.error(a.traceback),
            act.StatusChanged: self._status_changed,
            act.Prompt: lambda a: self._show_prompt(a.count, a.gap),
            act.ClearPrompt: lambda _a: self.clear_prompt(),
            act.Notice: lambda a: self._notice(a.text, a.tag, a.button, a.offers),
            act.Ready: self._ready,
            act.InputRequest: self._input_request,
            act.EndInput: self._end_input,
            act.CompleteAnswer: lambda a: self.enter.answered(a.incomplete, a.indent),
            act.Page: lambda a: self.editing.pager.show(a.text),
            act.SetNextInput: lambda a: setattr(self, "_carry", a.text),
            act.AskExit: lambda a: self.later(0, self._ask_exit, a.keep_kernel),
            act.ProbeCount: lambda _a: self.model.probe_sent(self.conn.execute("", silent=True)),
            act.EditorReply: self._editor_reply,
            act.UsageChanged: lambda _a: self.usage_poll.answered(),
            act.WidgetViews: self._widget_views,
        }
        self._build()
        from .exit_guard import ask_unless_ours

        self.exit_guard = ask_unless_ours(self)  # the app window puts its own here
        self.pump = pump_for(self, connection.queue)
        self.pump.register(connection, self)
        self.bind("<Destroy>", self._on_destroy, add="+")
        name = connection.display_name  # attaching to a kernel that runs already: say so
        starting = "Starting kernel…" if connection.owns_kernel else f"Connecting to {name}…"
        self._starting_line = starting
        self.writer.insert_plain(starting + "\n", ("notice",))
        for warning in self.editing.warnings:  # broken settings, unusable history file...
            self._notice(warning, "stderr")
        connection.start()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        # The drawing, editing and widget modules load here, not at import:
        # an embedding program has started the kernel by now, so their
        # import overlaps its boot instead of delaying it.
        from .debug.controller import Debugger
        from .next_input import NextInput
        from .output.jump import JumpToBottom
        from .output.writer import OutputWriter
        from .stdin import StdinField
        from .usage_poll import UsagePoller
        from .widgets.host import WidgetHost

        self.font = tkfont.Font(self, font=tkfont.nametofont("TkFixedFont"))
        self.font.configure(size=self.settings.font.size)
        if self.settings.font.family:
            self.font.configure(family=self.settings.font.family)
        self.text = GuardedText(
            self, wrap="char", undo=True, font=self.font, borderwidth=0,
            highlightthickness=0, padx=6, pady=4,
        )  # fmt: skip
        bar = ttk.Scrollbar(self, orient="vertical", command=self.text.yview)
        self.jump = JumpToBottom(self.text, bar)
        bar.pack(side="right", fill="y")
        self.text.pack(side="left", fill="both", expand=True)
        self.text.mark_set(PROMPT, "end-1c")
        self.text.mark_gravity(PROMPT, "right")
        self._apply_theme()
        output = self.settings.output
        self.widgets = WidgetHost(self.text, self.conn)  # ipywidgets: comms and Output capture
        self.model.comms = self.widgets.manager
        self.writer = OutputWriter(
            self.text,
            self.tags,
            self.font,
            scrollback=output.scrollback_lines,
            fold_at=output.fold_threshold,
            squeeze_at=output.squeeze_lines,
            widgets=self.widgets,
            prefer_plain_tables=output.prefer_plain_tables,
        )
        self.writer.rich.set_dark(self.dark)
        self.stdin = StdinField(self.text, self._send_input)
        self.next_input = NextInput(self)
        self.usage_poll = UsagePoller(
            self,
            self.settings.kernel.usage_interval,
            ask=lambda: self.conn.request("control", "usage_request", {}),
            kernel_up=lambda: self.model.kernel_state in ("idle", "busy"),
            kernel_busy=self.main_busy,
        )
        self.debugger = Debugger(self, self)  # the variables pane and debugger (ui/debug)
        self._bind_keys()
        self.bind("<<ThemeChanged>>", lambda _e: self._apply_theme(), add="+")

    def _apply_theme(self) -> None:
        bg, fg = _theme_colours(ttk.Style())
        dark = self.dark = _is_dark(bg)
        self.text.configure(background=bg, foreground=fg, insertbackground=fg)
        accent = "#58a6ff" if dark else "#0550ae"
        self.text.tag_configure("prompt", foreground=accent)
        self.text.tag_configure("out-prompt", foreground="#ff7b72" if dark else "#b42318")
        self.text.tag_configure("stderr", foreground="#ffa657" if dark else "#9a3412")
        # notices and the banner wrap at words (code wraps at characters)
        self.text.tag_configure("notice", foreground="#8b949e" if dark else "#57606a", wrap="word")
        if hasattr(self, "tags"):
            self.tags.set_dark(dark)
            self.writer.rich.set_dark(dark)
        else:
            from .output.textstyles import TagPool

            self.tags = TagPool(self.text, self.font, dark)

    def _bind_keys(self) -> None:
        from .enter import EnterKey
        from .input.editing import Editing

        self.enter = EnterKey(self)  # is_complete, typing ahead
        self.editing = Editing(self, self)  # highlighting, completion, history, the key table
        self.editing.bind_keys(
            {
                "execute": self.enter.on_return,
                "execute-now": self.enter.on_shift_return,
                "interrupt": self._on_ctrl_c,
                "restart": self._on_restart_key,
                **self.debugger.key_actions(),
            }
        )

    # ------------------------------------------------------------------ public API
    def execute(self, code: str) -> None:
        """Run ``code`` as if typed at the prompt and executed; queued while busy."""
        if self.at_prompt() and not self.model.has_queued():
            self._set_input(code)
            self.run_input(code)
        else:
            self.model.queue_code(code)

    def transcript(self, continuation_prompts: bool = False) -> str:
        """The plain text the console shows, prompts included; the ``...:`` of
        continuation lines (drawn beside the text, not in it) only when asked,
        as saved transcripts want them."""
        if continuation_prompts:
            return self.editing.margin.shown_text("1.0", "end-1c")
        return self.text.get("1.0", "end-1c")

    def interrupt(self) -> None:
        self.debugger.interrupted()
        self.conn.interrupt()

    def show_variables(self, show: bool = True) -> None:
        """The variables pane beside the console (View → Variables)."""
        self.debugger.show_variables(show)

    def refresh_variables(self) -> None:
        """Ask the kernel for its variables again (answered also while a cell runs)."""
        self.debugger.refresh_variables()

    def variables(self) -> list[tuple[str, str, str]]:
        """Every top-level row of the last answer: (name, type, value) strings."""
        return self.debugger.variables()

    def restart(self) -> None:
        """Restart a kernel we launched, or reconnect to one we did not."""
        self._draw_all(self.model.restart_requested())
        self.conn.restart()

    def start_again(self) -> None:
        """A Hub server that stopped: start it, and a new kernel on it."""
        if isinstance(self.conn, ServerStarter):  # only such a connection offers it
            self._draw_all(self.model.restart_requested(start_server=True))
            self.conn.start_again()

    def shutdown(self, keep_kernel: bool = False) -> None:
        """Stop the kernel we launched (or just disconnect) and stop receiving.

        ``keep_kernel`` leaves even a kernel we launched running.
        """
        self.debugger.close()  # a kernel left running is not left stopped at a breakpoint
        self.pump.unregister(self.conn)
        self.usage_poll.stop()
        if keep_kernel:
            self.conn.shutdown(keep_kernel=True)
        else:
            self.conn.shutdown()
        self._draw_all(self.model.closed())

    def is_idle(self) -> bool:
        """At a prompt with nothing queued: what ``--exit-after`` waits for."""
        return self.at_prompt() and not self.model.has_queued() and not self.writer.pending()

    @property
    def prompt_number(self) -> int:
        """The number of the current (or next) ``In [n]:`` prompt."""
        return self.model.count

    @property
    def record(self) -> SessionRecord:
        """Every cell run here with its outputs (nbformat v4 dicts) and the widgets'
        state as of now: what exporters read."""
        self.widgets.manager.save_into(self.model.record)
        return self.model.record

    @property
    def kernel_state(self) -> KernelState:
        return self.model.kernel_state

    @property
    def connection_state(self) -> str:
        return self.model.connection_state

    @property
    def language_info(self) -> dict:
        return self.model.language_info

    @property
    def kernel_info(self) -> dict:
        """The kernel's kernel_info_reply (Help → About)."""
        return self.model.kernel_info

    @property
    def kernel_usage(self) -> dict | None:
        """The kernel's last ``usage_reply`` content (CPU, memory; None: no answer yet)."""
        return self.model.usage.last

    @property
    def kernel_features(self) -> list[str]:
        """What the kernel said it can do (``supported_features`` and the like)."""
        return self.conn.features.listed()

    @property
    def errors(self) -> int:
        """Inputs that raised (``--exit-after``'s status)."""
        return self.model.errors

    @property
    def include_other_output(self) -> bool:
        """Show other clients' output on a shared kernel (QtConsole's option; View menu)."""
        return self.model.include_other_output

    @include_other_output.setter
    def include_other_output(self, value: bool) -> None:
        self.model.include_other_output = value

    def is_failed(self) -> bool:
        """The kernel could not be started or reached and nothing will retry."""
        return self.model.mode == "dead" and self.connection_state in ("failed", "dead")

    def failure(self) -> str | None:
        """Why the kernel could not be started or reached (one line), if it could not."""
        return self.model.failure if self.is_failed() else None

    def status(self) -> tuple[str, KernelState, str]:
        """(kernel name, kernel state, connection state) for a status bar."""
        return (self.conn.display_name, *self.model.status())

    # ------------------------------------------------------------------ pump side
    def receive(self, channel: str, msg: dict) -> None:
        """Let the model read the message now; draw what it says in order."""
        if self.debugger.receive(channel, msg):
            return  # debug replies and events (ui/debug/controller.py)
        batch: list[act.Action] = []  # one message's actions: drawn in one step
        for action in self.model.receive(channel, msg):
            enqueue = self._enqueue.get(type(action))
            if enqueue is None:
                batch.append(action)
                continue
            if batch:
                self.writer.enqueue_call(self._draw_all, batch)
                batch = []
            enqueue(action)
        if batch:
            self.writer.enqueue_call(self._draw_all, batch)

    def render(self, deadline: float) -> bool:
        return self.writer.render(deadline)

    def awaiting_reply(self) -> bool:
        busy = self.model.awaiting_reply() or self.editing.awaiting_reply()
        return busy or self.debugger.awaiting_reply()

    def failed(self, exc: BaseException) -> None:
        """The pump caught ``exc`` from us (logged there): say so, once."""
        if not self._failed:
            self._failed = True
            self._notice(f"Internal error while showing output (details in the log): {exc!r}")

    def _draw_one(self, action: act.Action) -> None:
        self._draw[type(action)](action)

    def _draw_all(self, actions: list[act.Action]) -> None:
        for action in actions:
            self._draw_one(action)

    # ----------------------------------------------------------- drawing actions
    def _status_changed(self, _action: act.StatusChanged) -> None:
        if self.model.connection_state == "connected":
            self._retire_buttons()  # the kernel is back: old offers would mislead
        self.event_generate("<<ConsoleStatus>>", when="tail")

    def _retire_buttons(self) -> None:
        for button in self._buttons:
            if button.winfo_exists():
                button.state(["disabled"])
        self._buttons.clear()

    def _ready(self, action: act.Ready) -> None:
        self.model.named(self.conn.display_name, self.conn.kernel_name)
        self.editing.on_ready()
        self.usage_poll.start()
        if action.restarted:
            self.widgets.manager.reset()  # the old kernel's widgets are gone
        if action.first and self.transcript().startswith(self._starting_line):
            self.text.erase("1.0", "2.0")
            banner = action.banner.rstrip()
            if banner:
                self.writer.insert_plain(banner + "\n", ("notice",))

    def _widget_views(self, action: act.WidgetViews) -> None:
        for call in action.calls:  # each guarded by the widget manager
            call()

    def _editor_reply(self, action: act.EditorReply) -> None:
        if self.next_input.on_reply(action.msg_type, action.content, action.msg):
            return
        handler = self.editing.handlers.get(action.msg_type)
        if handler is not None:
            handler(action.content, action.msg)

    def _ask_exit(self, keep_kernel: bool) -> None:
        """A kernel we did not start is not ours to end: ask (ui/exit_dialog)."""
        if not self.conn.owns_kernel and not keep_kernel:
            from .dialogs.exit import CANCEL, SHUT_DOWN, ask_exit_action

            action = ask_exit_action(self, self.conn.display_name)
            if action == CANCEL:
                return
            if action == SHUT_DOWN:
                self.conn.request("control", "shutdown_request", {"restart": False})
            keep_kernel = action != SHUT_DOWN
        self.leave(keep_kernel)

    def leave(self, keep_kernel: bool) -> None:
        """``exit`` / ``quit`` in the kernel: stop, and tell whoever holds us (a window closes)."""
        self.clear_prompt()
        self.shutdown(keep_kernel=keep_kernel)
        self._notice("Kernel left running." if keep_kernel else "Kernel shut down.")
        self.event_generate("<<ConsoleExit>>", when="tail")

    def _input_request(self, action: act.InputRequest) -> None:
        self.next_input.close()  # the answer is typed at the end of the text; it comes back
        self.writer.insert_plain(action.prompt, ("stdout",))
        self.stdin.begin(action.password)

    def _end_input(self, _action: act.EndInput | None = None) -> None:
        self.stdin.end()
        self.next_input.open()

    def _send_input(self, value: str) -> None:
        self.model.input_sent()
        self.conn.input(value)
        self.pump.expect_reply()
        self.next_input.open()

    @property
    def _stdin(self) -> dict | None:
        """What the kernel's input() waits on (None: nothing)."""
        return self.stdin.state

    # ----------------------------------------------------------- prompt & input
    def stdin_pending(self) -> bool:
        return self._stdin is not None

    def send_request(self, msg_type: str, content: dict) -> str:
        """A shell request for the editing helpers (on the subshell while the
        kernel is busy, see models/subshells.py); the pump polls fast for its reply."""
        busy, subshell = self.main_busy(), self.conn.subshell_id
        msg_id = self.conn.request(
            "shell", msg_type, content, subshell_id=shell_for(msg_type, busy, subshell)
        )
        self.pump.expect_reply()
        if waits_for_main(msg_type, busy, subshell):  # say why nothing happens yet
            self.editing.calltip.note(BUSY_NOTE)
        return msg_id

    def main_busy(self) -> bool:
        """The kernel's main shell is running a cell (ours or another client's)."""
        return self.model.mode == "executing" or self.model.kernel_state == "busy"

    def notice(
        self, text: str, tag: str = "notice", button: tuple[str, Callable[[], Any]] | None = None
    ) -> None:
        """A line of our own; ``button``: (label, command) shown at its end."""
        if button is None:
            self._notice(text, tag)
        else:
            self._notice(text, tag, button[0], command=button[1])

    def derived_fonts(self) -> list[tkfont.Font]:
        return list(self.tags.fonts.values())

    def at_prompt(self) -> bool:
        """A prompt is drawn and editable (the model may already be ahead of it)."""
        return self.model.mode == "prompt" and self._stdin is None and self.text.editable

    def _show_prompt(self, count: int, gap: bool = True) -> None:
        """A new prompt; ``gap`` puts a blank line (part of the prompt) above it."""
        if self.model.mode != "prompt":
            return  # the kernel went while this waited to be drawn
        self.next_input.close()  # what was typed below the cell moves up here
        self.draw_prompt(f"In [{count}]: ", gap)
        self.next_input.restore_cursor()
        self.editing.on_prompt()
        self.event_generate("<<ConsolePrompt>>", when="tail")
        code = self.model.next_queued()
        if code is not None:
            self._carry = self.text.input_text()  # typed, not queued: the next input keeps it
            self._set_input(code)
            self.run_input(code)
        else:
            self.enter.replay()

    def drop_carry(self) -> None:
        """Forget the input kept for the next prompt (it was queued to run instead)."""
        self._carry = ""

    def draw_prompt(self, label: str, gap: bool) -> None:
        """The prompt line at the end, holding any carried input; output goes above it."""
        follow = self.text.yview()[1] >= 0.999  # a reader scrolled up stays put
        self.writer.prompt_kept()
        self.text.mark_set(OUT, "end-1c")
        self.writer.ensure_newline()
        start = self.text.index("end-1c")
        if gap and self.text.compare(start, ">", "1.0"):
            self.text.write("end-1c", "\n")
        self.text.write("end-1c", label, ("prompt",))
        self.text.mark_set(PROMPT, start)
        self.text.mark_set(OUT, start)
        self.text.mark_set(INPUT, "end-1c")
        self.writer.prompt_drawn()
        self.text.editable = True
        carry, self._carry = self._carry, ""
        if carry:
            self.text.write("end-1c", carry)
        self.text.mark_set("insert", "end-1c")
        if follow:
            self.text.see("end")

    def clear_prompt(self) -> None:
        """Take the prompt line away, keeping what was typed for the next one."""
        if self.writer.above_prompt():
            self._carry = self._carry or self.text.input_text()
            self.text.erase(PROMPT, "end-1c")
            self.writer.prompt_removed()
        self.text.editable = False
        self.text.mark_set(OUT, "end-1c")

    def _set_input(self, code: str) -> None:
        self.text.erase(INPUT, "end-1c")
        self.text.write(INPUT, code)

    def run_input(self, code: str) -> None:
        """Execute ``code``, which the input line holds (the Enter key's end)."""
        if is_exit_command(code) and self.exit_guard(code):
            return  # asked first (ui/exit_guard.py); the input waits at the prompt
        if code.strip() and self.debugger.holds(
            self.model.count, code, lambda: self.run_input(code)
        ):
            self.text.editable = False  # its breakpoints go first (the debugger's gate)
            return
        self.widgets.manager.flush()  # a slider moved just now reaches the kernel first
        # the request goes first: the kernel works while we draw
        msg_id = self.conn.execute(code) if code.strip() else None
        self.editing.on_execute(code)  # final highlighting, history
        self.text.editable = False
        self.writer.prompt_kept()
        self.text.write("end-1c", "\n")
        self.text.mark_set(OUT, "end-1c")
        self.text.see("end")
        if msg_id is not None:
            self.writer.begin_cell()
            self.pump.expect_reply()
        self._draw_all(self.model.execute(code, msg_id))
        self.next_input.open()  # typing goes on below the running cell

    def submit_input(self, code: str) -> None:
        """Enter's end: run ``code`` now at a prompt; below a running cell, queue it."""
        if self.next_input.is_open() and self.debugger.state == "stopped" and code.strip():
            self.editing.replace_input("")  # stopped: evaluated in the selected frame
            self.debugger.evaluate(code)
        elif self.next_input.is_open():
            self.next_input.submit(code)
        else:
            self.run_input(code)

    def input_open(self) -> bool:
        """Code can be typed now: at a prompt, or below a running cell."""
        return self.at_prompt() or self.next_input.editable()

    # ----------------------------------------------------------- keys
    def _on_restart_key(self, _event: tk.Event) -> str:
        self.restart()
        return "break"

    def _on_ctrl_c(self, _event: tk.Event) -> str:
        if self.text.tag_ranges("sel"):
            self.text.event_generate("<<Copy>>")
        else:
            self.interrupt()
        return "break"

    # ----------------------------------------------------------- helpers
    def _notice(
        self, line: str, tag: str = "notice", button: str | None = None, offers: tuple = (),
        command: Callable[[], Any] | None = None,
    ) -> None:  # fmt: skip
        """A line of our own in the scrollback; ``button`` offers ``command`` (restart()),
        ``offers`` more."""
        self.writer.ensure_newline()
        self.writer.insert_plain(line, (tag,))
        commands = {"start_again": self.start_again, "reconnect": self.restart}
        buttons = [(button, command or self.restart, "")] if button is not None else []
        buttons += [(act.OFFERS[name], commands[name], " ") for name in offers]
        for label, command, gap in buttons:
            if gap:
                self.writer.insert_plain(gap, (tag,))
            widget = ttk.Button(self.text, text=label, command=command)
            self.text.window_create(OUT, window=widget)
            self._buttons.append(widget)
        self.writer.insert_plain("\n", (tag,))
        self.text.see("end")

    def later(self, ms: int, fn: Callable[..., Any], *args: Any) -> None:
        """``after`` that destroy() cancels (an embedded console leaves no timers)."""

        def run() -> None:
            self._timers.discard(job)
            fn(*args)

        job = self.after(ms, run)
        self._timers.add(job)

    def _on_destroy(self, event: tk.Event) -> None:
        if event.widget is not self:
            return
        if self.conn in self.pump.receivers:
            self.shutdown()
        for job in self._timers:
            self.after_cancel(job)
        self._timers.clear()
        from .enter import DEFER_TAG

        t = self.text  # the per-console binding classes (see _bind_keys, Editing)
        unbind_classes(self, [f"{DEFER_TAG}{t}", f"TkconsolePre{t}", f"TkconsolePost{t}"])


def _theme_colours(style: ttk.Style) -> tuple[str, str]:
    """Background and text colours of the ttk theme (ttkbootstrap's light or dark).

    Tk's own themes are grey: the console stays black on white in them.
    """
    if style.theme_use() in BUILTIN_THEMES:
        return "#ffffff", "#000000"
    background = style.lookup(".", "background") or "#ffffff"
    return background, style.lookup(".", "foreground") or "#000000"


def _is_dark(colour: str) -> bool:
    colour = colour.lstrip("#")
    if len(colour) != 6:
        return False
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128
