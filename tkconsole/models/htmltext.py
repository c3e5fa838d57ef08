"""HTML to readable plain text, for ``text/html`` output in a console with no HTML engine.

Kernels publish HTML for rich reprs (pandas ``DataFrame._repr_html_``, ``IPython.display.HTML``).
The console shows it as text: block elements become line breaks, lists get bullets or
numbers, images become ``[image: alt]``, and tables are laid out in aligned columns.

Design points:

* Nothing is executed or fetched: ``<script>``, ``<style>``, ``<head>``, ``<template>``,
  ``<title>``, ``<iframe>`` and comments are dropped; images and links are only named.
* Linear time, because it runs on the GUI thread. ``html.parser.HTMLParser`` alone is not
  (measured on CPython 3.11.7): ``"<a " * 7000``, a tag never closed, takes it seconds
  (quadratic), and ``"<!["`` makes it raise. So a linear pre-pass first rewrites the
  input as canonical markup: every complete tag becomes ``<name attr="value">``, comments
  and declarations are dropped, a ``<`` that starts no tag becomes ``&lt;``, raw-text
  elements (``<script>``, ``<textarea>``, ...) are cut at their end tag, and a tag cut off
  by the end of the input is dropped, as browsers do. HTMLParser (``convert_charrefs``)
  then only ever sees well-formed markup.
* Never raises, on any input.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

__all__ = ["html_to_text"]

_CELL_MAX = 40  # widest table cell shown, in columns; longer cells end in "…"
_MAX_COLSPAN = 100
_MAX_COLUMNS = 200  # cells beyond this column are dropped
_MAX_CELLS = 100_000  # bigger grids are listed row by row, unaligned (padding is quadratic)
_MAX_ROWSPAN = 1000
_MAX_INDENT = 16  # nesting levels of quotes/lists that still indent
_MAX_SEARCH = 64  # how far down the open-element stack an end tag looks for its start
_MAX_SKIP = 100

# --- the pre-pass -----------------------------------------------------------------------

_NAME_RE = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_SEP_RE = re.compile(r"[\t\n\f\r /]*")
_SPACE_RE = re.compile(r"[\t\n\f\r ]*")
_ATTR_NAME_RE = re.compile(r"[^\t\n\f\r />][^\t\n\f\r />=]*")
_UNQUOTED_RE = re.compile(r"[^\t\n\f\r >]*")
_CANON_NAME_RE = re.compile(r"[a-z][a-z0-9_:.\-]*")
_CANON_ATTR_RE = re.compile(r"[a-z_:][a-z0-9_:.\-]*")
_DROP_CONTENT = frozenset({"script", "style", "title", "iframe", "noembed", "noframes"})
_RAW_CONTENT = frozenset({"textarea", "xmp", "plaintext"})
_RAW_END_RE = {
    name: re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE | re.ASCII)
    for name in _DROP_CONTENT | _RAW_CONTENT
}


def _skip_space(src: str, i: int) -> int:
    m = _SPACE_RE.match(src, i)
    return m.end() if m else i


def _scan_tag(src: str, p: int) -> tuple[str, list[tuple[str, str | None]], bool, int] | None:
    """Name, attributes, self-closing flag and end of the tag whose name starts at *p*.

    None if the input ends inside the tag. Every step is an anchored regex match or a
    ``str.find`` that moves forward, so the scan is linear in the tag's length.
    """
    n = len(src)
    m = _NAME_RE.match(src, p)
    assert m is not None
    name, i = m.group().lower(), m.end()
    attrs: list[tuple[str, str | None]] = []
    while True:
        sep = _SEP_RE.match(src, i)
        assert sep is not None
        i = sep.end()
        if i >= n:
            return None
        if src[i] == ">":
            return name, attrs, sep.group().endswith("/"), i + 1
        m = _ATTR_NAME_RE.match(src, i)
        assert m is not None
        key = m.group().lower()
        j = _skip_space(src, m.end())
        if j < n and src[j] == "=":
            j = _skip_space(src, j + 1)
            if j >= n:
                return None
            if src[j] in "\"'":
                e = src.find(src[j], j + 1)
                if e < 0:
                    return None
                attrs.append((key, src[j + 1 : e]))
                i = e + 1
            else:
                v = _UNQUOTED_RE.match(src, j)
                assert v is not None
                attrs.append((key, v.group()))
                i = v.end()
        else:
            attrs.append((key, None))
            i = j


def _canon_tag(name: str, attrs: list[tuple[str, str | None]], closed: bool) -> str:
    m = _CANON_NAME_RE.match(name)
    parts = ["<", m.group() if m else "x"]
    for key, value in attrs:
        if not _CANON_ATTR_RE.fullmatch(key):
            continue
        if value is None:
            parts.append(" " + key)
        else:  # "&" stays: HTMLParser decodes character references in values
            value = value.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append(f' {key}="{value}"')
    parts.append("/>" if closed else ">")
    return "".join(parts)


def _canonical(src: str) -> str:
    """Rewrite *src* so that every ``<`` starts a complete, well-formed tag (see module doc)."""
    out: list[str] = []
    n = len(src)
    i = 0
    bang = -2  # memo: where the next "--!>" is (-1: nowhere), so comments stay linear
    while i < n:
        lt = src.find("<", i)
        if lt < 0:
            out.append(src[i:])
            break
        out.append(src[i:lt])
        i = lt
        c = src[i + 1 : i + 2]
        if c.isascii() and c.isalpha():
            tag = _scan_tag(src, i + 1)
            if tag is None:
                break  # the input ends inside this tag
            name, attrs, closed, i = tag
            raw = name in _DROP_CONTENT or name in _RAW_CONTENT
            out.append(_canon_tag(name, attrs, closed and not raw))
            if raw:
                if name == "plaintext":
                    end = n
                else:
                    m = _RAW_END_RE[name].search(src, i)
                    end = m.start() if m else n
                if name in _RAW_CONTENT:
                    text = src[i:end]
                    if name != "textarea":  # xmp and plaintext show entities undecoded
                        text = text.replace("&", "&amp;")
                    out.append(text.replace("<", "&lt;"))
                i = end
        elif c == "/":
            c2 = src[i + 2 : i + 3]
            if c2.isascii() and c2.isalpha():
                tag = _scan_tag(src, i + 2)
                if tag is None:
                    break
                m = _CANON_NAME_RE.match(tag[0])
                out.append(f"</{m.group() if m else 'x'}>")
                i = tag[3]
            elif c2 == ">":
                i += 3
            elif not c2:
                out.append("&lt;/")
                i += 2
            else:  # "</ ..." is a bogus comment
                gt = src.find(">", i + 2)
                if gt < 0:
                    break
                i = gt + 1
        elif c == "!" and src.startswith("<!--", i):
            j = i + 4
            if src.startswith(">", j):
                i = j + 1
                continue
            if src.startswith("->", j):
                i = j + 2
                continue
            end = src.find("-->", j)
            if bang != -1 and bang < j:
                bang = src.find("--!>", j)
            if bang >= 0 and (end < 0 or bang < end):
                i = bang + 4
            elif end >= 0:
                i = end + 3
            else:
                break  # a comment running to the end of the input
        elif c in ("!", "?"):  # doctype, CDATA, processing instruction: bogus comments
            gt = src.find(">", i + 2)
            if gt < 0:
                break
            i = gt + 1
        else:
            out.append("&lt;")
            i += 1
    return "".join(out)


# --- layout -------------------------------------------------------------------------------

_WS_RE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; other spaces (&nbsp;) are kept
_INT_RE = re.compile(r"[+-]?[0-9]{1,9}")


def _collapse(s: str) -> str:
    return _WS_RE.sub(" ", s).strip(" ")


def _int(value: str | None) -> int | None:
    m = _INT_RE.match(value.strip()) if value else None
    return int(m.group()) if m else None


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(s: str) -> int:
    """Columns *s* takes in a monospaced font (wide East Asian characters count twice)."""
    return len(s) if s.isascii() else sum(map(_char_width, s))


def _clip(s: str, limit: int) -> str:
    if _width(s) <= limit:
        return s
    out, w = [], 0
    for ch in s:
        cw = _char_width(ch)
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def _is_number(s: str) -> bool:
    t = s.replace(",", "").replace("_", "").removesuffix("%").strip()
    if not t or len(t) > 40:
        return False
    try:
        float(t)
    except ValueError:
        return False
    return True


class _Entry:
    """One level of line prefix: a list marker for the first line, indentation after it."""

    __slots__ = ("first", "rest")

    def __init__(self, first: str | None, rest: str) -> None:
        self.first = first
        self.rest = rest


class _Writer:
    """Accumulates text with HTML whitespace rules, pending block breaks and line prefixes."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.nl = 2  # newlines ending the output so far; 2 = as if after a blank line
        self.pending = 0  # newlines the next text needs first: 1 line break, 2 blank line
        self.space = False  # collapsed whitespace waiting to go before the next word
        self.entries: list[_Entry] = []

    def block(self, n: int) -> None:
        self.pending = max(self.pending, n)
        self.space = False

    def newline(self) -> None:
        self._flush()
        self.parts.append("\n")
        self.nl += 1
        self.space = False

    def _flush(self) -> None:
        if self.pending > self.nl:
            self.parts.append("\n" * (self.pending - self.nl))
            self.nl = self.pending
        self.pending = 0

    def _prefix(self) -> str:
        out = []
        for e in self.entries[:_MAX_INDENT]:
            out.append(e.rest if e.first is None else e.first)
            e.first = None
        if len(self.entries) > _MAX_INDENT and self.entries[-1].first is not None:
            out.append(self.entries[-1].first)
            self.entries[-1].first = None
        return "".join(out)

    def put(self, s: str) -> None:
        """Write *s* (no newlines) on the current line, prefixing a fresh line."""
        self._flush()
        if self.nl:
            self.parts.append(self._prefix())
        elif self.space:
            self.parts.append(" ")
        self.space = False
        self.parts.append(s)
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

    def lines(self, lines: list[str]) -> None:
        """A preformatted block of whole lines (a laid-out table)."""
        self.block(2)
        for k, line in enumerate(lines):
            if k:
                self.newline()
            self.space = False
            self.put(line)
        self.block(2)

    def result(self) -> str:
        return "".join(self.parts)


