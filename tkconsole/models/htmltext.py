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

from collections.abc import Callable
from html.parser import HTMLParser

from .htmlcss import NO_LOOK, Look, id_rules, parse_declarations
from .htmlflow import PLAIN, Box, Entry, Mark, Span, Writer, collapse, parse_int, tidy
from .htmlscan import canonical
from .htmltable import TABLE_TAGS, TableEvents
from .htmltags import (
    BLOCK_1,
    BLOCK_2,
    HEAD_TAGS,
    LINK_SCHEMES,
    SKIP,
    TAG_STYLES,
    VOID,
)  # fmt: skip
from .textgrid import Grid

__all__ = ["Block", "html_to_doc", "html_to_text"]

Block = list[Span] | Grid
"""A piece of an HTML document: flowing text as spans, or a table."""

_MAX_SEARCH = 64  # how far down the open-element stack an end tag looks for its start
_MAX_SKIP = 100
_MAX_LOOKS = 256  # nested styled elements tracked; deeper ones draw as their parent


def _look_styles(look: Look) -> frozenset[str]:
    out = set()
    if look.fg:
        out.add("fg:" + look.fg)
    if look.bg:
        out.add("bg:" + look.bg)
    if look.bold:
        out.add("strong")
    return frozenset(out)


class _Converter(HTMLParser):
    """Turns parser events into writer calls; tables collect cells until they end."""

    def __init__(self, width: int, rules: dict[str, Look] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.rule = "─" * max(3, min(width, 40))
        self.rules = rules or {}
        self.looks: list[tuple[str, Mark]] = []  # open styled elements and their marks
        self.table_events: TableEvents = TableEvents(self)
        self.root = Writer()
        self.writers = [self.root]
        self.skip: list[str] = []
        self.boxes: list[Box] = []
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
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if self.skip[-1] == "head" and tag not in HEAD_TAGS:
                self.skip.pop()  # body content implicitly ends <head>
            else:
                if tag in SKIP and len(self.skip) < _MAX_SKIP:
                    self.skip.append(tag)
                return
        if tag in SKIP:
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
        elif tag in BLOCK_1:
            self.w.block(1)
        elif tag in BLOCK_2:
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
        elif tag in BLOCK_1:
            self.w.block(1)
        elif tag in BLOCK_2:
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
        if tag in VOID or tag in ("a", "td", "th") or len(self.looks) >= _MAX_LOOKS:
            return
        styles = set()
        if tag in TAG_STYLES:
            styles.add(TAG_STYLES[tag])
        look = self.css(a)
        if look is not NO_LOOK:
            styles |= _look_styles(look)
        if styles:
            self._push_look(tag, frozenset(styles), None)

    def css(self, a: dict[str, str]) -> Look:
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
        start = parse_int(a.get("start")) if tag == "ol" else None
        self.boxes.append(Box(tag, self.w, None, 1 if start is None else start))

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
            value = parse_int(a.get("value"))
            if value is not None:
                box.counter = value
            marker = f"{box.counter}. "
            box.counter += 1
        w = self.w
        w.block(1)
        entry = Entry(marker, " " * len(marker))
        w.entries.append(entry)
        self.boxes.append(Box("li", w, entry))
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
        self.boxes.append(Box(tag, w, entry))

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
        if href is not None and collapse(href).lower().startswith(LINK_SCHEMES):
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
        if href.lower().startswith(LINK_SCHEMES) and not same:
            saved = w.mark
            w.mark = Mark(saved.styles | {"url"}, href)
            w.text(f" <{href}>")
            w.mark = saved

    # the writer stack: cells and captions collect their text in writers of their own

    def push_writer(self) -> Writer:
        writer = Writer()
        self.writers.append(writer)
        return writer

    def pop_writer(self, writer: Writer) -> None:
        if writer in self.writers[1:]:
            while self.writers.pop() is not writer:
                pass
            self.w.mark = self.looks[-1][1] if self.looks else PLAIN

    def finish(self) -> Writer:
        self.table_events.finish()
        return self.root


_Start = Callable[[_Converter, str, dict[str, str]], None]
_End = Callable[[_Converter, str], None]

# What each element does when it opens and when it closes (others: BLOCK_1/BLOCK_2 breaks).
_STARTS: dict[str, _Start] = {
    "ul": _Converter._start_ul, "ol": _Converter._start_ul, "menu": _Converter._start_ul,
    "li": _Converter._start_li, "blockquote": _Converter._start_blockquote,
    "dd": _Converter._start_blockquote, "br": _Converter._start_br, "hr": _Converter._start_hr,
    "img": _Converter._start_img, "pre": _Converter._start_pre,
    "listing": _Converter._start_pre, "textarea": _Converter._start_pre,
    "xmp": _Converter._start_pre, "plaintext": _Converter._start_pre,
    "a": _Converter._start_a,
    **{tag: lambda c, t, a: c.table_events.start(t, a) for tag in TABLE_TAGS},
}  # fmt: skip
_ENDS: dict[str, _End] = {
    "ul": _Converter._end_ul, "ol": _Converter._end_ul, "menu": _Converter._end_ul,
    "li": _Converter._end_li, "blockquote": _Converter._end_blockquote,
    "dd": _Converter._end_blockquote, "br": _Converter._end_br, "pre": _Converter._end_pre,
    "listing": _Converter._end_pre, "textarea": _Converter._end_pre,
    "xmp": _Converter._end_pre, "plaintext": _Converter._end_pre, "a": _Converter._end_a,
    **{tag: lambda c, t: c.table_events.end(t) for tag in TABLE_TAGS},
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
        grids = converter.table_events.grids
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
