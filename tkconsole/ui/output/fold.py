"""Folded output: a head stays in the console, the rest behind a button row.

Two things are folded.  A line longer than the fold threshold: Tk lays a
logical line out in time proportional to its length on every redraw (a
megabyte line takes seconds), so it never reaches the Text whole.  And a
cell whose output passes the squeeze threshold: the middle of its stream
output (between the head and the newest lines, see ``output.py``) is spooled
(to disk past 16 MB) instead of flooding the scrollback.
Either way the button row says how much is hidden and can show more of it
in chunks, copy it, or open it in a viewer.
"""

from __future__ import annotations

import codecs
import tempfile
import tkinter as tk
from collections.abc import Callable, Iterator
from tkinter import ttk

from ...models.ansi import strip_ansi
from ..guarded_text import GuardedText

HEAD = 1000  # characters of a folded line shown at once
EXPAND_CHUNK = 10_000  # characters added per "Show more" (and per viewer line)
EXPAND_LINES = 1000  # lines of squeezed output added per "Show more"
SPOOL_IN_MEMORY = 16 * 1024 * 1024
FOLD_AT = 10_000  # a longer line of a rich output is folded (the settings' default)
BOUNDED_BUDGET = 20_000  # characters of one rich output drawn at once (about 5 ms here)


class Folded(ttk.Frame):
    """The button row; subclasses say what is hidden and how to reveal it."""

    def __init__(self, text: GuardedText, before_change: Callable[[], None]) -> None:
        super().__init__(text, padding=(4, 0))
        self.text = text
        self.before_change = before_change  # revealed text must not split live rows
        self.label = ttk.Label(self)
        self.label.pack(side="left")
        for caption, command in (
            ("Show more", self.expand),
            ("Copy", self.copy),
            ("View", self.view),
        ):
            ttk.Button(self, text=caption, command=command, width=len(caption) + 1).pack(
                side="left", padx=(4, 0)
            )
        self.refresh()

    def expand(self) -> None:
        chunk = self.next_chunk()
        if not chunk:
            return
        self.before_change()
        self.text.write(self.text.index(self), chunk)
        if self.refresh():
            return
        self.text.erase(self.text.index(self))  # nothing left to hide
        self.destroy()

    def copy(self) -> None:
        self.clipboard_clear()
        self.clipboard_append("".join(self.chunks()))

    def view(self) -> None:
        """Everything hidden in a window of its own, in lines Tk can lay out fast."""
        from ..placement import place_near

        top = tk.Toplevel(self)
        top.title("Hidden output — tkconsole")
        top.transient(self.winfo_toplevel())
        viewer = tk.Text(top, wrap="char")
        bar = ttk.Scrollbar(top, command=viewer.yview)
        viewer.configure(yscrollcommand=bar.set)
        bar.pack(side="right", fill="y")
        viewer.pack(fill="both", expand=True)
        for chunk in self.chunks():
            viewer.insert("end", chunk)
        viewer.configure(state="disabled")
        top.bind("<Escape>", lambda _e: top.destroy())
        place_near(top, self.winfo_toplevel(), 900, 500)

    # for subclasses
    def refresh(self) -> bool:
        """Update the label; False once nothing is hidden."""
        raise NotImplementedError

    def next_chunk(self) -> str:
        raise NotImplementedError

    def chunks(self) -> Iterator[str]:
        raise NotImplementedError


class Fold(Folded):
    """After a long line's head: each "Show more" adds a line of 10,000 more."""

    def __init__(
        self, text: GuardedText, full: str, shown: int, before_change: Callable[[], None]
    ) -> None:
        self.full = full
        self.shown = shown
        super().__init__(text, before_change)

    def refresh(self) -> bool:
        hidden = len(self.full) - self.shown
        self.label.configure(text=f"… {hidden:,} more characters")
        return hidden > 0

    def next_chunk(self) -> str:
        chunk = self.full[self.shown : self.shown + EXPAND_CHUNK]
        self.shown += len(chunk)
        return "\n" + chunk if chunk else ""

    def copy(self) -> None:
        self.clipboard_clear()
        self.clipboard_append(self.full)

    def chunks(self) -> Iterator[str]:
        for i in range(0, len(self.full), EXPAND_CHUNK):
            yield ("\n" if i else "") + self.full[i : i + EXPAND_CHUNK]


class Squeeze(Folded):
    """Below a cell's visible output: the rest of its stream text, spooled."""

    def __init__(self, text: GuardedText, before_change: Callable[[], None]) -> None:
        # Lives as long as the widget; closed on <Destroy>.
        self.spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+b")  # noqa: SIM115
        self.spooled = 0  # bytes spooled (not ``size``: that is a Tk method)
        self.lines = 0  # newlines not yet revealed
        self._read_at = 0  # bytes already revealed
        super().__init__(text, before_change)
        self.bind("<Destroy>", lambda _e: self.spool.close(), add="+")

    def add(self, data: str) -> None:
        """Hide more output (called per chunk; cheap: one write)."""
        raw = data.encode("utf-8", "surrogatepass")
        self.spool.seek(0, 2)
        self.spool.write(raw)
        self.spooled += len(raw)
        self.lines += data.count("\n")

    def refresh(self) -> bool:
        hidden = self.spooled - self._read_at
        self.label.configure(
            text=f"… output squeezed: {self.lines:,} more lines, {_size(hidden)} hidden"
        )
        return hidden > 0

    def next_chunk(self) -> str:
        self.spool.seek(self._read_at)
        raw = b"".join(self.spool.readline() for _ in range(EXPAND_LINES))
        self._read_at += len(raw)
        self.lines -= raw.count(b"\n")
        return strip_ansi(raw.decode("utf-8", "replace"))

    def chunks(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.spool.seek(self._read_at)
        while raw := self.spool.read(1 << 20):
            yield strip_ansi(decoder.decode(raw))


def insert_bounded(
    text: GuardedText,
    index: str,
    value: str,
    tags: tuple[str, ...],
    fold_at: int = FOLD_AT,
    budget: int = BOUNDED_BUDGET,
    before_change: Callable[[], None] = lambda: None,
) -> None:
    """Draw ``value`` at ``index`` in bounded time, whatever its size.

    At most ``budget`` characters are drawn; a line longer than ``fold_at``
    shows its head and folds the rest; what is past the budget waits behind
    one fold.  (Rich outputs: one message, one insert, unlike streams.)
    """
    pos, used, run = 0, 0, []
    end = len(value)
    while pos < end and used < budget:
        stop = value.find("\n", pos)
        stop = end if stop < 0 else stop
        if stop - pos > fold_at:
            run.append(value[pos : pos + HEAD])
            text.write(index, "".join(run), tags)
            run = []
            text.window_create(index, window=Fold(text, value[pos:stop], HEAD, before_change))
            used += HEAD
        else:
            run.append(value[pos:stop])
            used += stop - pos
        if stop < end:
            run.append("\n")
        pos = stop + 1
    if run:
        text.write(index, "".join(run), tags)
    if pos < end:
        text.window_create(index, window=Fold(text, value[pos:], 0, before_change))


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1e6:.1f} MB"
