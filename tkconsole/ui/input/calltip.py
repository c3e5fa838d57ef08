"""Call tips: the signature and first docstring lines of what is being called.

Typing ``(`` after a name, or Shift+Tab anywhere, sends ``inspect_request``;
the answer appears in a small borderless window above the line.  It closes
on Escape, and by itself when the cursor leaves the call (or, for Shift+Tab,
when the cursor moves).
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

from ...models.ansi import strip_ansi
from ...models.inputtext import call_is_open, is_call_start
from ..guarded_text import INPUT
from .highlight import is_dark

if TYPE_CHECKING:
    from .host import EditingContext

LINE_WIDTH = 100  # characters; longer lines are cut


def tip_text(plain: str, max_lines: int) -> str:
    """The first ``max_lines`` meaningful lines of an inspect reply."""
    lines = [line.rstrip()[:LINE_WIDTH] for line in plain.strip("\n").splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], "…"]
    return "\n".join(lines)


class CallTip:
    """Asks for call tips for one console and shows them."""

    def __init__(self, editing: EditingContext) -> None:
        self.editing = editing
        self.text = editing.text
        self.settings = editing.host.settings.calltips
        self.window: tk.Toplevel | None = None
        self.label: tk.Label | None = None
        self.anchor: tuple[str, int, int] | None = None  # ("call", paren, _) | ("word", cursor, _)
        self._request: tuple[str, tuple[str, int, int]] | None = None

    @property
    def active(self) -> bool:
        return self.anchor is not None and self.window is not None

    def pending(self) -> bool:
        return self._request is not None

    # ------------------------------------------------------------ asking
    def after_paren(self) -> None:
        """A ``(`` was just typed: ask for a tip if it opens a call."""
        if not self.settings.enabled or not self.editing.at_prompt():
            return
        code, cursor = self.text.input_text(), self.editing.cursor_offset()
        if is_call_start(code, cursor - 1):
            self._ask(code, cursor, ("call", cursor - 1, cursor))

    def inspect(self, _event: tk.Event | None = None) -> str | None:
        """The ``inspect`` action (Shift+Tab): a tip for what is at the cursor."""
        if not self.editing.at_prompt() or not self.editing.cursor_in_input():
            return None
        code, cursor = self.text.input_text(), self.editing.cursor_offset()
        if code.strip():
            self._ask(code, cursor, ("word", cursor, cursor))
        return "break"

    def _ask(self, code: str, cursor: int, anchor: tuple[str, int, int]) -> None:
        msg_id = self.editing.host.send_request(
            "inspect_request", {"code": code, "cursor_pos": cursor, "detail_level": 0}
        )
        self._request = (msg_id, anchor)
        self.editing.sent()

    def on_reply(self, content: dict, msg: dict) -> None:
        if self._request is None or msg["parent_header"].get("msg_id") != self._request[0]:
            return
        _msg_id, anchor = self._request
        self._request = None
        plain = (content.get("data") or {}).get("text/plain", "")
        if content.get("status") != "ok" or not content.get("found") or not plain:
            return
        if not self._still_valid(anchor):
            return
        self.anchor = anchor
        self._show(tip_text(strip_ansi(plain), self.settings.max_lines))

    def note(self, text: str) -> None:
        """A short message in the tip's place ("kernel busy"), gone when the cursor moves."""
        cursor = self.editing.cursor_offset()
        self.anchor = ("word", cursor, cursor)
        self._show(text)

    # ------------------------------------------------------------ closing
    def _still_valid(self, anchor: tuple[str, int, int]) -> bool:
        if not self.editing.at_prompt():
            return False
        cursor = self.editing.cursor_offset()
        kind, where, _ = anchor
        if kind == "word":
            return cursor == where
        return call_is_open(self.text.input_text(), where, cursor)

    def check(self) -> None:
        """Close the tip if the cursor has left what it describes."""
        if self.anchor is not None and not self._still_valid(self.anchor):
            self.close()

    def intercept(self, event: tk.Event) -> bool:
        if self.active and event.keysym == "Escape":
            self.close()
            return True
        return False

    def close(self) -> None:
        self.anchor = None
        self._request = None
        if self.window is not None:
            self.window.withdraw()

    # ------------------------------------------------------------ drawing
    def _show(self, body: str) -> None:
        if self.window is None:
            self._build()
        assert self.window is not None and self.label is not None
        self.label.configure(text=body)
        self._colour()
        self.window.update_idletasks()
        self._place()
        self.window.deiconify()
        self.window.lift()

    def _build(self) -> None:
        self.window = tk.Toplevel(self.text)
        self.window.withdraw()
        self.window.overrideredirect(True)
        self.label = tk.Label(
            self.window, justify="left", anchor="w", font=self.editing.host.font,
            borderwidth=1, relief="solid", padx=6, pady=3,
        )  # fmt: skip
        self.label.pack(fill="both", expand=True)
        self.label.bind("<Button-1>", lambda _e: self.close())

    def _colour(self) -> None:
        assert self.label is not None
        dark = is_dark(self.text, self.text.cget("background"))
        bg, fg = ("#2d333b", "#e6edf3") if dark else ("#fffbe6", "#1f2328")
        self.label.configure(background=bg, foreground=fg)

    def _place(self) -> None:
        """Above the line when there is room (the completion list goes below)."""
        assert self.window is not None and self.anchor is not None
        _kind, where, _ = self.anchor
        self.text.see("insert")
        self.text.update_idletasks()
        bbox = self.text.bbox(f"{INPUT}+{where}c") or self.text.bbox("insert")
        if bbox is None:
            return
        x, y, _w, h = bbox
        rootx, rooty = self.text.winfo_rootx(), self.text.winfo_rooty()
        height = self.window.winfo_reqheight()
        top = rooty + y - height - 2
        if top < 0:
            top = rooty + y + h + 2
        self.window.geometry(f"+{max(rootx + x - 8, 0)}+{top}")
