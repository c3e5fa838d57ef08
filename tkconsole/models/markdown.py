"""Markdown to styled text runs, for showing ``text/markdown`` output in a Tk text widget.

Kernels publish Markdown (``IPython.display.Markdown``, rich reprs); this module parses it
with markdown-it-py (CommonMark, plus GFM tables and strikethrough, plus ``$…$`` /
``$$…$$`` math from mdit-py-plugins' dollarmath) and turns the token stream into
``(text, styles)`` runs; the view maps each style name onto a Tk text tag and draws
``math`` / ``mathblock`` runs as typeset images.

Design points:

* Pure and Tk-free, testable without a display. It never raises: whatever fails is shown
  as plain text.
* Linear time, on the GUI thread: markdown-it-py is linear on the cases we test, and the
  walk over its tokens is one pass with an explicit stack (no recursion). A table too big
  to pad (cells x rows over ``_MAX_TABLE_CELLS``) is claimed by a block rule of ours before
  the table rule sees it and is shown as its source.
* Raw HTML is shown as text, images as ``[image: alt]``: nothing is fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .textgrid import Cell, Grid

if TYPE_CHECKING:
    from markdown_it.rules_block import StateBlock

__all__ = ["BULLET", "HR_TEXT", "STYLES", "Run", "render_markdown"]

Run = tuple[str, frozenset[str]]
"""A piece of displayed text and the names of the styles (Tk tags) that apply to it."""

STYLES = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "strike", "code", "codeblock",
    "link", "url", "quote", "listmarker", "hr", "math", "mathblock",
})  # fmt: skip
"""Every style name :func:`render_markdown` can produce, so the view can configure tags."""

HR_TEXT = "─" * 40
BULLET = "• "

_NO: frozenset[str] = frozenset()
_CODE = frozenset({"code"})
_CODEBLOCK = frozenset({"codeblock"})
_HR = frozenset({"hr"})
_MARKER = frozenset({"listmarker"})
_MATHBLOCK = frozenset({"mathblock"})

_MAX_TABLE_CELLS = 100_000  # bigger tables are shown as their source (padding is quadratic)
_MAX_NESTING = 20  # markdown-it's limit on nested blocks; deeper content is not shown
_MAX_ALT = 200  # image alt text shown, in characters
_SPACES_RE = re.compile(r"[ \t]{2,}|\t")  # shown collapsed, as a browser would
_INLINE_STYLE = {"em_open": "em", "strong_open": "strong", "s_open": "strike"}
_INLINE_CLOSE = frozenset({"em_close", "strong_close", "s_close"})


# --- the parser -------------------------------------------------------------------------


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]]


def _big_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Claim a GFM table too big to lay out, so it is shown as source (see module doc)."""
    if start + 1 >= end or state.sCount[start] - state.blkIndent >= 4:
        return False
    delim = _line(state, start + 1)
    if "|" not in delim or "-" not in delim or delim.strip(" \t|:-"):
        return False
    ncols = delim.strip(" \t|").count("|") + 1
    line = start + 2
    while line < end and not state.isEmpty(line) and "|" in _line(state, line):
        line += 1
    if (line - start) * ncols <= _MAX_TABLE_CELLS or "|" not in _line(state, start):
        return False
    if not silent:
        token = state.push("big_table", "", 0)
        token.content = state.getLines(start, line, state.blkIndent, False)
        token.map = [start, line]
    state.line = line
    return True


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False, "maxNesting": _MAX_NESTING})
    md.enable(["table", "strikethrough"])
    # Pandoc's rules: "$5 and $6" is money, not math.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.block.ruler.before("table", "big_table", _big_table)
    return md


# --- inline tokens ----------------------------------------------------------------------


