"""Tab completion: ``complete_request``, then insert or offer a popup list.

The popup never takes the keyboard focus: the console keeps it, and hands
the popup the keys a list needs (arrows, Tab/Enter, Escape) through
``intercept``; everything else is typed into the input as usual and then
narrows the list (``after_key``).
"""

from __future__ import annotations

import tkinter as tk
from dataclasses import dataclass, field
from tkinter import ttk
from typing import TYPE_CHECKING

from ...models.inputtext import common_prefix
from ..guarded_text import INPUT

if TYPE_CHECKING:
    from .host import EditingContext

VISIBLE_ROWS = 10
NAV_KEYS = {"Up", "Down", "Prior", "Next", "Tab", "Return", "KP_Enter", "Escape", "ISO_Left_Tab"}


@dataclass
class Offer:
    """What the kernel offered: matches replacing ``input[start:end]``."""

    matches: list[str]
    types: dict[str, str]
    start: int
    tail: int  # characters after the cursor the kernel wanted replaced too
    shown: list[str] = field(default_factory=list)


class Completer:
    """Sends completion requests for one console and shows what comes back."""

    def __init__(self, editing: EditingContext) -> None:
        self.editing = editing
        self.text = editing.text
        self.settings = editing.host.settings.completion
        self.offer: Offer | None = None
        self.popup: CompletionPopup | None = None
        self._request: tuple[str, str, int] | None = None  # (msg_id, code, cursor)

    @property
    def active(self) -> bool:
        return self.popup is not None and self.popup.visible

    def pending(self) -> bool:
        return self._request is not None

    # ------------------------------------------------------------ asking
    def complete(self, _event: tk.Event | None = None) -> str | None:
        """The ``complete`` action (Tab): indent a blank line, else ask the kernel."""
        editing = self.editing
        if not editing.at_prompt() or not editing.cursor_in_input():
            return None
        before = self.text.get(editing.line_start(), "insert")
        if not before.strip():
            self.text.insert("insert", " " * self.settings.indent)
            return "break"
        code, cursor = self.text.input_text(), editing.cursor_offset()
        self._request = (
            editing.host.send_request("complete_request", {"code": code, "cursor_pos": cursor}),
            code,
            cursor,
        )
        editing.sent()
        return "break"

    def on_reply(self, content: dict, msg: dict) -> None:
        request, self._request = self._request, None
        if request is None or msg["parent_header"].get("msg_id") != request[0]:
            self._request = request
            return
        _msg_id, code, cursor = request
        stale = self.text.input_text() != code or self.editing.cursor_offset() != cursor
        if content.get("status") != "ok" or stale or not self.editing.at_prompt():
            return
        matches = list(dict.fromkeys(m for m in content.get("matches", []) if isinstance(m, str)))
        if not matches:
            self.text.bell()
            return
        start = _int(content.get("cursor_start"), cursor)
        end = max(_int(content.get("cursor_end"), cursor), cursor)
        self._offer(matches[: self.settings.max_items], _types(content), start, end, code)

    def _offer(self, matches: list[str], types: dict, start: int, end: int, code: str) -> None:
        typed = code[start:end]
        if len(matches) == 1 and self.settings.insert_single:
            self._replace(start, end, matches[0])
            return
        prefix = common_prefix(matches)
        if len(prefix) > len(typed) and prefix.startswith(typed):
            self._replace(start, end, prefix)
            end = start + len(prefix)
        if not self.settings.popup:
            return
        tail = end - self.editing.cursor_offset()
        self.offer = Offer(matches, types if self.settings.show_types else {}, start, tail)
        self.refilter()

    # ------------------------------------------------------------ the list
    def refilter(self) -> None:
        """Show the matches that fit what is typed now; close when none do."""
        offer = self.offer
        cursor = self.editing.cursor_offset()
        if offer is None or not self.editing.at_prompt() or cursor < offer.start:
            self.close()
            return
        typed = self.text.input_text()[offer.start : cursor]
        shown = [m for m in offer.matches if m.startswith(typed)]
        if not shown:
            low = typed.lower()
            shown = [m for m in offer.matches if m.lower().startswith(low)]
        if not shown or (len(shown) == 1 and shown[0] == typed):
            self.close()
            return
        offer.shown = shown
        if self.popup is None:
            self.popup = CompletionPopup(self.text, self.editing.host.font, self.accept)
        self.popup.show(shown, offer.types, self._anchor_bbox(offer.start))

    def _anchor_bbox(self, offset: int) -> tuple[int, int, int] | None:
        """Screen x, y below the completed word's line, and the line's top."""
        self.text.see("insert")
        self.text.update_idletasks()
        bbox = self.text.bbox(f"{INPUT}+{offset}c") or self.text.bbox("insert")
        if bbox is None:
            return None
        x, y, _w, h = bbox
        rootx, rooty = self.text.winfo_rootx(), self.text.winfo_rooty()
        return rootx + x, rooty + y + h, rooty + y

    def accept(self, match: str | None = None) -> None:
        """Put the chosen match in place of what it completes."""
        offer = self.offer
        if offer is None or self.popup is None:
            return
        choice = match if match is not None else self.popup.current()
        cursor = self.editing.cursor_offset()
        self.close()
        if choice is not None:
            self._replace(offer.start, cursor + max(offer.tail, 0), choice)

    def close(self) -> None:
        self.offer = None
        if self.popup is not None:
            self.popup.hide()

    def _replace(self, start: int, end: int, word: str) -> None:
        """Replace ``input[start:end]`` with ``word`` as one undoable edit."""
        text = self.text
        first, last = f"{INPUT}+{start}c", f"{INPUT}+{end}c"
        text.edit_separator()
        if end > start:
            text.delete(first, last)
        text.insert(first, word)
        text.mark_set("insert", f"{INPUT}+{start + len(word)}c")
        text.edit_separator()
        text.see("insert")

    # ------------------------------------------------------------ keys
    def intercept(self, event: tk.Event) -> bool:
        """Keys for the open list; True when used up."""
        if not self.active or event.keysym not in NAV_KEYS:
            return False
        assert self.popup is not None
        key = event.keysym
        if key == "Escape":
            self.close()
        elif key in ("Tab", "Return", "KP_Enter"):
            self.accept()
        elif key == "ISO_Left_Tab":
            self.popup.move(-1)
        else:
            step = {"Up": -1, "Down": 1, "Prior": -VISIBLE_ROWS, "Next": VISIBLE_ROWS}[key]
            self.popup.move(step)
        return True

    def after_key(self, _event: tk.Event | None = None) -> None:
        """Typing (or a click) happened: narrow the list, or close it."""
        if self.active:
            self.refilter()