class _Box:
    """An open container element (ul, ol, li, blockquote, dd) and what it added."""

    __slots__ = ("counter", "entry", "tag", "writer")

    def __init__(self, tag: str, writer: _Writer, entry: _Entry | None, counter: int = 1):
        self.tag = tag
        self.writer = writer
        self.entry = entry
        self.counter = counter


class _Cell:
    """A table cell's collected text and how many columns and rows it spans."""

    __slots__ = ("colspan", "header", "rowspan", "text", "writer")

    def __init__(self, header: bool, colspan: int, rowspan: int, writer: _Writer) -> None:
        self.header = header
        self.colspan = colspan
        self.rowspan = rowspan
        self.writer = writer
        self.text = ""


class _Table:
    """Rows and cells collected until ``</table>``, when the table is laid out."""

    __slots__ = ("caption", "caption_writer", "cell", "row", "row_section", "rows", "section")

    def __init__(self) -> None:
        self.rows: list[tuple[list[_Cell], str]] = []
        self.row: list[_Cell] | None = None
        self.row_section = ""
        self.section = ""
        self.cell: _Cell | None = None
        self.caption = ""
        self.caption_writer: _Writer | None = None


def _layout(table: _Table) -> list[str]:
    """The table as aligned lines: header rows, a rule, body rows (see html_to_text)."""
    grid: list[list[str]] = []
    heads: list[bool] = []
    has_thead = any(section == "thead" for _, section in table.rows)
    carry: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    total = 0
    for cells, section in table.rows:
        spans = {c for c, left in carry.items() if left > 0}
        row: list[str] = []
        for cell in cells:
            while len(row) in spans:
                row.append("")
            col = len(row)
            if col >= _MAX_COLUMNS:
                break
            row.append(_clip(cell.text, _CELL_MAX))
            row.extend([""] * min(cell.colspan - 1, _MAX_COLUMNS - col - 1))
            if cell.rowspan > 1:
                for c in range(col, len(row)):
                    carry[c] = cell.rowspan - 1 + (c in spans)
        while len(row) in spans:
            row.append("")
        for c in spans:
            carry[c] -= 1
        carry = {c: left for c, left in carry.items() if left > 0}
        total += len(row)
        if total > _MAX_CELLS:
            lines = [table.caption] if table.caption else []
            return lines + ["  ".join(c.text for c in cells) for cells, _ in table.rows]
        grid.append(row)
        if has_thead:
            heads.append(section == "thead")
        else:
            heads.append(section != "tfoot" and bool(cells) and all(c.header for c in cells))
    head = 0
    while head < len(heads) and heads[head]:
        head += 1
    ncols = max((len(r) for r in grid), default=0)
    if not any(cell for r in grid for cell in r):
        return [table.caption] if table.caption else []
    for r in grid:
        r.extend([""] * (ncols - len(r)))
    widths = [max(_width(r[c]) for r in grid) for c in range(ncols)]
    right = []
    for c in range(ncols):
        body = [r[c] for r in grid[head:] if r[c] and r[c] not in ("...", "…")]
        right.append(bool(body) and all(_is_number(x) for x in body))
    lines = [table.caption] if table.caption else []
    for k, r in enumerate(grid):
        if k == head and 0 < head < len(grid):
            lines.append("─" * (sum(widths) + 2 * (ncols - 1)))
        cells = []
        for text, w, rt in zip(r, widths, right, strict=True):
            gap = " " * (w - _width(text))
            cells.append(gap + text if rt else text + gap)
        lines.append("  ".join(cells).rstrip())
    return lines


