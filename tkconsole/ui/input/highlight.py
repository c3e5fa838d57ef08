"""Syntax highlighting of the input as it is typed, in the kernel's language.

Every edit schedules one refresh at idle time; the refresh asks the
incremental lexer which input lines changed and re-tags only those, with a
fixed pool of tags (one per token type).  When typing pauses, a whole-input
re-lex runs in small slices to fix what only a full pass can see (a string
closed far below where it opened).  Committed inputs keep their tags.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from tkinter import font as tkfont
from typing import Any

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.util import ClassNotFound

from ...models.lexing import IncrementalLexer, ResyncJob
from ..guarded_text import INPUT, GuardedText

_LOOKUPS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tkconsole-lexer")
LOOKUP_POLL_MS = 15
RESYNC_DELAY_MS = 300  # quiet time before the whole-input re-lex starts
SLICE = 0.006  # s of re-lexing per idle slice
FALLBACK_STYLES = {False: "default", True: "monokai"}


def lexer_for(language_info: dict) -> Lexer | None:
    """The Pygments lexer a kernel asks for (``pygments_lexer``, else its language name).

    Never raises: a broken lexer plugin means no highlighting, not a crash.
    """
    for key in ("pygments_lexer", "name"):
        name = language_info.get(key)
        if isinstance(name, str) and name:
            try:
                return get_lexer_by_name(name)
            except Exception:  # ClassNotFound, or a lexer plugin that fails to import
                continue
    return None


def is_dark(widget: tk.Misc, colour: str) -> bool:
    """Is ``colour`` (any Tk colour name) a dark background?"""
    r, g, b = (c / 257 for c in widget.winfo_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128


class Highlighter:
    """Keeps the input's highlighting in step with its text."""

    def __init__(
        self,
        text: GuardedText,
        font: tkfont.Font,
        active: Callable[[], bool],
        styles: tuple[str, str] = ("default", "monokai"),
        enabled: bool = True,
    ) -> None:
        self.text = text
        self.font = font
        self.active = active
        self.styles = styles  # (light, dark) Pygments style names
        self.enabled = enabled
        self.lexer: Lexer | None = None
        self._language: dict | None = None  # the kernel's, until its lexer is looked up
        self._lookup: Future | None = None
        self.model: IncrementalLexer | None = None
        self.warnings: list[str] = []
        self._start = ""  # where the input began when the model was built
        self._tags: dict[Any, str] = {}  # token type -> tag
        self._fonts: dict[str, tkfont.Font] = {}
        self._style: Any = None
        self._pending = False
        self._dirty: tuple[int, int | None] | None = None
        self._resync: ResyncJob | None = None
        self._resync_timer: str | None = None
        self._refresh_cmd = text.register(self.refresh)
        self._slice_cmd = text.register(self._resync_slice)
        self._start_cmd = text.register(self._start_resync)
        self.restyle()

    # ------------------------------------------------------------ configuration
    def set_language(self, language_info: dict) -> None:
        """Use the kernel's lexer from now on (called when the kernel is ready).

        Finding a plugin lexer (IPython's) scans the installed packages: about
        80 ms, done on a worker thread so the first prompt is not held up.
        It waits for the first input typed: IPython's lexer brings Pygments'
        HTML, JavaScript and JVM lexers (about 4 MB), which a console that
        only shows output never needs.
        """
        self._language = dict(language_info)
        if self.active() and self.text.input_text():  # typed ahead at a prompt
            self._find_lexer()

    def _find_lexer(self) -> None:
        info, self._language = self._language, None
        if info is not None:
            self._lookup = _LOOKUPS.submit(lexer_for, info)
            self._await_lexer()

    def _await_lexer(self) -> None:
        lookup = self._lookup
        if lookup is None:
            return
        if not lookup.done():
            self.text.after(LOOKUP_POLL_MS, self._await_lexer)
            return
        self._lookup = None
        self.lexer = lookup.result()
        self.model = None
        self.schedule()

    def restyle(self) -> None:
        """Pick the light or dark style for the current background and re-colour."""
        dark = is_dark(self.text, self.text.cget("background"))
        name = self.styles[dark]
        try:
            self._style = get_style_by_name(name)
        except ClassNotFound:
            self.warnings.append(f"Unknown Pygments style {name!r}; using {FALLBACK_STYLES[dark]}")
            self._style = get_style_by_name(FALLBACK_STYLES[dark])
        for ttype, tag in self._tags.items():
            self._configure(ttype, tag)

    def update_fonts(self) -> None:
        """Follow the console font's family and size (after a zoom)."""
        actual = self.font.actual()
        for font in self._fonts.values():
            font.configure(family=actual["family"], size=actual["size"])

    # ------------------------------------------------------------ refreshing
    def schedule(self, first: int = 0, last: int | None = None) -> None:
        """Note edited text lines (None: to the end); refresh at idle time.

        Cheap: it runs after every edit.  The lines matter because text that
        was deleted and put back unchanged lost its tags all the same.
        """
        if not self.enabled:
            return
        if self._dirty is not None:
            old_first, old_last = self._dirty
            first = min(first, old_first)
            last = None if last is None or old_last is None else max(last, old_last)
        self._dirty = (first, last)
        if not self._pending:
            self._pending = True
            self.text.tk.call("after", "idle", self._refresh_cmd)

    def refresh(self) -> None:
        """Re-tag the input lines that changed since the last refresh."""
        self._pending = False
        dirty, self._dirty = self._dirty, None
        if not self.enabled or not self.active():
            return
        if self._language is not None and self.text.input_text():
            self._find_lexer()  # the first input typed
        if self.lexer is None:
            return
        start = self.text.index(INPUT)
        if self.model is None or start != self._start:
            self.model = IncrementalLexer(self.lexer)
            self._start = start
        changed = self.model.update(self.text.input_text())
        lines = _union(changed, self._input_lines(dirty))
        if lines:
            self._apply(lines)
        if changed:
            self._arm_resync()

    def _input_lines(self, dirty: tuple[int, int | None] | None) -> range:
        """Edited text lines as input lines (clipped to the input)."""
        if dirty is None or self.model is None:
            return range(0)
        top = int(self._start.split(".")[0])
        count = len(self.model.tokens)
        last = count - 1 if dirty[1] is None else min(dirty[1] - top, count - 1)
        return range(max(dirty[0] - top, 0), last + 1)

    def commit(self) -> None:
        """The input is being executed: make its highlighting exact and final."""
        if self.lexer is None or not self.enabled or not self.active():
            return
        self.refresh()
        if self.model is not None and self._resync_timer is not None:
            self._apply(self.model.resync(self.text.input_text()))
        self._cancel_resync()
        self.model = None

    def _arm_resync(self) -> None:
        self._cancel_resync()
        self._resync_timer = self.text.tk.call("after", RESYNC_DELAY_MS, self._start_cmd)

    def _cancel_resync(self) -> None:
        if self._resync_timer is not None:
            self.text.tk.call("after", "cancel", self._resync_timer)
            self._resync_timer = None
        self._resync = None

    def _start_resync(self) -> None:
        self._resync_timer = None
        if self.model is None or not self.active():
            return
        self._resync = self.model.resync_job(self.text.input_text())
        self._resync_slice()

    def _resync_slice(self) -> None:
        job = self._resync
        if job is None or self.model is None or not self.active():
            return
        changed = job.step(time.perf_counter() + SLICE)
        if changed is None:
            self._resync_timer = self.text.tk.call("after", 1, self._slice_cmd)
            return
        self._resync = None
        if changed:
            self._apply(changed)

    # ------------------------------------------------------------ tagging
    def _apply(self, lines: range) -> None:
        """Replace the highlight tags on input ``lines`` with the model's tokens."""
        assert self.model is not None
        raw = self.text._raw
        call = self.text.tk.call
        first_line, first_col = (int(n) for n in self._start.split("."))
        top = f"{first_line + lines.start}.0"
        bottom = f"{first_line + lines.stop}.0"
        for tag in self._tags.values():
            call(raw, "tag", "remove", tag, top, bottom)
        ranges: dict[str, list[str]] = {}
        tokens = self.model.tokens
        for i in lines:
            row = first_line + i
            shift = first_col if i == 0 else 0
            for start, end, ttype in tokens[i]:
                ranges.setdefault(self._tag(ttype), []).extend(
                    (f"{row}.{start + shift}", f"{row}.{end + shift}")
                )
        for tag, indices in ranges.items():
            call(raw, "tag", "add", tag, *indices)

    def _tag(self, ttype: Any) -> str:
        tag = self._tags.get(ttype)
        if tag is None:
            tag = self._tags[ttype] = "hl-" + ".".join(ttype)
            self._configure(ttype, tag)
            self.text.tag_lower(tag)  # below the selection and search marks
        return tag

    def _configure(self, ttype: Any, tag: str) -> None:
        spec = self._style.style_for_token(ttype)
        colour = spec.get("color")
        variant = ("b" if spec.get("bold") else "") + ("i" if spec.get("italic") else "")
        self.text.tag_configure(
            tag,
            foreground=f"#{colour}" if colour else "",
            font=self._font(variant) if variant else "",
            underline=bool(spec.get("underline")),
        )

    def _font(self, variant: str) -> tkfont.Font:
        font = self._fonts.get(variant)
        if font is None:
            font = self._fonts[variant] = self.font.copy()
            font.configure(
                weight="bold" if "b" in variant else "normal",
                slant="italic" if "i" in variant else "roman",
            )
        return font


def _union(a: range, b: range) -> range:
    """The smallest range covering two ranges (either may be empty)."""
    if not a:
        return b
    if not b:
        return a
    return range(min(a.start, b.start), max(a.stop, b.stop))
