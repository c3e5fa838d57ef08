"""Text flow for the HTML converter: whitespace rules, block breaks, line prefixes, looks.

The converter writes through a ``Writer``: HTML whitespace collapses, block elements ask
for a line break or a blank line, list items and quotes prefix their lines. Every piece
written carries the ``Mark`` in force (style names such as ``strong`` or ``fg:#ff0000``,
the link target, the table it lays out), so the same writing gives plain text
(``html_to_text``) and styled spans with tables as grids (``html_to_doc``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_WS_RE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; other spaces (&nbsp;) are kept
MAX_INDENT = 16  # nesting levels of quotes/lists that still indent


class Mark(NamedTuple):
    """How a piece of text is drawn: style names, the link it is part of, its table."""

    styles: frozenset[str] = frozenset()
    href: str | None = None
    table: int = -1  # index of the grid whose text layout this is; -1: none


class Span(NamedTuple):
    """A run of the output: its text and how it is drawn."""

    text: str
    styles: frozenset[str]
    href: str | None


PLAIN = Mark()
MARKER = Mark(frozenset({"listmarker"}))


_INT_RE = re.compile(r"[+-]?[0-9]{1,9}")


def parse_int(value: str | None) -> int | None:
    """An HTML integer attribute (``start``, ``colspan``): leading digits, else None."""
    m = _INT_RE.match(value.strip()) if value else None
    return int(m.group()) if m else None


def collapse(s: str) -> str:
    return _WS_RE.sub(" ", s).strip(" ")


class Entry:
    """One level of line prefix: a list marker for the first line, indentation after it."""

    __slots__ = ("first", "rest")

    def __init__(self, first: str | None, rest: str) -> None:
        self.first = first
        self.rest = rest


class Box:
    """An open container element (ul, ol, li, blockquote, dd) and what it added."""

    __slots__ = ("counter", "entry", "tag", "writer")

    def __init__(self, tag: str, writer: Writer, entry: Entry | None, counter: int = 1):
        self.tag = tag
        self.writer = writer
        self.entry = entry
        self.counter = counter


class Writer:
    """Accumulates text with HTML whitespace rules, pending block breaks and line prefixes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.marks: list[Mark] = []
        self.mark = PLAIN  # the look of what is written next
        self.nl = 2  # newlines ending the output so far; 2 = as if after a blank line
        self.pending = 0  # newlines the next text needs first: 1 line break, 2 blank line
        self.space = False  # collapsed whitespace waiting to go before the next word
        self.entries: list[Entry] = []

    def _add(self, s: str, mark: Mark) -> None:
        self.parts.append(s)
        self.marks.append(mark)

    def block(self, n: int) -> None:
        self.pending = max(self.pending, n)
        self.space = False

    def newline(self) -> None:
        self._flush()
        self._add("\n", self.mark)
        self.nl += 1
        self.space = False

    def _flush(self) -> None:
        if self.pending > self.nl:
            self._add("\n" * (self.pending - self.nl), PLAIN)
            self.nl = self.pending
        self.pending = 0

    def _prefix(self) -> str:
        out = []
        for e in self.entries[:MAX_INDENT]:
            out.append(e.rest if e.first is None else e.first)
            e.first = None
        if len(self.entries) > MAX_INDENT and self.entries[-1].first is not None:
            out.append(self.entries[-1].first)
            self.entries[-1].first = None
        return "".join(out)

    def put(self, s: str) -> None:
        """Write *s* (no newlines) on the current line, prefixing a fresh line."""
        self._flush()
        if self.nl:
            prefix = self._prefix()
            if prefix:
                self._add(prefix, MARKER if prefix.strip(" >") else PLAIN)
        elif self.space:  # the gap belongs to what it follows: no link underline before a link
            self._add(" ", self.marks[-1] if self.marks else PLAIN)
        self.space = False
        self._add(s, self.mark)
        self.nl = 0

    def text(self, data: str) -> None:
        """Normal flow: whitespace runs become one space, and none at a line start."""
        s = _WS_RE.sub(" ", data)
        core = s.strip(" ")
        if s[:1] == " ":
            self.space = True
        if core:
            self.put(core)
            self.space = s[-1] == " "

    def pre(self, data: str) -> None:
        """Preformatted flow: whitespace and line breaks kept."""
        for k, piece in enumerate(data.split("\n")):
            if k:
                self.newline()
            if piece:
                self.space = False
                self.put(piece)

    def lines(self, lines: list[str], mark: Mark = PLAIN) -> None:
        """A preformatted block of whole lines (a laid-out table), drawn with ``mark``."""
        self.block(2)
        saved, self.mark = self.mark, mark
        for k, line in enumerate(lines):
            if k:
                self.newline()
            self.space = False
            self.put(line)
        self.mark = saved
        self.block(2)

    def result(self) -> str:
        return "".join(self.parts)

    def spans(self) -> list[Span | Mark]:
        """The output tidied (see ``tidy``) as spans, tables marked by ``Mark.table``."""
        return tidy_spans(self.parts, self.marks)


def tidy(text: str) -> str:
    """Strip line ends, keep at most one blank line in a row, end with one newline."""
    out: list[str] = []
    blank = True  # drops leading blank lines
    for line in text.split("\n"):
        line = line.rstrip(" \t")
        if line:
            out.append(line)
            blank = False
        elif not blank:
            out.append("")
            blank = True
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def tidy_spans(parts: list[str], marks: list[Mark]) -> list[Span | Mark]:
    """``tidy`` applied to marked parts; a table's text comes out as its Mark alone."""
    text = "".join(parts)
    bounds: list[int] = []
    pos = 0
    for p in parts:
        pos += len(p)
        bounds.append(pos)
    out: list[Span | Mark] = []
    chars: list[str] = []
    k = 0  # the part the current character is in
    current: Mark | None = None
    for start, end in tidy_ranges(text):
        i = start
        while i < end:
            while k < len(bounds) and bounds[k] <= i:
                k += 1
            mark = marks[k] if k < len(marks) else PLAIN
            stop = min(end, bounds[k] if k < len(bounds) else end)
            if mark != current:
                _emit(out, chars, current)
                current = mark
            chars.append(text[i:stop])
            i = stop
    _emit(out, chars, current)
    return out


def _emit(out: list[Span | Mark], chars: list[str], mark: Mark | None) -> None:
    if not chars or mark is None:
        chars.clear()
        return
    if mark.table >= 0:
        if not (out and out[-1] == mark):
            out.append(mark)
    else:
        out.append(Span("".join(chars), mark.styles, mark.href))
    chars.clear()


def tidy_ranges(text: str) -> list[tuple[int, int]]:
    """The original ranges of ``text`` that ``tidy`` keeps, in order, less the newline
    ``tidy`` adds at the end."""
    lines = text.split("\n")
    keep: list[tuple[int, int]] = []
    kept_lines: list[tuple[int, int, int]] = []  # (start, stripped end, newline at)
    blank = True
    pos = 0
    for line in lines:
        end = pos + len(line)
        stripped = len(line.rstrip(" \t"))
        if stripped:
            kept_lines.append((pos, pos + stripped, end))
            blank = False
        elif not blank:
            kept_lines.append((pos, pos, end))
            blank = True
        pos = end + 1
    while kept_lines and kept_lines[-1][0] == kept_lines[-1][1]:
        kept_lines.pop()
    for n, (start, stop, newline) in enumerate(kept_lines):
        if stop > start:
            keep.append((start, stop))
        if n + 1 < len(kept_lines):
            keep.append((newline, newline + 1))
    return keep
