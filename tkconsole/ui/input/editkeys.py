"""The editing keys people expect from a console: moving, killing, clearing,
undo, zoom, and copy/paste that know about prompts.

Each method is an action from the key table (``models/keymap.py``); it
returns ``"break"`` when it handled the key, or None to let Tk's own Text
bindings have it (for instance when the cursor is up in the scrollback).
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

from ...models.inputtext import clean_paste
from ..guarded_text import INPUT, OUTPUT_CLEARED

if TYPE_CHECKING:
    from .host import EditingContext

PROMPT_TAG = "prompt"  # the tag console.py puts on "In [n]: "
PROMPT_MARK = "prompt"  # ... and the mark at the start of the current prompt line
MIN_SIZE, MAX_SIZE = 5, 72
SHIFT = 0x1


class EditKeys:
    """EditingContext actions for one console's input."""

    def __init__(self, editing: EditingContext) -> None:
        self.editing = editing
        self.text = editing.text

    def _editable(self) -> bool:
        return self.editing.at_prompt() and self.editing.cursor_in_input()

    # ------------------------------------------------------------ moving
    def input_start(self, event: tk.Event) -> str | None:
        """Home / Ctrl+A: start of the line, after the prompt on the first line."""
        if not self._editable():
            return None
        return self._move(self.editing.line_start(), event)

    def input_end(self, event: tk.Event) -> str | None:
        """End / Ctrl+E: end of the line."""
        if not self._editable():
            return None
        return self._move(self.text.index("insert lineend"), event)

    def _move(self, target: str, event: tk.Event) -> str:
        """Move the cursor; with Shift, select from the cursor to ``target``."""
        text = self.text
        text.tag_remove("sel", "1.0", "end")
        if getattr(event, "state", 0) & SHIFT:
            first, last = (target, "insert")
            if text.compare(target, ">", "insert"):
                first, last = last, first
            text.tag_add("sel", first, last)
        text.mark_set("insert", target)
        text.see("insert")
        return "break"

    # ------------------------------------------------------------ killing
    def kill_to_end(self, _event: tk.Event) -> str | None:
        """Ctrl+K: delete to the end of the line (the newline, if already there)."""
        if not self._editable():
            return None
        end = self.text.index("insert lineend")
        if self.text.compare(end, "==", "insert"):
            end = self.text.index("insert+1c")
        if self.text.compare(end, "<=", "end-1c"):
            self.text.delete("insert", end)
        return "break"

    def kill_to_start(self, _event: tk.Event) -> str | None:
        """Ctrl+U: delete from the start of the line (after the prompt) to the cursor."""
        if not self._editable():
            return None
        self.text.delete(self.editing.line_start(), "insert")
        return "break"

    def clear_input(self, _event: tk.Event) -> str | None:
        """Escape: empty the input (undoable)."""
        if not self.editing.at_prompt():
            return None
        self.text.edit_separator()
        self.text.delete(INPUT, "end-1c")
        self.text.edit_separator()
        return "break"

    def clear_screen(self, _event: tk.Event) -> str:
        """Ctrl+L: drop everything above the current prompt, keeping what is typed
        (not while a cell runs: its output is still being written there)."""
        if self.editing.host.at_prompt():
            text = self.text
            text.erase("1.0", PROMPT_MARK)
            if text.get("1.0") == "\n" and text.compare(INPUT, ">", "1.0"):
                text.erase("1.0")
            text.see("insert")
            text.event_generate(OUTPUT_CLEARED)  # the writer lets go of what was drawn there
        return "break"

    # ------------------------------------------------------------ undo
    def undo(self, _event: tk.Event) -> str:
        return self._edit("undo")

    def redo(self, _event: tk.Event) -> str:
        return self._edit("redo")

    def _edit(self, what: str) -> str:
        if self.editing.at_prompt():
            try:
                self.text.edit(what)
            except tk.TclError:  # nothing to undo / redo
                self.text.bell()
            self.text.see("insert")
        return "break"

    # ------------------------------------------------------------ zoom
    def zoom_in(self, _event: tk.Event) -> str:
        return self._zoom(+1)

    def zoom_out(self, _event: tk.Event) -> str:
        return self._zoom(-1)

    def zoom_reset(self, _event: tk.Event) -> str:
        self.editing.set_font_size(self.editing.host.settings.font.size)
        return "break"

    def zoom_wheel(self, event: tk.Event) -> str:
        """Ctrl+wheel where the wheel reports a delta (Windows, macOS)."""
        return self._zoom(1 if getattr(event, "delta", 0) > 0 else -1)

    def _zoom(self, step: int) -> str:
        size = abs(int(self.editing.host.font.cget("size")))
        self.editing.set_font_size(max(MIN_SIZE, min(MAX_SIZE, size + step)))
        return "break"

    # ------------------------------------------------------------ clipboard
    def copy(self, _event: tk.Event | None = None) -> str:
        """Copy the selection without the ``In [n]:`` prompts in it."""
        text = self.text
        if not text.tag_ranges("sel"):
            return "break"
        pos, last = text.index("sel.first"), text.index("sel.last")
        prompt = text.tag_prevrange(PROMPT_TAG, f"{pos}+1c")
        if prompt and PROMPT_TAG in text.tag_names(pos):  # the selection starts inside a prompt
            pos = _earlier(text, prompt[1], last)
        pieces = []
        while found := text.tag_nextrange(PROMPT_TAG, pos, last):
            pieces.append(text.get(pos, found[0]))
            pos = _earlier(text, found[1], last)
        pieces.append(text.get(pos, last))
        text.clipboard_clear()
        text.clipboard_append("".join(pieces))
        return "break"

    def paste(self, _event: tk.Event | None = None) -> str | None:
        """Paste into the input as one cell (never runs it), prompts removed."""
        editing = self.editing
        if not editing.at_prompt():
            return None if editing.host.stdin_pending() else "break"
        try:
            data = self.text.clipboard_get()
        except tk.TclError:
            return "break"
        text = self.text
        text.edit_separator()
        if text.tag_ranges("sel") and text.compare("sel.first", ">=", INPUT):
            text.delete("sel.first", "sel.last")
        if not editing.cursor_in_input():
            text.mark_set("insert", "end-1c")
        text.insert("insert", clean_paste(data))
        text.edit_separator()
        text.see("insert")
        return "break"


def _earlier(text: tk.Text, a: str, b: str) -> str:
    return a if text.compare(a, "<", b) else b
