"""Everything that makes typing in a console pleasant, wired to one console.

``Editing`` owns the helpers (highlighter, completion, call tips, pager,
find bar, history, editing keys), binds the key table to their actions,
and is told by the console about the few moments that matter: the kernel
is ready, a prompt appears, an input is executed, a reply arrives.  The
console stays in charge of the kernel conversation; this stays in charge
of the input.

Key events pass through three binding tags around the Text's own:
a *pre* tag lets an open popup or tip take the keys it needs, the widget
tag holds the key table, and a *post* tag (after Tk has inserted the
character) narrows the completion list and closes a tip the cursor left.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...models import keymap
from ...models.history import HistoryStore
from ..bindings import unbind_one
from ..guarded_text import INPUT
from .calltip import CallTip
from .completion import Completer
from .continuation import ContinuationMargin
from .editkeys import EditKeys
from .find import FindBar
from .highlight import Highlighter
from .history_keys import HistoryNav
from .pager import Pager

if TYPE_CHECKING:
    from .host import InputHost

Handler = Callable[[tk.Event], "str | None"]
REPLY_WAIT = 5.0  # s a completion, inspect or history reply is waited for


class Editing:
    """The input-side helpers of one console."""

    def __init__(self, host: InputHost, frame: tk.Misc) -> None:
        self.host = host
        self.frame = frame  # the console's frame: bindings, bars, events
        self.text = host.text
        settings = host.settings
        self.keymap, key_warnings = keymap.merge(settings.keys)
        self.warnings: list[str] = [*settings.warnings, *key_warnings]
        styles = (settings.appearance.light_style, settings.appearance.dark_style)
        self.highlighter = Highlighter(
            self.text, host.font, self.at_prompt, styles, settings.appearance.highlight
        )
        self.warnings += self.highlighter.warnings
        size = settings.history.size
        store = HistoryStore(settings.history_file() if size else None, max(size, 1))
        self.warnings += store.warnings
        self.history = HistoryNav(self, store)
        self.completer = Completer(self)
        self.calltip = CallTip(self)
        self.pager = Pager(frame, self.text, host.font)
        self.finder = FindBar(frame, self.text, self.bar_anchor())
        self.keys = EditKeys(self)
        self._asked_at = 0.0
        self.handlers = {
            "complete_reply": self.completer.on_reply,
            "inspect_reply": self.calltip.on_reply,
            "history_reply": self.history.on_reply,
        }
        self.margin = ContinuationMargin(self.text, host.font)
        self.text.on_change = self._changed
        frame.bind("<<ThemeChanged>>", lambda _e: self.highlighter.restyle(), add="+")
        frame.bind("<Destroy>", self._on_destroy, add="+")
        # popups are windows of their own: they go when the console loses the focus or moves
        self.text.bind("<FocusOut>", lambda _e: self.text.after(100, self._focus_check), add="+")
        self._top = frame.winfo_toplevel()
        self._moved_id = self._top.bind("<Configure>", self._moved, add="+")

    def _changed(self, first: int, last: int | None) -> None:
        """Any edit: re-highlight, and line continuation lines up under the first."""
        self.highlighter.schedule(first, last)
        self.margin.update()

    # ------------------------------------------------------------ keys
    def bind_keys(self, console_actions: dict[str, Handler]) -> None:
        """Bind the key table: the console's own actions plus the editing ones."""
        actions = {**console_actions, **self._actions()}
        defaults = keymap.default_keymap()
        for action, sequences in self.keymap.items():
            handler = actions.get(action)
            for sequence in sequences if handler else ():
                try:
                    self.text.bind(sequence, handler)
                except tk.TclError as exc:  # a keysym this platform's Tk lacks
                    if sequence not in defaults.get(action, ()):
                        self.warnings.append(f"[keys] {action}: {exc}")
        self.text.bind("<<Copy>>", self.keys.copy)
        self.text.bind("<<Paste>>", self.keys.paste)
        self._bind_tags()

    def _actions(self) -> dict[str, Handler]:
        k = self.keys
        return {
            "complete": self.completer.complete,
            "inspect": self.calltip.inspect,
            "history-previous": self.history.previous,
            "history-next": self.history.next,
            "reverse-search": self.history.search.open,
            "input-start": k.input_start, "input-end": k.input_end,
            "kill-to-end": k.kill_to_end, "kill-to-start": k.kill_to_start,
            "clear-screen": k.clear_screen, "clear-input": k.clear_input,
            "undo": k.undo, "redo": k.redo,
            "zoom-in": k.zoom_in, "zoom-out": k.zoom_out,
            "zoom-reset": k.zoom_reset, "zoom-wheel": k.zoom_wheel,
            "find": self.finder.open,
        }  # fmt: skip

    def accelerator(self, action: str) -> str:
        """How the key table says to do ``action``, for a menu ("" if unbound)."""
        sequences = self.keymap.get(action, ())
        return keymap.label(sequences[0]) if sequences else ""

    def run(self, action: str) -> None:
        """Do an editing action as its key would (a menu entry)."""
        handler = self._actions().get(action)
        if handler is not None:
            event: tk.Event[tk.Misc] = tk.Event()  # a key press with no key and no modifiers
            event.state, event.delta, event.char, event.keysym = 0, 0, "", ""
            event.widget = self.text
            handler(event)

    def _bind_tags(self) -> None:
        text = self.text
        pre, post = f"TkconsolePre{text}", f"TkconsolePost{text}"  # per console
        text.bind_class(pre, "<KeyPress>", self._pre_key)
        text.bind_class(post, "<KeyPress>", self._post_key)
        text.bind_class(post, "<ButtonRelease-1>", self._post_click)
        tags = list(text.bindtags())
        tags.insert(tags.index(str(text)), pre)
        tags.insert(tags.index("Text") + 1, post)
        text.bindtags(tuple(tags))

    def _pre_key(self, event: tk.Event) -> str | None:
        """An open list or tip gets first go at the keys it uses."""
        if self.completer.intercept(event) or self.calltip.intercept(event):
            return "break"
        if event.keysym == "Escape" and self.pager.is_open:
            return self.pager.close()
        return None

    def _post_key(self, event: tk.Event) -> None:
        if event.char == "(":
            self.calltip.after_paren()
        else:
            self.calltip.check()
        self.completer.after_key(event)

    def _post_click(self, _event: tk.Event) -> None:
        self.calltip.check()
        self.completer.after_key()

    # ------------------------------------------------------------ console events
    def on_ready(self) -> None:
        """The kernel is ready: its language picks the lexer; load its history tail."""
        self.highlighter.set_language(self.host.language_info)
        self.history.ask_kernel()

    def on_prompt(self) -> None:
        """A new prompt: walks start over, popups close."""
        self.history.reset()
        self.close_popups()

    def on_execute(self, code: str) -> None:
        """The input is about to run: final highlighting, history, popups away."""
        self.highlighter.commit()
        self.margin.finish()
        self.close_popups()
        if code.strip():
            self.history.record(code)

    def sent(self) -> None:
        """A helper sent a request: poll for its reply fast (for a while)."""
        self._asked_at = time.monotonic()

    def awaiting_reply(self) -> bool:
        """A reply is due (a kernel that never answers stops counting after a while)."""
        if time.monotonic() - self._asked_at > REPLY_WAIT:
            return False
        return self.completer.pending() or self.calltip.pending() or self.history.pending()

    # ------------------------------------------------------------ input helpers
    def at_prompt(self) -> bool:
        """Is the user editing code (at a prompt or below a running cell), not
        answering ``input()``?"""
        return self.host.input_open()

    def cursor_in_input(self) -> bool:
        return bool(self.text.compare("insert", ">=", INPUT))

    def cursor_offset(self) -> int:
        """The cursor as a character offset into the input (what kernels call cursor_pos)."""
        if not self.cursor_in_input():
            return 0
        return len(self.text.get(INPUT, "insert"))

    def cursor_line(self) -> int:
        """Which line of the input the cursor is on (0 = the prompt's line)."""
        return _line(self.text.index("insert")) - _line(self.text.index(INPUT))

    def line_start(self) -> str:
        """Start of the cursor's line; after the prompt on the first line."""
        return INPUT if self.cursor_line() <= 0 else self.text.index("insert linestart")

    def replace_input(self, code: str) -> None:
        """Replace the whole input as one undoable edit."""
        text = self.text
        text.edit_separator()
        if text.compare("end-1c", ">", INPUT):
            text.delete(INPUT, "end-1c")
        text.insert(INPUT, code)
        text.edit_separator()
        text.mark_set("insert", "end-1c")
        text.see("insert")

    def set_font_size(self, size: int) -> None:
        """Zoom: the console font and every font derived from it."""
        for font in (self.host.font, *self.host.derived_fonts()):
            font.configure(size=size)
        self.highlighter.update_fonts()
        self.margin.refresh_font()
        self.frame.event_generate("<<ConsoleFontChanged>>", when="tail")

    def bar_anchor(self) -> tk.Misc:
        """Bars pack under the text and scrollbar: before the first packed child."""
        return self.frame.pack_slaves()[0]

    def close_popups(self) -> None:
        self.completer.close()
        self.calltip.close()

    def _focus_check(self) -> None:
        try:
            focus = self.text.focus_get()
        except (KeyError, tk.TclError):  # a widget tkinter does not know: not ours
            focus = None
        if focus is None:
            self.close_popups()

    def _moved(self, event: tk.Event) -> None:
        if event.widget is self._top:
            self.close_popups()

    def _on_destroy(self, event: tk.Event) -> None:
        if event.widget is self.frame:
            self.history.store.close()
            unbind_one(self._top, "<Configure>", self._moved_id)  # the host outlives us


def _line(index: str) -> int:
    return int(index.split(".", 1)[0])
