"""The next input, editable below a running cell (as in JupyterLab's console).

While a cell runs, a prompt without its number yet (``In [ ]:``) waits
below the output.  What is typed there shows as it is typed, with
highlighting, completion and help (answered by the kernel's subshell
where it has one); Enter queues it to run when the cell ends, and the
line stays, read-only, until then.  Output arriving meanwhile goes above
it (the writer's prompt mode), so the cursor does not move.  When the
cell ends, the numbered prompt takes the line's text and the cursor's
place; an ``input()`` in the cell takes the line away until it is
answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..models.subshells import help_query
from .guarded_text import INPUT

if TYPE_CHECKING:
    from ..models.conversation import ConversationModel
    from .guarded_text import GuardedText
    from .input.editing import Editing
    from .output.writer import OutputWriter
    from .stdin import StdinField

WAITING_LABEL = "In [ ]: "  # the number comes when the input runs


class Replayer(Protocol):
    def replay(self) -> None:
        """Type the keys kept while the input could not take them."""


class NextInputHost(Protocol):
    """What the next input asks of its console (``console.Console``, which
    imports this module: the input names only this)."""

    @property
    def text(self) -> GuardedText: ...

    @property
    def model(self) -> ConversationModel: ...

    @property
    def writer(self) -> OutputWriter: ...

    @property
    def stdin(self) -> StdinField: ...

    @property
    def editing(self) -> Editing: ...

    @property
    def enter(self) -> Replayer: ...

    def draw_prompt(self, label: str, gap: bool) -> None: ...

    def clear_prompt(self) -> None: ...

    def drop_carry(self) -> None: ...

    def send_request(self, msg_type: str, content: dict[str, Any]) -> str: ...

    def input_open(self) -> bool: ...


class NextInput:
    def __init__(self, console: NextInputHost) -> None:
        self.console = console
        self.text = console.text
        self._cursor: int | None = None  # the cursor's offset, carried to the next prompt
        self._help: str | None = None  # msg_id of a ``name?`` asked while the cell runs
        self._drawn = False  # we drew the prompt line that is there now

    def is_open(self) -> bool:
        """The waiting prompt is drawn (editable, or holding queued code)."""
        return self._drawn and self.console.writer.above_prompt()

    def editable(self) -> bool:
        return self.is_open() and self.text.editable and self.console.stdin.state is None

    def open(self) -> None:
        """The cell started (or its ``input()`` was answered): draw the waiting prompt."""
        console = self.console
        if console.model.mode != "executing" or self.is_open() or console.stdin.state:
            return
        console.draw_prompt(WAITING_LABEL, gap=False)
        self._drawn = True
        self.restore_cursor()
        console.editing.on_prompt()
        console.enter.replay()

    def submit(self, code: str) -> None:
        """Enter: ``code`` runs when the cell ends; the line keeps it, read-only.
        ``name?`` and ``name??`` are answered now, in the pager."""
        query = help_query(code)
        if query is not None:
            name, detail = query
            content = {"code": name, "cursor_pos": len(name), "detail_level": detail}
            self._help = self.console.send_request("inspect_request", content)
            self.console.editing.replace_input("")
            return
        self.console.model.queue_code(code)
        self.console.editing.close_popups()
        self.text.editable = False

    def on_reply(self, msg_type: str, content: dict, msg: dict) -> bool:
        """The help asked by ``submit``: show it; True if the reply was that."""
        if msg_type != "inspect_reply" or self._help is None:
            return False
        if msg["parent_header"].get("msg_id") != self._help:
            return False
        self._help = None
        data = content.get("data")
        plain = data.get("text/plain") if isinstance(data, dict) else None
        if content.get("status") == "ok" and content.get("found") and isinstance(plain, str):
            self.console.editing.pager.show(plain)
        else:
            self.console.editing.calltip.note("no help found")
        return True

    def close(self) -> None:
        """Take the line away, keeping its text and the cursor's place for the
        next prompt (``clear_prompt`` carries the text): the numbered one when
        the cell ends, or this one again after an ``input()``.  Text queued
        with Enter runs from the queue instead: it is not carried."""
        if self.is_open():
            queued = not self.text.editable
            self._cursor = None if queued else self._offset()
            self.console.clear_prompt()
            if queued:
                self.console.drop_carry()
        self._drawn = False

    def restore_cursor(self) -> None:
        """On the new prompt, put the cursor back where it was in the text."""
        cursor, self._cursor = self._cursor, None
        if cursor is not None and self.console.input_open():
            self.text.mark_set("insert", f"{INPUT}+{cursor}c")

    def _offset(self) -> int | None:
        if not self.text.compare("insert", ">=", INPUT):
            return None
        return len(self.text.get(INPUT, "insert"))