class CompletionPopup:
    """A borderless list under the cursor: matches and, beside them, their types."""

    def __init__(self, text: tk.Text, font: object, on_choose) -> None:
        self.text = text
        self.on_choose = on_choose
        self.visible = False
        self.top = tk.Toplevel(text)
        self.top.withdraw()
        self.top.overrideredirect(True)
        style = ttk.Style()
        style.configure("Completion.Treeview", font=font)
        self.tree = ttk.Treeview(
            self.top, columns=("match", "type"), show="", selectmode="browse",
            height=VISIBLE_ROWS, style="Completion.Treeview", takefocus=False,
        )  # fmt: skip
        self.bar = ttk.Scrollbar(self.top, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=self.bar.set)
        self.tree.pack(side="left", fill="both", expand=True)
        self.tree.bind("<ButtonRelease-1>", self._click)
        self.font = font

    def show(self, matches: list[str], types: dict[str, str], where: tuple | None) -> None:
        tree = self.tree
        tree.delete(*tree.get_children())
        for match in matches:
            kind = types.get(match, "")
            tree.insert("", "end", text=match, values=(match, "" if kind == "<unknown>" else kind))
        first = tree.get_children()[0]
        tree.selection_set(first)
        tree.see(first)
        self._size(matches, types)
        if where is not None:
            self._place(*where)
        if not self.visible:
            self.top.deiconify()
            self.top.lift()
            self.visible = True

    def _size(self, matches: list[str], types: dict[str, str]) -> None:
        measure = self.text.tk.call("font", "measure", self.font, "0")
        width = max(len(m) for m in matches) + 2
        type_width = max((len(types.get(m, "")) for m in matches), default=0)
        linespace = int(self.text.tk.call("font", "metrics", self.font, "-linespace"))
        style = ttk.Style()
        style.configure("Completion.Treeview", rowheight=linespace + 4)
        colors = getattr(style, "colors", None)
        selected = getattr(colors, "primary", None) or "#0550ae"
        style.map("Completion.Treeview", background=[("selected", selected)],
                  foreground=[("selected", "#ffffff")])  # fmt: skip
        self.tree.column("match", width=min(width, 60) * int(measure), stretch=True)
        self.tree.column("type", width=(min(type_width, 20) + 1) * int(measure), stretch=False)
        self.tree.configure(height=min(len(matches), VISIBLE_ROWS))
        if len(matches) > VISIBLE_ROWS:  # a scrollbar only when the list scrolls
            self.bar.pack(side="right", fill="y", before=self.tree)
        else:
            self.bar.pack_forget()

    def _place(self, x: int, below: int, line_top: int) -> None:
        self.top.update_idletasks()
        height = self.top.winfo_reqheight()
        y = below if below + height <= self.top.winfo_screenheight() else line_top - height
        self.top.geometry(f"+{max(x - 4, 0)}+{max(y, 0)}")

    def current(self) -> str | None:
        chosen = self.tree.selection()
        return self.tree.item(chosen[0], "text") if chosen else None

    def items(self) -> list[str]:
        """The matches the list shows now (for tests and accessibility)."""
        return [self.tree.item(i, "text") for i in self.tree.get_children()]

    def move(self, step: int) -> None:
        rows = self.tree.get_children()
        if not rows:
            return
        chosen = self.tree.selection()
        index = rows.index(chosen[0]) if chosen else -1
        if abs(step) == 1:  # arrows wrap round; page keys stop at the ends
            index = (index + step) % len(rows)
        else:
            index = max(0, min(len(rows) - 1, index + step))
        self.tree.selection_set(rows[index])
        self.tree.see(rows[index])

    def _click(self, event: tk.Event) -> None:
        row = self.tree.identify_row(event.y)
        if row:
            self.on_choose(self.tree.item(row, "text"))

    def hide(self) -> None:
        if self.visible:
            self.top.withdraw()
            self.visible = False


def _types(content: dict) -> dict[str, str]:
    """Match -> type, from the experimental metadata some kernels send."""
    meta = content.get("metadata") or {}
    entries = meta.get("_jupyter_types_experimental") or []
    return {
        e["text"]: str(e.get("type") or "")
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("text"), str)
    }


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
