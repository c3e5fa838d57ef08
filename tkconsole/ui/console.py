"""The console widget: a prompt, an editable input after it, output above.

It speaks to a kernel only through a *connection* object (see
``tkconsole.kernel.connection.KernelConnection`` for the interface) and the
messages the shared pump hands it, so it never touches a socket.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from ..models.settings import Settings, load_settings
from .editing import Editing
from .guarded_text import INPUT, GuardedText
from .jump import JumpToBottom
from .output import OUT, OutputWriter
from .pump import pump_for
from .textstyles import TagPool

PROMPT = "prompt"  # mark: start of the current prompt line (right gravity)
COMPLETE_TIMEOUT_MS = 1000  # Enter executes if is_complete is not answered by then
DEFER_TAG = "TkconsoleDefer"
BUILTIN_THEMES = {"default", "clam", "alt", "classic", "vista", "xpnative", "winnative", "aqua"}
# Requests answered in a blink while the user types: not worth a "busy" in the status bar.
QUIET_REQUESTS = ("complete_request", "inspect_request", "history_request")


class Console(ttk.Frame):
    """A Jupyter console on any connection; see ``ConsoleWidget`` for embedding."""

    def __init__(
        self, master: tk.Misc, connection: Any, settings: Settings | None = None, **kwargs: Any
    ) -> None:
        super().__init__(master, **kwargs)
        self.conn = connection
        self.settings = settings if settings is not None else load_settings()
        self.kernel_state = "starting"  # idle | busy | starting | dead
        self.connection_state = "starting"  # connected | not responding | failed ...
        self.language_info: dict = {}
        self.kernel_info: dict = {}  # the kernel's kernel_info_reply (Help → About)
        self.errors = 0  # inputs that raised (``--exit-after``'s status)
        self.include_other_output = False  # QtConsole's include_other_output (View menu)
        self._mode = "starting"  # starting | prompt | executing | dead
        self._count = 1
        self._exec_id: str | None = None
        self._reply: dict | None = None
        self._idle_seen = False
        self._complete_id: str | None = None
        self._deferred: list[tuple[str, str, int]] = []
        self._count_probe: str | None = None
        self._queued: list[str] = []
        self._stdin: dict | None = None
        self._carry = ""  # input typed at a prompt the kernel took away
        self._build()
        self.pump = pump_for(self, connection.queue)
        self.pump.register(connection, self)
        self.bind("<Destroy>", self._on_destroy, add="+")
        self.writer.insert_plain("Starting kernel…\n", ("notice",))
        for warning in self.editing.warnings:  # broken settings, unusable history file...
            self._notice(warning, "stderr")
        connection.start()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
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
        self.writer = OutputWriter(
            self.text,
            self.tags,
            self.font,
            scrollback=output.scrollback_lines,
            fold_at=output.fold_threshold,
            squeeze_at=output.squeeze_lines,
        )
        self.writer.rich.set_dark(self.dark)
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
            self.tags = TagPool(self.text, self.font, dark)

    def _bind_keys(self) -> None:
        t = self.text
        # Keys typed while Enter awaits is_complete wait their turn, in order.
        defer = f"{DEFER_TAG}{t}"  # one tag per console: bind_class is process-wide
        t.bind_class(defer, "<KeyPress>", self._defer_key)
        t.bindtags((defer, *t.bindtags()))
        self.editing = Editing(self)  # highlighting, completion, history, the key table
        self.editing.bind_keys(
            {
                "execute": self._on_return,
                "execute-now": self._on_shift_return,
                "interrupt": self._on_ctrl_c,
                "restart": lambda _e: (self.restart(), "break")[1],
            }
        )

    # ------------------------------------------------------------------ public API
    def execute(self, code: str) -> None:
        """Run ``code`` as if typed at the prompt and executed; queued while busy."""
        if self._mode == "prompt" and not self._queued:
            self._set_input(code)
            self._execute(code)
        else:
            self._queued.append(code)

    def transcript(self) -> str:
        """The plain text the console shows, prompts included."""
        return self.text.get("1.0", "end-1c")

    def interrupt(self) -> None:
        self.conn.interrupt()

    def restart(self) -> None:
        """Restart a kernel we launched, or reconnect to one we did not."""
        owned = getattr(self.conn, "owns_kernel", True)
        self._notice("Restarting kernel…" if owned else "Reconnecting…")
        self._set_state("starting", "restarting" if owned else "reconnecting")
        self._abandon_execution()
        self._mode = "starting"
        self.conn.restart()

    def shutdown(self, keep_kernel: bool = False) -> None:
        """Stop the kernel we launched (or just disconnect) and stop receiving.

        ``keep_kernel`` leaves even a kernel we launched running.
        """
        self.pump.unregister(self.conn)
        if keep_kernel:
            self.conn.shutdown(keep_kernel=True)
        else:
            self.conn.shutdown()
        self._set_state("dead", "closed")

    def is_idle(self) -> bool:
        """At a prompt with nothing queued: what ``--exit-after`` waits for."""
        return self._mode == "prompt" and not self._queued and not self.writer.pending()

    @property
    def prompt_number(self) -> int:
        """The number of the current (or next) ``In [n]:`` prompt."""
        return self._count

    def is_failed(self) -> bool:
        """The kernel could not be started or reached and nothing will retry."""
        return self._mode == "dead" and self.connection_state in ("failed", "dead")

    def status(self) -> tuple[str, str, str]:
        """(kernel name, kernel state, connection state) for a status bar."""
        return (self.conn.display_name, self.kernel_state, self.connection_state)

    # ------------------------------------------------------------------ pump side
    def receive(self, channel: str, msg: dict) -> None:
        if channel == "iopub":
            others = msg["parent_header"].get("session") not in (None, self.conn.session_id)
            if others and not self.include_other_output:
                return  # another client's traffic on a shared kernel (View menu shows it)
            if msg["msg_type"] == "stream":
                content = msg["content"]
                self.writer.write(content.get("name", "stdout"), content.get("text", ""))
                return
        self.writer.call(self._handle, channel, msg)

    def render(self, deadline: float) -> bool:
        return self.writer.render(deadline)

    def awaiting_reply(self) -> bool:
        busy = self._mode in ("executing", "starting") or self._complete_id is not None
        return busy or self.editing.awaiting_reply()

    def _handle(self, channel: str, msg: dict) -> None:
        msg_type = msg["msg_type"]
        handler = getattr(self, f"_on_{msg_type}", None) or self.editing.handlers.get(msg_type)
        if handler is not None:
            handler(msg["content"], msg)

    # ----------------------------------------------------------- kernel messages
    def _on_status(self, content: dict, msg: dict) -> None:
        state = content.get("execution_state")
        quiet = msg["parent_header"].get("msg_type") in QUIET_REQUESTS
        if state in ("busy", "idle") and self._mode not in ("dead", "starting") and not quiet:
            self._set_state(state)
        if state == "idle" and msg["parent_header"].get("msg_id") == self._exec_id:
            self._idle_seen = True
            self._maybe_finish()

    def _on_execute_result(self, content: dict, _msg: dict) -> None:
        self.writer.result(
            content.get("execution_count"), content.get("data", {}), content.get("metadata", {})
        )

    def _on_display_data(self, content: dict, _msg: dict) -> None:
        display_id = (content.get("transient") or {}).get("display_id")
        self.writer.display(content.get("data", {}), content.get("metadata", {}), display_id)

    def _on_update_display_data(self, content: dict, _msg: dict) -> None:
        display_id = (content.get("transient") or {}).get("display_id")
        if display_id:
            data, metadata = content.get("data", {}), content.get("metadata", {})
            self.writer.update_display(display_id, data, metadata)

    def _on_clear_output(self, content: dict, _msg: dict) -> None:
        self.writer.clear(bool(content.get("wait")))

    def _on_error(self, content: dict, _msg: dict) -> None:
        self.errors += 1
        traceback = content.get("traceback") or [
            f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"
        ]
        self.writer.error(traceback)

    def _on_execute_reply(self, content: dict, msg: dict) -> None:
        parent = msg["parent_header"].get("msg_id")
        if parent == self._count_probe:
            self._count_probe = None
            self._show_prompt(content.get("execution_count", 0) + 1)
        elif parent == self._exec_id:
            self._reply = content
            for payload in content.get("payload", []):
                self._on_payload(payload)
            self._maybe_finish()

    def _on_payload(self, payload: dict) -> None:
        source = payload.get("source")
        if source == "page":  # obj?, obj??, %page: the pager, not the scrollback
            self.editing.pager.show(payload.get("data", {}).get("text/plain", ""))
        elif source == "set_next_input":
            self._carry = payload.get("text", "")
        elif source == "ask_exit":
            self.after_idle(self._ask_exit, bool(payload.get("keepkernel")))

    def _ask_exit(self, keep_kernel: bool) -> None:
        """A kernel we did not start is not ours to end: ask (ui/exit_dialog)."""
        if not getattr(self.conn, "owns_kernel", True) and not keep_kernel:
            from .exit_dialog import CANCEL, SHUT_DOWN, ask_exit_action

            action = ask_exit_action(self, self.conn.display_name)
            if action == CANCEL:
                return
            if action == SHUT_DOWN:
                self.conn.request("control", "shutdown_request", {"restart": False})
            keep_kernel = action != SHUT_DOWN
        self._exit(keep_kernel)

    def _exit(self, keep_kernel: bool) -> None:
        """``exit`` / ``quit`` in the kernel: stop, and tell whoever holds us (a window closes)."""
        self._clear_prompt()
        self.shutdown(keep_kernel=keep_kernel)
        self._mode = "dead"
        self._notice("Kernel left running." if keep_kernel else "Kernel shut down.")
        self.event_generate("<<ConsoleExit>>", when="tail")

    def _on_is_complete_reply(self, content: dict, msg: dict) -> None:
        if msg["parent_header"].get("msg_id") != self._complete_id:
            return
        self._complete_id = None
        if self._mode != "prompt":
            return
        if content.get("status") == "incomplete":
            indent = content.get("indent", "")
            self.text.insert("insert", "\n" + indent)
            self.text.see("insert")
        else:
            self._execute(self.text.input_text())
        self._replay_deferred()

    def _defer_key(self, event: tk.Event) -> str | None:
        """Buffer keys typed during is_complete or while a cell runs (type-ahead)."""
        waiting = self._complete_id is not None
        running = self._mode == "executing" and self._stdin is None
        if not (waiting or running) or event.state & 4 or not (event.char or waiting):
            return None
        self._deferred.append((event.keysym, event.char, event.state))
        return "break"

    def _replay_deferred(self) -> None:
        """Apply keys typed during the is_complete round trip, as typed."""
        while self._deferred and self._complete_id is None and self._mode == "prompt":
            keysym, char, state = self._deferred.pop(0)
            if keysym in ("Return", "KP_Enter"):
                (self._on_shift_return if state & 1 else self._on_return)(None)
            elif keysym == "BackSpace":
                self.text.delete("insert-1c")
            elif char and (char.isprintable() or char == "\t") and not state & 4:
                self.text.insert("insert", char)

    def _on_input_request(self, content: dict, _msg: dict) -> None:
        self.writer.insert_plain(content.get("prompt", ""), ("stdout",))
        self._begin_stdin(bool(content.get("password")))

    # ----------------------------------------------------------- life events
    def _on_ready(self, content: dict, _msg: dict) -> None:
        info = content.get("kernel_info", {})
        self.kernel_info = info
        self.language_info = info.get("language_info", {})
        self.editing.on_ready()
        restarted = content.get("restarted") or self._mode == "dead"
        self._set_state("idle", "connected")
        self._clear_prompt()
        self._abandon_execution()
        if restarted:
            self._notice("Kernel restarted." if self._mode != "dead" else "Kernel died, restarted.")
        elif self._mode == "starting" and self.text.get("1.0", "end-1c").startswith("Starting"):
            self.text.erase("1.0", "2.0")
            banner = info.get("banner", "").rstrip()
            if banner:
                self.writer.insert_plain(banner + "\n", ("notice",))
        if getattr(self.conn, "owns_kernel", True) or restarted:
            self._show_prompt(1)
        else:  # an existing kernel: ask where its count stands
            self._mode = "starting"
            self._count_probe = self.conn.execute("", silent=True)

    def _on_died(self, content: dict, _msg: dict) -> None:
        self._abandon_execution()
        self._mode = "dead"
        self._set_state("dead", "restarting" if content.get("restarting") else "dead")
        if content.get("message"):  # the transport knows why (a remote kernel vanished...)
            self._notice(content["message"])
        elif not content.get("restarting"):
            self._notice("Kernel died, and keeps dying. Press Ctrl+. to restart it.")

    def _on_not_responding(self, content: dict, _msg: dict) -> None:
        self._set_state(self.kernel_state, content.get("state", "not responding"))
        if content.get("message"):  # a transport that retries by itself says why
            self._notice(content["message"])
            return
        owned = getattr(self.conn, "owns_kernel", True)
        label = "Restart" if owned else "Reconnect"
        self._notice("The kernel is not responding. ", button=(label, self.restart))

    def _on_responding(self, _content: dict, _msg: dict) -> None:
        self._set_state(self.kernel_state, "connected")
        self._notice("The kernel is responding again.")

    def _on_start_failed(self, content: dict, _msg: dict) -> None:
        self._mode = "dead"
        self._set_state("dead", "failed")
        self._notice(f"Could not connect to the kernel: {content.get('message')}", "stderr")

    def _on_restart_failed(self, content: dict, msg: dict) -> None:
        self._mode = "dead"
        self._set_state("dead", "failed")
        self._notice(f"Restart failed: {content.get('message')}", "stderr")

    # ----------------------------------------------------------- prompt & input
    def _show_prompt(self, count: int, gap: bool = True) -> None:
        """A new prompt; ``gap`` puts a blank line (part of the prompt) above it."""
        self._count = count
        self._mode = "prompt"
        follow = self.text.yview()[1] >= 0.999  # a reader scrolled up stays put
        self.writer.before_prompt = False
        self.text.mark_set(OUT, "end-1c")
        self.writer.ensure_newline()
        start = self.text.index("end-1c")
        if gap and self.text.compare(start, ">", "1.0"):
            self.text.write("end-1c", "\n")
        self.text.write("end-1c", f"In [{count}]: ", ("prompt",))
        self.text.mark_set(PROMPT, start)
        self.text.mark_set(OUT, start)
        self.text.mark_set(INPUT, "end-1c")
        self.writer.before_prompt = True
        self.text.editable = True
        carry, self._carry = self._carry, ""
        if carry:
            self.text.write("end-1c", carry)
        self.text.mark_set("insert", "end-1c")
        if follow:
            self.text.see("end")
        self.editing.on_prompt()
        self.event_generate("<<ConsolePrompt>>", when="tail")
        if self._queued:
            code = self._queued.pop(0)
            self._set_input(code)
            self._execute(code)
        else:
            self._replay_deferred()

    def _clear_prompt(self) -> None:
        """Take the prompt line away, keeping what was typed for the next one."""
        if self.writer.before_prompt:
            self._carry = self._carry or self.text.input_text()
            self.text.erase(PROMPT, "end-1c")
            self.writer._drop_synthetic_newline()
        self.writer.before_prompt = False
        self.text.editable = False
        self.text.mark_set(OUT, "end-1c")

    def _set_input(self, code: str) -> None:
        self.text.erase(INPUT, "end-1c")
        self.text.write(INPUT, code)

    def _on_return(self, _event: tk.Event | None) -> str:
        if self._stdin is not None:
            self._submit_stdin()
        elif self._mode == "prompt" and self._complete_id is None:
            code = self.text.input_text()
            if not code.strip():
                self._execute(code)
            else:
                self._complete_id = self.conn.is_complete(code)
                self.pump.wake()
                self.after(COMPLETE_TIMEOUT_MS, self._complete_timeout, self._complete_id)
        return "break"

    def _complete_timeout(self, msg_id: str) -> None:
        if self._complete_id == msg_id and self._mode == "prompt":
            self._complete_id = None
            self._execute(self.text.input_text())
            self._replay_deferred()

    def _on_shift_return(self, _event: tk.Event | None) -> str:
        if self._stdin is not None:
            self._submit_stdin()
        elif self._mode == "prompt":
            self._complete_id = None
            self._execute(self.text.input_text())
        return "break"

    def _execute(self, code: str) -> None:
        if code.strip():  # the request goes first: the kernel works while we draw
            self._exec_id = self.conn.execute(code)
        self.editing.on_execute(code)  # final highlighting, history
        self.text.editable = False
        self.writer.before_prompt = False
        self.text.write("end-1c", "\n")
        self.text.mark_set(OUT, "end-1c")
        self.text.see("end")
        if not code.strip():
            self._show_prompt(self._count, gap=False)
            return
        self._mode = "executing"
        self.writer.begin_cell()
        self._reply = None
        self._idle_seen = False
        self._set_state("busy")
        self.pump.wake()

    def _maybe_finish(self) -> None:
        if self._mode == "executing" and self._reply is not None and self._idle_seen:
            self._end_stdin()
            self._exec_id = None
            count = self._reply.get("execution_count") or self._count
            self._show_prompt(count + 1)

    def _abandon_execution(self) -> None:
        self._end_stdin()
        self._exec_id = None
        self._complete_id = None
        self._count_probe = None

    # ----------------------------------------------------------- stdin
    def _begin_stdin(self, password: bool) -> None:
        if password:
            entry = ttk.Entry(self.text, show="•", width=24)
            index = self.text.index(OUT)
            self.text.window_create(OUT, window=entry)
            entry.bind("<Return>", lambda _e: (self._submit_stdin(), "break")[1])
            entry.bind("<KP_Enter>", lambda _e: (self._submit_stdin(), "break")[1])
            entry.focus_set()
            self._stdin = {"entry": entry, "index": index}
        else:
            self.text.mark_set(INPUT, "end-1c")
            self.text.editable = True
            self.text.mark_set("insert", "end-1c")
            self.text.focus_set()
            self._stdin = {"entry": None}
        self.text.see("end")

    def _submit_stdin(self) -> None:
        stdin = self._stdin
        if stdin is None:
            return
        value = stdin["entry"].get() if stdin["entry"] is not None else self.text.input_text()
        self._end_stdin()
        self.text.write("end-1c", "\n")
        self.text.mark_set(OUT, "end-1c")
        self.conn.input(value)
        self.pump.wake()

    def _end_stdin(self) -> None:
        stdin, self._stdin = self._stdin, None
        if stdin is None:
            return
        self.text.editable = False
        if stdin["entry"] is not None:
            self.text.erase(stdin["index"])
            stdin["entry"].destroy()
            self.text.focus_set()
        self.text.mark_set(OUT, "end-1c")

    # ----------------------------------------------------------- keys
    def _on_ctrl_c(self, _event: tk.Event) -> str:
        if self.text.tag_ranges("sel"):
            self.text.event_generate("<<Copy>>")
        else:
            self.interrupt()
        return "break"

    # ----------------------------------------------------------- helpers
    def _notice(self, line: str, tag: str = "notice", button: tuple | None = None) -> None:
        self.writer.ensure_newline()
        self.writer.insert_plain(line, (tag,))
        if button is not None:
            label, command = button
            widget = ttk.Button(self.text, text=label, command=command)
            self.text.window_create(OUT, window=widget)
        self.writer.insert_plain("\n", (tag,))
        self.text.see("end")

    def _set_state(self, kernel: str, connection: str | None = None) -> None:
        changed = kernel != self.kernel_state or (
            connection is not None and connection != self.connection_state
        )
        self.kernel_state = kernel
        if connection is not None:
            self.connection_state = connection
        if changed:
            self.event_generate("<<ConsoleStatus>>", when="tail")

    def _on_destroy(self, event: tk.Event) -> None:
        if event.widget is self and self.conn in self.pump.receivers:
            self.shutdown()


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