def _plain(children: list[Any]) -> str:
    """The text of inline tokens without their markup (image alt text, table cells)."""
    out = []
    for t in children:
        if t.type in ("text", "code_inline", "math_inline", "math_inline_double"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t.type == "image":
            out.append(_plain(t.children or []))
    return "".join(out)


def _image(token: Any) -> str:
    alt = " ".join(_plain(token.children or []).split())[:_MAX_ALT]
    return f"[image: {alt}]" if alt else "[image]"


def _inline(children: list[Any], base: frozenset[str], md: Any) -> list[Run]:
    """Runs for one inline token's children: a style stack, links followed by their URL."""
    out: list[Run] = []
    stack = [base]
    links: list[str] = []
    for t in children:
        kind = t.type
        styles = stack[-1]
        if kind == "text":
            out.append((_SPACES_RE.sub(" ", t.content), styles))
        elif kind == "softbreak":
            out.append((" ", styles))
        elif kind == "hardbreak":
            out.append(("\n", styles))
        elif kind == "code_inline":
            out.append((t.content, styles | _CODE))
        elif kind in ("math_inline", "math_inline_double"):
            out.append((t.content, styles | {"math"}))
        elif kind in _INLINE_STYLE:
            stack.append(styles | {_INLINE_STYLE[kind]})
        elif kind in _INLINE_CLOSE or kind == "link_close":
            if len(stack) > 1:
                stack.pop()
            if kind == "link_close" and links:
                href = links.pop()
                if href:
                    out.append((f" <{href}>", stack[-1] | {"url"}))
        elif kind == "link_open":
            stack.append(styles | {"link"})
            href = str(t.attrs.get("href") or "")
            links.append("" if t.markup == "autolink" else md.normalizeLinkText(href))
        elif kind == "image":
            out.append((_image(t), styles | {"url"}))
    return out


# --- blocks -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Frame:
    """An open container (the document, a quote, a list or an item) during the walk."""

    kind: str
    start: int  # where its runs begin in the output
    tight: bool = False
    count: int = 0  # blocks written in it so far
    number: int = 1  # the next item's number (ordered lists)
    delim: str = ""  # "." or ")" for ordered lists, "" for bullets
    pad: str = ""  # an item's continuation indent


def _loose_lists(tokens: list[Any]) -> set[int]:
    """Indices of list openers whose paragraphs show (markdown-it hides tight ones)."""
    loose: set[int] = set()
    opened: list[int] = []
    for k, t in enumerate(tokens):
        if t.type in ("bullet_list_open", "ordered_list_open"):
            opened.append(k)
        elif t.type in ("bullet_list_close", "ordered_list_close") and opened:
            opened.pop()
        elif (
            t.type == "paragraph_open"
            and opened
            and not t.hidden
            and t.level == tokens[opened[-1]].level + 2
        ):
            loose.add(opened[-1])
    return loose


def _indent_runs(runs: list[Run], pad: str) -> list[Run]:
    """Indent every line after the first by *pad* (continuation lines of a list item)."""
    out: list[Run] = []
    pending = False
    for text, styles in runs:
        for k, part in enumerate(text.split("\n")):
            if k:
                out.append(("\n", styles))
                pending = True
            if part:
                if pending:
                    out.append((pad, _NO))
                    pending = False
                out.append((part, styles))
    return out


def _table(tokens: list[Any], i: int) -> tuple[Run, int]:
    """The table starting at ``tokens[i]`` laid out as text; returns it and the close index."""
    rows: list[list[Cell]] = []
    aligns: list[str] = []
    head = 0
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "tr_open":
            rows.append([])
        elif t.type in ("th_open", "td_open"):
            if t.type == "th_open":
                style = str(t.attrs.get("style") or "")
                aligns.append({"right": "r", "center": "c"}.get(style.partition(":")[2], "l"))
                head = 1
        elif t.type == "inline" and rows:
            rows[-1].append(Cell(_plain(t.children or []).replace("\n", " ")))
        i += 1
    for row in rows:
        row[len(aligns) :] = []
        row.extend(Cell() for _ in range(len(aligns) - len(row)))
    grid = Grid(rows, head=head, aligns=aligns)
    return ("\n".join(grid.lines()) + "\n", _CODEBLOCK), i


_LEAF_CLOSE = frozenset({"paragraph_close", "heading_close"})
_CONTAINER_CLOSE = frozenset({
    "blockquote_close", "list_item_close", "bullet_list_close", "ordered_list_close",
})  # fmt: skip


def _blocks(tokens: list[Any], md: Any) -> list[Run]:
    """One pass over the block tokens with a stack of open containers."""
    out: list[Run] = []
    loose = _loose_lists(tokens)
    frames = [_Frame("doc", 0)]
    i = 0
    while i < len(tokens):
        t = tokens[i]
        kind = t.type
        frame = frames[-1]
        if kind.endswith("_close") and kind not in _LEAF_CLOSE:
            if kind in _CONTAINER_CLOSE and len(frames) > 1:
                _close(frames.pop(), out)
            i += 1
            continue
        if kind in _LEAF_CLOSE:
            i += 1
            continue
        if kind == "list_item_open":
            if frame.count and not frame.tight:
                out.append(("\n", _NO))
            frame.count += 1
            marker = f"{frame.number}{frame.delim} " if frame.delim else BULLET
            frame.number += 1
            out.append((marker, _MARKER))
            frames.append(_Frame("item", len(out), frame.tight, pad=" " * len(marker)))
            i += 1
            continue
        if frame.count and not frame.tight:
            out.append(("\n", _NO))
        frame.count += 1
        if kind == "blockquote_open":
            frames.append(_Frame("quote", len(out)))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lst = _Frame("list", len(out), tight=i not in loose)
            if kind == "ordered_list_open":
                lst.delim = t.markup or "."
                lst.number = int(t.attrs.get("start") or 1)
            frames.append(lst)
        elif kind == "paragraph_open":
            out += _inline(tokens[i + 1].children or [], _NO, md)
            out.append(("\n", _NO))
            i += 1
        elif kind == "heading_open":
            base = frozenset({t.tag})
            out += _inline(tokens[i + 1].children or [], base, md)
            out.append(("\n", base))
            i += 1
        elif kind in ("fence", "code_block"):
            out.append((t.content.rstrip("\n") + "\n", _CODEBLOCK))
        elif kind in ("math_block", "math_block_label"):
            out.append((t.content.strip() + "\n", _MATHBLOCK))
        elif kind == "hr":
            out.append((HR_TEXT + "\n", _HR))
        elif kind == "big_table":
            out.append((t.content, _CODEBLOCK))
        elif kind == "table_open":
            run, i = _table(tokens, i)
            out.append(run)
        else:
            frame.count -= 1  # nothing drawn (html_block is off; unknown plugin output)
        i += 1
    while len(frames) > 1:
        _close(frames.pop(), out)
    return out


def _close(frame: _Frame, out: list[Run]) -> None:
    """Finish a container: an empty one still takes a line; quotes and items restyle."""
    if frame.kind == "list":
        return
    if len(out) == frame.start:
        out.append(("\n", _NO))
    if frame.kind == "quote":
        out[frame.start :] = [(text, styles | {"quote"}) for text, styles in out[frame.start :]]
    elif frame.kind == "item":
        out[frame.start :] = _indent_runs(out[frame.start :], frame.pad)


# --- the entry point --------------------------------------------------------------------


def _finish(runs: list[Run]) -> list[Run]:
    """Merge neighbouring runs of one style and end the text with exactly one newline."""
    groups: list[tuple[list[str], frozenset[str]]] = []
    for text, styles in runs:
        if not text:
            continue
        if groups and groups[-1][1] == styles:
            groups[-1][0].append(text)
        else:
            groups.append(([text], styles))
    merged = [("".join(parts), styles) for parts, styles in groups]
    while merged and not merged[-1][0].rstrip("\n"):
        merged.pop()
    if not merged:
        return [("\n", _NO)]
    text, styles = merged[-1]
    merged[-1] = (text.rstrip("\n") + "\n", styles)
    return merged


def render_markdown(source: str) -> list[Run]:
    """Render Markdown *source* as ``(text, styles)`` runs for a text widget.

    The joined text is what the console shows; it ends with exactly one newline. Style
    names are those in :data:`STYLES`. Never raises: on any internal failure the source is
    shown as plain text.
    """
    text = str(source).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    try:
        runs = _render(text)
    except Exception:  # a parser bug must not take the console down
        runs = _fallback(text)
    return _finish(runs)


def _render(text: str) -> list[Run]:
    md = _parser()
    return _blocks(md.parse(text), md)


def _fallback(text: str) -> list[Run]:
    """The source as plain text (tests patch this to prove it is never needed)."""
    return [(text, _NO)]