# --- the HTMLParser -----------------------------------------------------------------------

_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})  # fmt: skip
_SKIP = frozenset({
    "script", "style", "head", "template", "title", "iframe", "noembed", "noframes",
})  # fmt: skip
_HEAD_TAGS = frozenset({
    "base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template",
    "title",
})  # fmt: skip
_BLOCK_1 = frozenset({
    "address", "article", "aside", "body", "center", "details", "dialog", "div", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "html", "legend",
    "main", "menu", "nav", "optgroup", "option", "search", "section", "summary",
})  # fmt: skip
_BLOCK_2 = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "dl"})
_LINK_SCHEMES = ("http://", "https://", "ftp://", "mailto:")


class _Converter(HTMLParser):
    """Turns parser events into writer calls; tables collect cells until they end."""

    def __init__(self, width: int) -> None:
        super().__init__(convert_charrefs=True)
        self.rule = "─" * max(3, min(width, 40))
        self.root = _Writer()
        self.writers = [self.root]
        self.skip: list[str] = []
        self.boxes: list[_Box] = []
        self.tables: list[_Table] = []
        self.links: list[tuple[str | None, _Writer, int]] = []
        self.pre_depth = 0
        self.pre_start = False
        self.li_open = 0

    @property
    def w(self) -> _Writer:
        return self.writers[-1]

    # events

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if self.skip[-1] == "head" and tag not in _HEAD_TAGS:
                self.skip.pop()  # body content implicitly ends <head>
            else:
                if tag in _SKIP and len(self.skip) < _MAX_SKIP:
                    self.skip.append(tag)
                return
        if tag in _SKIP:
            self.skip.append(tag)
            return
        self.pre_start = False
        a: dict[str, str] = {}
        for key, value in attrs:
            a.setdefault(key, value or "")
        handler = getattr(self, "_start_" + tag, None)
        if handler is not None:
            handler(tag, a)
        elif tag in _BLOCK_1:
            self.w.block(1)
        elif tag in _BLOCK_2:
            self.w.block(2)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in self.skip:
                while self.skip.pop() != tag:
                    pass
            return
        self.pre_start = False
        handler = getattr(self, "_end_" + tag, None)
        if handler is not None:
            handler(tag)
        elif tag in _BLOCK_1:
            self.w.block(1)
        elif tag in _BLOCK_2:
            self.w.block(2)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre_start:
            self.pre_start = False
            if data.startswith("\n"):  # HTML drops one newline right after <pre>
                data = data[1:]
        if self.pre_depth:
            self.w.pre(data)
        else:
            self.w.text(data)

    # containers

    def _find_box(self, tags: tuple[str, ...]) -> int:
        for k in range(len(self.boxes) - 1, max(-1, len(self.boxes) - 1 - _MAX_SEARCH), -1):
            if self.boxes[k].tag in tags:
                return k
        return -1

    def _close_boxes(self, index: int) -> None:
        while len(self.boxes) > index:
            box = self.boxes.pop()
            if box.tag == "li":
                self.li_open -= 1
            entry = box.entry
            if entry is None:
                continue
            entries = box.writer.entries
            if entry.first is not None and entries and entries[-1] is entry:
                box.writer.put("")  # an empty item still shows its marker
            if entries and entries[-1] is entry:
                entries.pop()
            elif entry in entries:
                entries.remove(entry)

    def _start_ul(self, tag: str, a: dict[str, str]) -> None:
        self.w.block(1 if self.li_open else 2)
        start = _int(a.get("start")) if tag == "ol" else None
        self.boxes.append(_Box(tag, self.w, None, 1 if start is None else start))

    _start_ol = _start_ul
    _start_menu = _start_ul

    def _end_ul(self, tag: str) -> None:
        k = self._find_box(("ul", "ol", "menu"))
        if k >= 0:
            self._close_boxes(k)
        self.w.block(1 if self.li_open else 2)

    _end_ol = _end_ul
    _end_menu = _end_ul

    def _start_li(self, tag: str, a: dict[str, str]) -> None:
        k = self._find_box(("li", "ul", "ol", "menu"))
        if k >= 0 and self.boxes[k].tag == "li":
            self._close_boxes(k)  # a new item ends the open one
        k = self._find_box(("ul", "ol", "menu"))
        marker = "• "
        if k >= 0 and self.boxes[k].tag == "ol":
            box = self.boxes[k]
            value = _int(a.get("value"))
            if value is not None:
                box.counter = value
            marker = f"{box.counter}. "
            box.counter += 1
        w = self.w
        w.block(1)
        entry = _Entry(marker, " " * len(marker))
        w.entries.append(entry)
        self.boxes.append(_Box("li", w, entry))
        self.li_open += 1

    def _end_li(self, tag: str) -> None:
        k = self._find_box(("li", "ul", "ol", "menu"))
        if k >= 0 and self.boxes[k].tag == "li":
            self._close_boxes(k)
        self.w.block(1)

    def _start_blockquote(self, tag: str, a: dict[str, str]) -> None:
        w = self.w
        w.block(2 if tag == "blockquote" else 1)
        entry = _Entry(None, "> " if tag == "blockquote" else "  ")
        w.entries.append(entry)
        self.boxes.append(_Box(tag, w, entry))

    _start_dd = _start_blockquote

    def _end_blockquote(self, tag: str) -> None:
        k = self._find_box((tag,))
        if k >= 0:
            self._close_boxes(k)
        self.w.block(2 if tag == "blockquote" else 1)

    _end_dd = _end_blockquote

    # simple elements

    def _start_br(self, tag: str, a: dict[str, str]) -> None:
        self.w.newline()

    def _end_br(self, tag: str) -> None:
        self.w.newline()  # browsers read a stray </br> as <br>

    def _start_hr(self, tag: str, a: dict[str, str]) -> None:
        self.w.block(1)
        self.w.put(self.rule)
        self.w.block(1)

    def _start_img(self, tag: str, a: dict[str, str]) -> None:
        alt = a.get("alt")
        if alt is None:
            self.w.text(" [image] ")
        elif alt.strip():
            self.w.text(f" [image: {_collapse(alt)}] ")

    def _start_pre(self, tag: str, a: dict[str, str]) -> None:
        self.w.block(2)
        self.pre_depth += 1
        self.pre_start = True

    def _end_pre(self, tag: str) -> None:
        self.pre_depth = max(0, self.pre_depth - 1)
        self.w.block(2)

    _start_listing = _start_textarea = _start_xmp = _start_plaintext = _start_pre
    _end_listing = _end_textarea = _end_xmp = _end_plaintext = _end_pre

    def _start_a(self, tag: str, a: dict[str, str]) -> None:
        if self.links:  # links do not nest: a new one ends the open one, as in browsers
            self._end_a(tag)
        self.links.append((a.get("href"), self.w, len(self.w.parts)))

    def _end_a(self, tag: str) -> None:
        if not self.links:
            return
        href, w, mark = self.links.pop()
        if href is None or w is not self.root or w is not self.w:
            return  # no URLs inside table cells: they would only widen the columns
        href = _collapse(href)
        text = _collapse("".join(w.parts[mark:]))
        bare = href.removeprefix("mailto:")
        same = text in (href, bare) or text.rstrip("/") == href.rstrip("/")
        if href.lower().startswith(_LINK_SCHEMES) and not same:
            w.text(f" <{href}>")

    # tables

    def _start_table(self, tag: str, a: dict[str, str]) -> None:
        self.w.block(2)
        self.tables.append(_Table())

    def _end_table(self, tag: str) -> None:
        if self.tables:
            self._flush_table()

    def _flush_table(self) -> None:
        table = self.tables.pop()
        self._end_caption_of(table)
        self._end_cell(table)
        self._end_row(table)
        lines = _layout(table)
        if lines:
            self.w.lines(lines)
        else:
            self.w.block(2)

    def _pop_writer(self, writer: _Writer) -> None:
        if writer in self.writers[1:]:
            while self.writers.pop() is not writer:
                pass

    def _end_cell(self, table: _Table) -> None:
        cell = table.cell
        if cell is None:
            return
        table.cell = None
        self._pop_writer(cell.writer)
        cell.text = _collapse(cell.writer.result())
        if table.row is None:
            table.row, table.row_section = [], table.section
        table.row.append(cell)

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        if table.row:
            table.rows.append((table.row, table.row_section))
        table.row = None

    def _end_caption_of(self, table: _Table) -> None:
        writer = table.caption_writer
        if writer is not None:
            table.caption_writer = None
            self._pop_writer(writer)
            table.caption = _collapse(writer.result())

    def _start_caption(self, tag: str, a: dict[str, str]) -> None:
        if self.tables and self.tables[-1].caption_writer is None:
            self.tables[-1].caption_writer = self._push_writer()

    def _end_caption(self, tag: str) -> None:
        if self.tables:
            self._end_caption_of(self.tables[-1])

    def _push_writer(self) -> _Writer:
        writer = _Writer()
        self.writers.append(writer)
        return writer

    def _start_tr(self, tag: str, a: dict[str, str]) -> None:
        if not self.tables:
            self.w.block(1)
            return
        table = self.tables[-1]
        self._end_caption_of(table)
        self._end_row(table)
        table.row, table.row_section = [], table.section

    def _end_tr(self, tag: str) -> None:
        if self.tables:
            self._end_row(self.tables[-1])
        else:
            self.w.block(1)

    def _start_td(self, tag: str, a: dict[str, str]) -> None:
        if not self.tables:
            self.w.text(" ")
            return
        table = self.tables[-1]
        self._end_caption_of(table)
        self._end_cell(table)
        if table.row is None:
            table.row, table.row_section = [], table.section
        colspan = min(max(_int(a.get("colspan")) or 1, 1), _MAX_COLSPAN)
        rowspan = min(max(_int(a.get("rowspan")) or 1, 1), _MAX_ROWSPAN)
        table.cell = _Cell(tag == "th", colspan, rowspan, self._push_writer())

    _start_th = _start_td

    def _end_td(self, tag: str) -> None:
        if self.tables:
            self._end_cell(self.tables[-1])
        else:
            self.w.text(" ")

    _end_th = _end_td

    def _start_thead(self, tag: str, a: dict[str, str]) -> None:
        if self.tables:
            table = self.tables[-1]
            self._end_caption_of(table)
            self._end_row(table)
            table.section = tag

    _start_tbody = _start_tfoot = _start_thead

    def _end_thead(self, tag: str) -> None:
        if self.tables:
            table = self.tables[-1]
            self._end_row(table)
            table.section = ""

    _end_tbody = _end_tfoot = _end_thead

    def finish(self) -> str:
        while self.tables:
            self._flush_table()
        return self.root.result()


def _tidy(text: str) -> str:
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


def html_to_text(source: str, width: int = 100) -> str:
    """Readable plain text for the HTML *source*; it ends with exactly one newline.

    Nothing in *source* is executed or fetched. *width* only bounds the length of ``<hr>``
    rules: tables wider than it are still laid out unwrapped (readable beats narrow).
    Never raises.
    """
    text = str(source).replace("\r\n", "\n").replace("\r", "\n")
    try:
        result = _convert(text, width)
    except Exception:  # a bug here must not take the console down
        result = _fallback(text)
    return _tidy(result)


def _convert(text: str, width: int) -> str:
    converter = _Converter(width)
    converter.feed(_canonical(text))
    converter.close()
    return converter.finish()


def _fallback(text: str) -> str:
    """The source with whitespace collapsed (tests patch this to prove it is never needed)."""
    return _collapse(text)
