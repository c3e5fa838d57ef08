"""Walking the input history: Up/Down with a prefix, and Ctrl+R.

Up on the first line of the input (Down on the last) recalls an entry;
elsewhere in a multi-line input the arrows move the cursor as usual.  What
was typed before the cursor when a walk starts filters it, and the draft
comes back after the newest entry.  Ctrl+R opens a search bar: each key
narrows to the newest entry containing the query, Ctrl+R again goes older,
Enter keeps the entry, Escape puts the draft back.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

from ...models.history import HistoryStore, HistoryWalk, ReverseSearch
from ..guarded_text import INPUT
from .find import CURRENT, Bar, colour_match_tags

if TYPE_CHECKING:
    from .host import EditingContext

KERNEL_TAIL = 1000  # entries asked of the kernel's own history at start
WRITE_CHECK_MS = 500  # after an entry is handed to the writer: did its commit fail?


class HistoryNav:
    """History keys and the history store of one console."""

    def __init__(self, editing: EditingContext, store: HistoryStore) -> None:
        self.editing = editing
        self.text = editing.text
        self.store = store
        self.walk: HistoryWalk | None = None
        self._shown: str | None = None  # what the walk last put in the input
        self._request: str | None = None
        self._asked = False
        self.search = ReverseSearchBar(self)

    @property
    def language(self) -> str:
        return str(self.editing.host.language_info.get("name", ""))

    def entries(self) -> list[str]:
        return self.store.entries(self.language or None)

    # ------------------------------------------------------------ Up / Down
    def previous(self, _event: tk.Event | None = None) -> str | None:
        """The ``history-previous`` action (Up)."""
        editing = self.editing
        if not editing.at_prompt() or not editing.cursor_in_input():
            return None
        if not self._walking():
            if editing.cursor_line() > 0:
                return None  # move up inside the input first
            code = self.text.input_text()
            self.walk = HistoryWalk(self.entries(), code, code[: editing.cursor_offset()])
        entry = self.walk.previous() if self.walk else None
        if entry is None:
            self.text.bell()
        else:
            self._show(entry, at_end=False)
        return "break"

    def next(self, _event: tk.Event | None = None) -> str | None:
        """The ``history-next`` action (Down)."""
        editing = self.editing
        if not editing.at_prompt() or not editing.cursor_in_input():
            return None
        last_line = self.text.input_text().count("\n")
        if not self._walking() or editing.cursor_line() < last_line:
            return None  # move down inside the input
        entry = self.walk.next() if self.walk else None
        if entry is not None:
            self._show(entry, at_end=True)
        return "break"

    def _walking(self) -> bool:
        return self.walk is not None and self.text.input_text() == self._shown

    def _show(self, entry: str, at_end: bool) -> None:
        """Put an entry in the input; the cursor at the end of its first line or its end."""
        self.editing.replace_input(entry)
        self._shown = entry
        first_line_end = entry.find("\n")
        offset = len(entry) if at_end or first_line_end < 0 else first_line_end
        self.text.mark_set("insert", f"{INPUT}+{offset}c")
        self.text.see("insert")

    def reset(self) -> None:
        """A new prompt: the next Up starts a new walk."""
        self.walk = None
        self._shown = None

    # ------------------------------------------------------------ recording
    def record(self, code: str) -> None:
        """Remember an executed input (committed to the file at once, off this thread)."""
        self.store.add(code, self.language)
        self.text.after(WRITE_CHECK_MS, self._report_failed_write)

    def _report_failed_write(self) -> None:
        if not self.text.winfo_exists():
            return
        warning = self.store.take_warning()
        if warning:
            self.editing.host.notice(warning)

    def ask_kernel(self) -> None:
        """Load the tail of the kernel's own history (once per console)."""
        if self._asked or not self.editing.host.settings.history.kernel_history:
            return
        self._asked = True
        content = {"output": False, "raw": True, "hist_access_type": "tail", "n": KERNEL_TAIL}
        self._request = self.editing.host.send_request("history_request", content)
        self.editing.sent()

    def pending(self) -> bool:
        return self._request is not None

    def on_reply(self, content: dict, msg: dict) -> None:
        if msg["parent_header"].get("msg_id") != self._request:
            return
        self._request = None
        items = content.get("history") or []
        sources = [item[2] for item in items if isinstance(item, list | tuple) and len(item) > 2]
        self.store.add_older([s for s in sources if isinstance(s, str)], self.language)


class ReverseSearchBar:
    """Ctrl+R: incremental search backwards through history, shown in the input."""

    def __init__(self, nav: HistoryNav) -> None:
        self.nav = nav
        self.text = nav.text
        console = nav.editing.frame
        self.bar = Bar(console, nav.editing.bar_anchor(), "History search:")
        self.bar.on_hide = self._hidden
        self.search: ReverseSearch | None = None
        self.draft = ""
        self._accepted = False
        entry = self.bar.entry
        entry.bind("<Return>", self.accept)
        entry.bind("<KP_Enter>", self.accept)
        entry.bind("<Escape>", self.cancel)
        entry.bind("<Control-r>", self.older)
        self.bar.query.trace_add("write", lambda *_: self._narrow())

    def open(self, _event: tk.Event | None = None) -> str | None:
        """The ``reverse-search`` action."""
        if not self.nav.editing.at_prompt():
            return None
        if self.search is not None:  # already open: Ctrl+R again means older
            return self.older()
        self.draft = self.text.input_text()
        self.search = ReverseSearch(self.nav.entries())
        self._accepted = False
        self.bar.query.set("")
        self.bar.status.configure(text="")
        self.bar.show()
        return "break"

    def _narrow(self) -> None:
        if self.search is not None:
            self._present(self.search.search(self.bar.query.get()))

    def older(self, _event: tk.Event | None = None) -> str:
        if self.search is not None:
            found = self.search.older()
            if found is None:
                self.text.bell()
            else:
                self._present(found)
        return "break"

    def _present(self, match: str | None) -> None:
        search = self.search
        assert search is not None
        self.text.tag_remove(CURRENT, "1.0", "end")
        if match is None:
            self.bar.status.configure(text="no match" if search.query else "")
            self.nav.editing.replace_input(self.draft)
            return
        self.bar.status.configure(text="")
        self.nav.editing.replace_input(match)
        span = search.span()
        if span is not None:
            colour_match_tags(self.text)
            self.text.tag_add(CURRENT, f"{INPUT}+{span[0]}c", f"{INPUT}+{span[1]}c")
            self.text.mark_set("insert", f"{INPUT}+{span[0]}c")
            self.text.see("insert")

    def accept(self, _event: tk.Event | None = None) -> str:
        """Enter: keep the entry in the input (not run), back to typing."""
        self._accepted = True
        self.bar.hide()
        self.text.mark_set("insert", "end-1c")
        return "break"

    def cancel(self, _event: tk.Event | None = None) -> str:
        """Escape: the draft comes back."""
        self._accepted = False
        self.bar.hide()
        return "break"

    def _hidden(self) -> None:
        if not self._accepted and self.search is not None and self.nav.editing.at_prompt():
            self.nav.editing.replace_input(self.draft)
        self.search = None
        self.text.tag_remove(CURRENT, "1.0", "end")
        self.text.focus_set()
