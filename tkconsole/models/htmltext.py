"""HTML to readable text and to styled spans with table grids, for ``text/html`` output.

Kernels publish HTML for rich reprs (pandas ``DataFrame._repr_html_``, ``IPython.display.HTML``).
Block elements become line breaks, lists get bullets or numbers, images become
``[image: alt]``, links are followed by their URL, tables are laid out in aligned columns.
``html_to_text`` gives that as plain text; ``html_to_doc`` gives the same text as spans
that carry their looks (headings, bold, code, links, CSS colours) with each top-level
table as a ``textgrid.Grid`` the view draws as a real grid.

Design points:

* Nothing is executed or fetched: ``<script>``, ``<style>``, ``<head>``, ``<template>``,
  ``<title>``, ``<iframe>`` and comments are dropped; images and links are only named.
  Style sheets are read for ``#id`` colour rules only (``htmlcss``).
* Linear time, on the GUI thread: a linear pre-pass (``htmlscan``) hands HTMLParser only
  well-formed markup, and every stack search here is bounded.
* Never raises, on any input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from .htmlcss import NO_LOOK, Look, id_rules, parse_declarations
from .htmlflow import PLAIN, Entry, Mark, Span, Writer, collapse, tidy
from .htmlscan import canonical
from .htmltable import MAX_COLSPAN, MAX_ROWSPAN, HtmlCell, HtmlTable, build_grid
from .textgrid import Grid

__all__ = ["Block", "html_to_doc", "html_to_text"]

Block = list[Span] | Grid
"""A piece of an HTML document: flowing text as spans, or a table."""

_MAX_SEARCH = 64  # how far down the open-element stack an end tag looks for its start
_MAX_SKIP = 100
_MAX_LOOKS = 256  # nested styled elements tracked; deeper ones draw as their parent
_INT_RE = re.compile(r"[+-]?[0-9]{1,9}")


def _int(value: str | None) -> int | None:
    m = _INT_RE.match(value.strip()) if value else None
    return int(m.group()) if m else None


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
_TAG_STYLES = {
    "b": "strong", "strong": "strong", "i": "em", "em": "em", "cite": "em", "var": "em",
    "dfn": "em", "code": "code", "tt": "code", "kbd": "code", "samp": "code", "s": "strike",
    "strike": "strike", "del": "strike", "u": "underline", "ins": "underline", "h1": "h1",
    "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6", "pre": "codeblock",
    "listing": "codeblock", "xmp": "codeblock", "blockquote": "quote",
}  # fmt: skip


def _look_styles(look: Look) -> frozenset[str]:
    out = set()
    if look.fg:
        out.add("fg:" + look.fg)
    if look.bg:
        out.add("bg:" + look.bg)
    if look.bold:
        out.add("strong")
    return frozenset(out)


class _Box:
    """An open container element (ul, ol, li, blockquote, dd) and what it added."""

    __slots__ = ("counter", "entry", "tag", "writer")

    def __init__(self, tag: str, writer: Writer, entry: Entry | None, counter: int = 1):
        self.tag = tag
        self.writer = writer
        self.entry = entry
        self.counter = counter


class _Converter(HTMLParser):
    """Turns parser events into writer calls; tables collect cells until they end."""

    def __init__(self, width: int, rules: dict[str, Look] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.rule = "─" * max(3, min(width, 40))
        self.rules = rules or {}
        self.looks: list[tuple[str, Mark]] = []  # open styled elements and their marks
        self.grids: list[Grid] = []
        self.root = Writer()
        self.writers = [self.root]
        self.skip: list[str] = []
        self.boxes: list[_Box] = []
        self.tables: list[HtmlTable] = []
        self.links: list[tuple[str | None, Writer, int]] = []
        self.pre_depth = 0
        self.pre_start = False
        self.li_open = 0

    @property
    def w(self) -> Writer:
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
        self._open_look(tag, a)
        handler = _STARTS.get(tag)
        if handler is not None:
            handler(self, tag, a)
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
        self._close_look(tag)
        handler = _ENDS.get(tag)
        if handler is not None:
            handler(self, tag)
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

    # looks: what the text inside styled elements is drawn with

    def _open_look(self, tag: str, a: dict[str, str]) -> None:
        if tag in _VOID or tag in ("a", "td", "th") or len(self.looks) >= _MAX_LOOKS:
            return
        styles = set()
        if tag in _TAG_STYLES:
            styles.add(_TAG_STYLES[tag])
        look = self._css(a)
        if look is not NO_LOOK:
            styles |= _look_styles(look)
        if styles:
            self._push_look(tag, frozenset(styles), None)

    def _css(self, a: dict[str, str]) -> Look:
        """An element's look: its inline style over the sheet's rule for its id."""
        base = self.rules.get(a["id"], NO_LOOK) if "id" in a else NO_LOOK
        return parse_declarations(a["style"]).over(base) if "style" in a else base

    def _push_look(self, tag: str, styles: frozenset[str], href: str | None) -> None:
        top = self.looks[-1][1] if self.looks else PLAIN
        mark = Mark(top.styles | styles, href or top.href)
        self.looks.append((tag, mark))
        self.w.mark = mark

    def _close_look(self, tag: str) -> None:
        for k in range(len(self.looks) - 1, max(-1, len(self.looks) - 1 - _MAX_SEARCH), -1):
            if self.looks[k][0] == tag:
                del self.looks[k:]
                self.w.mark = self.looks[-1][1] if self.looks else PLAIN
                return

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

    def _end_ul(self, tag: str) -> None:
        k = self._find_box(("ul", "ol", "menu"))
        if k >= 0:
            self._close_boxes(k)
        self.w.block(1 if self.li_open else 2)

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
        entry = Entry(marker, " " * len(marker))
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
        entry = Entry(None, "> " if tag == "blockquote" else "  ")
        w.entries.append(entry)
        self.boxes.append(_Box(tag, w, entry))

    def _end_blockquote(self, tag: str) -> None:
        k = self._find_box((tag,))
        if k >= 0:
            self._close_boxes(k)
        self.w.block(2 if tag == "blockquote" else 1)

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
            self.w.text(f" [image: {collapse(alt)}] ")

    def _start_pre(self, tag: str, a: dict[str, str]) -> None:
        self.w.block(2)
        self.pre_depth += 1
        self.pre_start = True

    def _end_pre(self, tag: str) -> None:
        self.pre_depth = max(0, self.pre_depth - 1)
        self.w.block(2)

    def _start_a(self, tag: str, a: dict[str, str]) -> None:
        if self.links:  # links do not nest: a new one ends the open one, as in browsers
            self._close_look(tag)
            self._end_a(tag)
        href = a.get("href")
        self.links.append((href, self.w, len(self.w.parts)))
        if href is not None and collapse(href).lower().startswith(_LINK_SCHEMES):
            self._push_look(tag, frozenset({"link"}), collapse(href))

    def _end_a(self, tag: str) -> None:
        if not self.links:
            return
        href, w, mark = self.links.pop()
        if href is None or w is not self.root or w is not self.w:
            return  # no URLs inside table cells: they would only widen the columns
        href = collapse(href)
        text = collapse("".join(w.parts[mark:]))
        bare = href.removeprefix("mailto:")
        same = text in (href, bare) or text.rstrip("/") == href.rstrip("/")
        if href.lower().startswith(_LINK_SCHEMES) and not same:
            saved = w.mark
            w.mark = Mark(saved.styles | {"url"}, href)
            w.text(f" <{href}>")
            w.mark = saved

    # tables

    def _start_table(self, tag: str, a: dict[str, str]) -> None:
        self.w.block(2)
        self.tables.append(HtmlTable())

    def _end_table(self, tag: str) -> None:
        if self.tables:
            self._flush_table()

    def _flush_table(self) -> None:
        table = self.tables.pop()
        self._end_caption_of(table)
        self._end_cell(table)
        self._end_row(table)
        grid = build_grid(table)
        if grid is None:
            self.w.block(2)
        elif isinstance(grid, Grid):
            top = self.w is self.root and not self.root.entries
            mark = Mark(table=len(self.grids)) if top else Mark(frozenset({"codeblock"}))
            if top:
                self.grids.append(grid)
            self.w.lines(grid.lines(), mark)
        else:
            self.w.lines(grid, Mark(frozenset({"codeblock"})))

    def _pop_writer(self, writer: Writer) -> None:
        if writer in self.writers[1:]:
            while self.writers.pop() is not writer:
                pass
            self.w.mark = self.looks[-1][1] if self.looks else PLAIN

    def _end_cell(self, table: HtmlTable) -> None:
        cell = table.cell
        if cell is None:
            return
        table.cell = None
        self._pop_writer(cell.writer)
        cell.text = collapse(cell.writer.result())
        if table.row is None:
            table.row, table.row_section = [], table.section
        table.row.append(cell)

    def _end_row(self, table: HtmlTable) -> None:
        self._end_cell(table)
        if table.row:
            table.rows.append((table.row, table.row_section))
        table.row = None

    def _end_caption_of(self, table: HtmlTable) -> None:
        writer = table.caption_writer
        if writer is not None:
            table.caption_writer = None
            self._pop_writer(writer)
            table.caption = collapse(writer.result())

    def _start_caption(self, tag: str, a: dict[str, str]) -> None:
        if self.tables and self.tables[-1].caption_writer is None:
            self.tables[-1].caption_writer = self._push_writer()

    def _end_caption(self, tag: str) -> None:
        if self.tables:
            self._end_caption_of(self.tables[-1])

    def _push_writer(self) -> Writer:
        writer = Writer()
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
        colspan = min(max(_int(a.get("colspan")) or 1, 1), MAX_COLSPAN)
        rowspan = min(max(_int(a.get("rowspan")) or 1, 1), MAX_ROWSPAN)
        table.cell = HtmlCell(tag == "th", colspan, rowspan, self._push_writer(), self._css(a))

    def _end_td(self, tag: str) -> None:
        if self.tables:
            self._end_cell(self.tables[-1])
        else:
            self.w.text(" ")

    def _start_thead(self, tag: str, a: dict[str, str]) -> None:
        if self.tables:
            table = self.tables[-1]
            self._end_caption_of(table)
            self._end_row(table)
            table.section = tag

    def _end_thead(self, tag: str) -> None:
        if self.tables:
            table = self.tables[-1]
            self._end_row(table)
            table.section = ""

    def finish(self) -> Writer:
        while self.tables:
            self._flush_table()
        return self.root


_Start = Callable[[_Converter, str, dict[str, str]], None]
_End = Callable[[_Converter, str], None]

# What each element does when it opens and when it closes (others: _BLOCK_1/_BLOCK_2 breaks).
_STARTS: dict[str, _Start] = {
    "ul": _Converter._start_ul, "ol": _Converter._start_ul, "menu": _Converter._start_ul,
    "li": _Converter._start_li, "blockquote": _Converter._start_blockquote,
    "dd": _Converter._start_blockquote, "br": _Converter._start_br, "hr": _Converter._start_hr,
    "img": _Converter._start_img, "pre": _Converter._start_pre,
    "listing": _Converter._start_pre, "textarea": _Converter._start_pre,
    "xmp": _Converter._start_pre, "plaintext": _Converter._start_pre,
    "a": _Converter._start_a, "table": _Converter._start_table,
    "caption": _Converter._start_caption, "tr": _Converter._start_tr,
    "td": _Converter._start_td, "th": _Converter._start_td, "thead": _Converter._start_thead,
    "tbody": _Converter._start_thead, "tfoot": _Converter._start_thead,
}  # fmt: skip
_ENDS: dict[str, _End] = {
    "ul": _Converter._end_ul, "ol": _Converter._end_ul, "menu": _Converter._end_ul,
    "li": _Converter._end_li, "blockquote": _Converter._end_blockquote,
    "dd": _Converter._end_blockquote, "br": _Converter._end_br, "pre": _Converter._end_pre,
    "listing": _Converter._end_pre, "textarea": _Converter._end_pre,
    "xmp": _Converter._end_pre, "plaintext": _Converter._end_pre, "a": _Converter._end_a,
    "table": _Converter._end_table, "caption": _Converter._end_caption,
    "tr": _Converter._end_tr, "td": _Converter._end_td, "th": _Converter._end_td,
    "thead": _Converter._end_thead, "tbody": _Converter._end_thead,
    "tfoot": _Converter._end_thead,
}  # fmt: skip


def html_to_text(source: str, width: int = 100) -> str:
    """Readable plain text for the HTML *source*; it ends with exactly one newline.

    Nothing in *source* is executed or fetched. *width* only bounds the length of ``<hr>``
    rules: tables wider than it are still laid out unwrapped (readable beats narrow).
    Never raises.
    """
    text = str(source).replace("\r\n", "\n").replace("\r", "\n")
    try:
        result = _convert(text, width).result()
    except Exception:  # a bug here must not take the console down
        result = _fallback(text)
    return tidy(result)


def html_to_doc(source: str, width: int = 100) -> list[Block]:
    """The HTML *source* as blocks: spans of flowing text, and top-level tables as grids.

    The text of the spans, with each grid laid out by ``Grid.lines``, is ``html_to_text``
    less its final newline. Never raises.
    """
    text = str(source).replace("\r\n", "\n").replace("\r", "\n")
    try:
        sheets: list[str] = []
        markup = canonical(text, sheets)
        converter = _Converter(width, id_rules(sheets))
        converter.feed(markup)
        converter.close()
        pieces = converter.finish().spans()
        grids = converter.grids
    except Exception:  # a bug here must not take the console down
        return [[Span(tidy(_fallback(text)).rstrip("\n"), frozenset(), None)]]
    blocks: list[Block] = []
    for piece in pieces:
        if isinstance(piece, Mark):
            blocks.append(grids[piece.table])
        elif blocks and isinstance(blocks[-1], list):
            blocks[-1].append(piece)
        else:
            blocks.append([piece])
    return blocks


def _convert(text: str, width: int) -> Writer:
    converter = _Converter(width)
    converter.feed(canonical(text))
    converter.close()
    return converter.finish()


def _fallback(text: str) -> str:
    """The source with whitespace collapsed (tests patch this to prove it is never needed)."""
    return collapse(text)
