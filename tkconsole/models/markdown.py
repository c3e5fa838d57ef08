"""Markdown to styled text runs, for showing ``text/markdown`` output in a Tk text widget.

Kernels publish Markdown (``IPython.display.Markdown``, rich reprs) and the console has no
HTML engine, so this module turns CommonMark/GFM-style source into ``(text, styles)`` runs;
the view maps each style name onto a Tk text tag.

Design points:

* Pure and Tk-free, so it is testable without a display. It never raises: whatever it
  cannot parse is shown as plain text.
* Linear time, because it runs on the GUI thread. Blocks are recognised line by line with
  anchored regexes free of nested quantifiers. Inline markup is one left-to-right scan with
  a CommonMark-style delimiter stack: an "openers bottom" per delimiter kind means an
  unmatched ``*`` is never rescanned, link destinations are found with memoised
  ``str.find`` look-ups, and code-span closers with a precomputed index of backtick runs.
  Container nesting (quotes, lists) is capped, so hostile input cannot recurse deeply.
* Images are shown as ``[image: alt]`` and never fetched; raw HTML is shown as text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field

__all__ = ["BULLET", "HR_TEXT", "STYLES", "Run", "render_markdown"]

Run = tuple[str, frozenset[str]]
"""A piece of displayed text and the names of the styles (Tk tags) that apply to it."""

STYLES = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "codeblock", "link", "url",
    "quote", "listmarker", "hr",
})  # fmt: skip
"""Every style name :func:`render_markdown` can produce, so the view can configure tags."""

HR_TEXT = "─" * 40
BULLET = "• "

_NO: frozenset[str] = frozenset()
_CODE = frozenset({"code"})
_CODEBLOCK = frozenset({"codeblock"})
_LINK = frozenset({"link"})
_URL = frozenset({"url"})
_HR = frozenset({"hr"})
_MARKER = frozenset({"listmarker"})

_MAX_DEPTH = 12  # nested quotes/lists beyond this are shown as plain paragraphs
_MAX_LABEL = 999  # CommonMark's limit on link reference labels
_MAX_ALT = 200  # image alt text shown, in characters
_MAX_TABLE_CELLS = 100_000  # bigger tables are shown as their source (padding is quadratic)

_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

# --- blocks ---------------------------------------------------------------------------

_ATX_RE = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE_RE = re.compile(r"`{3,}|~{3,}")
_BULLET_RE = re.compile(r"[-+*](?=[ \t]|$)")
_ORDERED_RE = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")
_PIPE_RE = re.compile(r"(?<!\\)\|")
_DELIM_CELL_RE = re.compile(r":?-+:?")
_REFDEF_RE = re.compile(
    r"\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(<[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
)


@dataclass(slots=True)
class _Block:
    """One block of the document tree built before any inline parsing (refs come first)."""

    kind: str  # para, heading, code, hr, quote, list, table
    text: str = ""
    level: int = 0
    children: list[_Block] = field(default_factory=list)
    items: list[list[_Block]] = field(default_factory=list)
    start: int = 1
    delim: str = "-"  # bullet character, or "." / ")" for ordered lists
    tight: bool = True
    rows: list[list[str]] = field(default_factory=list)
    aligns: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Item:
    """A list item's marker line: where its content starts and what its first line says."""

    kind: str
    number: int
    content_indent: int
    first: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _expand_tabs(line: str) -> str:
    """Tabs in the indentation become spaces (stops of 4), so indents compare as columns."""
    body = line.lstrip(" \t")
    lead = line[: len(line) - len(body)]
    return lead.expandtabs(4) + body if "\t" in lead else line


def _is_hr(s: str) -> bool:
    t = s.replace(" ", "").replace("\t", "")
    return len(t) >= 3 and t[0] in "-*_" and not t.strip(t[0])


def _fence(s: str) -> tuple[str, int] | None:
    m = _FENCE_RE.match(s)
    if m is None or (s[0] == "`" and "`" in s[m.end() :]):
        return None
    return s[0], m.end()


def _item(line: str) -> _Item | None:
    ind = _indent(line)
    if ind >= 4:
        return None
    s = line[ind:]
    m = _BULLET_RE.match(s)
    if m is not None:
        kind, number = s[0], 0
    else:
        m = _ORDERED_RE.match(s)
        if m is None:
            return None
        kind, number = m.group(2), int(m.group(1))
    width = m.end()
    after = s[width:]
    body = after.lstrip(" \t")
    if not body:
        return _Item(kind, number, ind + width + 1, "")
    gap = len(after) - len(body)
    if gap > 4:  # the content is an indented code block: only one space belongs to the marker
        return _Item(kind, number, ind + width + 1, after[1:])
    return _Item(kind, number, ind + width + gap, body)


def _interrupts(line: str) -> bool:
    """Whether *line* starts a block that ends a paragraph (so it is not a continuation)."""
    ind = _indent(line)
    if ind >= 4:
        return False
    s = line[ind:]
    if _blank(s):
        return True
    c = s[0]
    if c in "`~":
        return _fence(s) is not None
    if c == "#":
        return _ATX_RE.match(s) is not None
    if c == ">" or (c in "-*_" and _is_hr(s)):
        return True
    if c in "-+*" or "0" <= c <= "9":
        it = _item(line)
        return it is not None and not _blank(it.first) and (it.kind in "-+*" or it.number == 1)
    return False


def _lazy_target(line: str) -> bool:
    """Whether *line* (inside a quote or item) ends in a paragraph a bare line may continue."""
    for _ in range(_MAX_DEPTH + 1):
        ind = _indent(line)
        if ind >= 4:
            return False
        if line[ind : ind + 1] == ">":
            line = line[ind + 1 :]
            continue
        it = _item(line)
        if it is None:
            break
        line = it.first
    return not _blank(line) and not _interrupts(line)


def _cells(line: str) -> list[str]:
    s = line.strip(" \t")
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip(" \t") for c in _PIPE_RE.split(s)]


def _delimiter_row(line: str) -> list[str] | None:
    if "|" not in line or "-" not in line or _indent(line) >= 4:
        return None
    aligns = []
    for c in _cells(line):
        if not _DELIM_CELL_RE.fullmatch(c):
            return None
        if c[0] == ":" and c[-1] == ":" and len(c) > 1:
            aligns.append("c")
        else:
            aligns.append("r" if c[-1] == ":" else "l")
    return aligns


def _table_start(lines: list[str], i: int) -> list[str] | None:
    """Column alignments if a GFM table (header row + delimiter row) starts at line *i*."""
    if "|" not in lines[i] or i + 1 >= len(lines) or _indent(lines[i]) >= 4:
        return None
    aligns = _delimiter_row(lines[i + 1])
    if aligns is None or len(aligns) != len(_cells(lines[i])):
        return None
    return aligns


def _norm_label(label: str) -> str:
    return " ".join(label.split()).casefold()


_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entity(m: re.Match[str]) -> str:
    return html.unescape(m.group()).replace("\n", " ")


def _unescape(s: str) -> str:
    """Backslash escapes and entity references in a URL, as CommonMark resolves them."""
    return _ENTITY_RE.sub(_entity, _ESCAPE_RE.sub(r"\1", s))


class _BlockParser:
    """Line-by-line block structure; collects link reference definitions on the way."""

    def __init__(self) -> None:
        self.refs: dict[str, str] = {}

    def parse(self, lines: list[str], depth: int) -> tuple[list[_Block], bool]:
        """Blocks of *lines*, and whether blank lines separate any of them (a loose list)."""
        lines = [_expand_tabs(x) for x in lines]
        if depth > _MAX_DEPTH:
            text = "\n".join(x.strip(" \t") for x in lines if not _blank(x))
            return ([_Block("para", text)] if text else []), False
        blocks: list[_Block] = []
        loose = seen_blank = False
        i, n = 0, len(lines)
        while i < n:
            if _blank(lines[i]):
                seen_blank = True
                i += 1
                continue
            if seen_blank and blocks:
                loose = True
            seen_blank = False
            i = self._block(lines, i, depth, blocks)
        return blocks, loose

    def _block(self, lines: list[str], i: int, depth: int, out: list[_Block]) -> int:
        line = lines[i]
        ind = _indent(line)
        if ind >= 4:
            return self._indented_code(lines, i, out)
        s = line[ind:]
        c = s[0]
        if c in "`~":
            f = _fence(s)
            if f is not None:
                return self._fenced(lines, i, ind, f, out)
        elif c == "#":
            m = _ATX_RE.match(s)
            if m is not None:
                out.append(_heading(s, m.end()))
                return i + 1
        elif c == ">":
            return self._quote(lines, i, depth, out)
        if c in "-*_" and _is_hr(s):
            out.append(_Block("hr"))
            return i + 1
        if c in "-+*" or "0" <= c <= "9":
            it = _item(line)
            if it is not None:
                return self._list(lines, i, it, depth, out)
        if c == "[" and self._refdef(s):
            return i + 1
        aligns = _table_start(lines, i)
        if aligns is not None:
            return self._table(lines, i, aligns, out)
        return self._paragraph(lines, i, out)

    def _indented_code(self, lines: list[str], i: int, out: list[_Block]) -> int:
        buf: list[str] = []
        end = j = i
        while j < len(lines):
            line = lines[j]
            if _blank(line):
                buf.append("")
            elif _indent(line) >= 4:
                buf.append(line[4:])
                end = j + 1
            else:
                break
            j += 1
        out.append(_Block("code", "\n".join(buf[: end - i])))
        return end

    def _fenced(
        self, lines: list[str], i: int, ind: int, fence: tuple[str, int], out: list[_Block]
    ) -> int:
        ch, length = fence
        buf: list[str] = []
        j = i + 1
        while j < len(lines):
            line = lines[j]
            j += 1
            k = _indent(line)
            if k < 4:
                t = line[k:].rstrip(" \t")
                if len(t) >= length and t[0] == ch and not t.strip(ch):
                    break
            buf.append(line[min(k, ind) :])
        while buf and _blank(buf[-1]):
            buf.pop()
        out.append(_Block("code", "\n".join(buf)))
        return j

    def _quote(self, lines: list[str], i: int, depth: int, out: list[_Block]) -> int:
        buf: list[str] = []
        lazy = False
        j = i
        while j < len(lines):
            line = lines[j]
            k = _indent(line)
            if k < 4 and line[k : k + 1] == ">":
                rest = line[k + 1 :]
                buf.append(rest[1:] if rest[:1] == " " else rest)
                lazy = _lazy_target(buf[-1])
            elif lazy and not _blank(line) and not _interrupts(line):
                buf.append(line.lstrip(" \t"))
            else:
                break
            j += 1
        children, _ = self.parse(buf, depth + 1)
        out.append(_Block("quote", children=children))
        return j

    def _list(self, lines: list[str], i: int, it: _Item, depth: int, out: list[_Block]) -> int:
        n = len(lines)
        first = it
        items: list[list[_Block]] = []
        loose = False
        j = i
        while True:
            ci = it.content_indent
            buf = [it.first]
            j += 1
            end, keep = j, 1
            while j < n:
                line = lines[j]
                if _blank(line):
                    buf.append("")
                elif _indent(line) >= ci:
                    buf.append(line[ci:])
                elif (
                    buf[-1] == ""
                    or _interrupts(line)
                    or _item(line) is not None
                    or not _lazy_target(buf[-1])
                ):
                    break
                else:  # lazy continuation of the item's paragraph
                    buf.append(line.lstrip(" \t"))
                j += 1
                if buf[-1]:
                    end, keep = j, len(buf)
            del buf[keep:]
            j = end
            children, inner_loose = self.parse(buf, depth + 1)
            items.append(children)
            loose = loose or inner_loose
            p = j
            while p < n and _blank(lines[p]):
                p += 1
            if p >= n:
                break
            nxt = _item(lines[p])
            if nxt is None or nxt.kind != first.kind or _is_hr(lines[p].lstrip(" ")):
                break
            if p > j:
                loose = True
            j, it = p, nxt
        out.append(
            _Block("list", items=items, start=first.number, delim=first.kind, tight=not loose)
        )
        return j

    def _refdef(self, s: str) -> bool:
        m = _REFDEF_RE.match(s)
        if m is None:
            return False
        label = _norm_label(m.group(1))
        if not label:
            return False
        dest = m.group(2)
        if dest.startswith("<") and dest.endswith(">"):
            dest = dest[1:-1]
        self.refs.setdefault(label, _unescape(dest))
        return True

    def _table(self, lines: list[str], i: int, aligns: list[str], out: list[_Block]) -> int:
        rows = [_cells(lines[i])]
        j = i + 2
        while j < len(lines) and not _blank(lines[j]) and "|" in lines[j]:
            rows.append(_cells(lines[j]))
            j += 1
        source = "\n".join(x.strip(" \t") for x in lines[i:j])
        out.append(_Block("table", text=source, rows=rows, aligns=aligns))
        return j

    def _paragraph(self, lines: list[str], i: int, out: list[_Block]) -> int:
        buf = [lines[i]]
        j = i + 1
        while j < len(lines):
            line = lines[j]
            if _blank(line):
                break
            k = _indent(line)
            if k < 4:
                t = line[k:].rstrip(" \t")
                if t[0] in "=-" and not t.strip(t[0]):  # setext underline
                    out.append(_Block("heading", _join_para(buf), 1 if t[0] == "=" else 2))
                    return j + 1
                if _interrupts(line) or _table_start(lines, j) is not None:
                    break
            buf.append(line)
            j += 1
        out.append(_Block("para", _join_para(buf)))
        return j


def _heading(s: str, level: int) -> _Block:
    content = s[level:].strip(" \t")
    t = content.rstrip("#")
    if not t:
        content = ""
    elif t[-1] in " \t":  # a closing sequence of #'s
        content = t.rstrip(" \t")
    return _Block("heading", content, level)


def _join_para(lines: list[str]) -> str:
    # Trailing spaces stay on inner lines: two of them make a hard line break.
    return "\n".join(x.lstrip(" \t") for x in lines).rstrip(" \t")


# --- inlines --------------------------------------------------------------------------

_SPECIAL_RE = re.compile(r"[\\`*_\[\]!<&\n]")
_TICKS_RE = re.compile(r"`+")
_RUN_RE = {"*": re.compile(r"\*+"), "_": re.compile(r"_+")}
_SPACES_RE = re.compile(r"[ \t]+")
_NONSPACE_RE = re.compile(r"[^ \t]")
_WS_RE = re.compile(r"[\s\x00-\x1f]")
_URI_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_MAIL_AUTOLINK_RE = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9.\-]+)>")


def _is_punct(c: str) -> bool:
    return c in _ASCII_PUNCT or unicodedata.category(c)[0] in "PS"


class _Tok:
    """An inline token. ``pre``/``post`` hold style switches around its text ("+em", ...)."""

    __slots__ = ("alt", "kind", "post", "pre", "styles", "text")

    def __init__(self, text: str, kind: str = "text", styles: frozenset[str] = _NO) -> None:
        self.text = text
        self.kind = kind
        self.styles = styles
        self.pre: list[str] | None = None
        self.post: list[str] | None = None
        self.alt: str | None = None  # text an enclosing image's alt uses instead of .text


class _Delim:
    """A run of ``*`` or ``_`` that may open or close emphasis (doubly linked stack)."""

    __slots__ = ("can_close", "can_open", "char", "count", "next", "orig", "prev", "seq", "tok")

    def __init__(self, tok: _Tok, seq: int, can_open: bool, can_close: bool) -> None:
        self.tok = tok
        self.char = tok.text[0]
        self.count = self.orig = len(tok.text)
        self.seq = seq
        self.can_open = can_open
        self.can_close = can_close
        self.prev: _Delim | None = None
        self.next: _Delim | None = None


class _Bracket:
    """An unmatched ``[`` or ``![`` waiting for its ``]``."""

    __slots__ = ("bottom", "image", "label_start", "tok_index")

    def __init__(self, tok_index: int, image: bool, bottom: _Delim | None, label_start: int):
        self.tok_index = tok_index
        self.image = image
        self.bottom = bottom
        self.label_start = label_start


class _Inline:
    """One paragraph's (or heading's, or cell's) inline markup, parsed in linear time."""

    def __init__(self, src: str, refs: dict[str, str]) -> None:
        self.src = src
        self.n = len(src)
        self.refs = refs
        self.toks: list[_Tok] = []
        self.head: _Delim | None = None
        self.tail: _Delim | None = None
        self.seq = 0
        self.brackets: list[_Bracket] = []
        self.link_floor = 0  # "[" brackets below this index are inactive (no links in links)
        self.memo: dict[str, tuple[int, int]] = {}
        self.ticks: dict[int, list[int]] | None = None

    def runs(self, base: frozenset[str]) -> list[Run]:
        self._scan()
        self._emphasis(None)
        return self._render(base)

    # memoised searches: each answers "first match at or after pos" and remembers the
    # interval it proved empty, so repeated probes from nearby positions cost nothing

    def _find(self, needle: str, pos: int) -> int:
        hit = self.memo.get(needle)
        if hit is not None and hit[0] <= pos <= hit[1]:
            return hit[1]
        r = self.src.find(needle, pos)
        if r < 0:
            r = self.n
        self.memo[needle] = (pos, r)
        return r

    def _search(self, key: str, rx: re.Pattern[str], pos: int) -> int:
        hit = self.memo.get(key)
        if hit is not None and hit[0] <= pos <= hit[1]:
            return hit[1]
        m = rx.search(self.src, pos)
        r = m.start() if m is not None else self.n
        self.memo[key] = (pos, r)
        return r

    def _skip_ws(self, pos: int) -> int:
        pos = self._search(" ", _NONSPACE_RE, pos)
        if pos < self.n and self.src[pos] == "\n":
            pos = self._search(" ", _NONSPACE_RE, pos + 1)
        return pos

    # scanning

    def _scan(self) -> None:
        src, n = self.src, self.n
        pos = 0
        while pos < n:
            m = _SPECIAL_RE.search(src, pos)
            if m is None:
                self._text(src[pos:])
                break
            k = m.start()
            if k > pos:
                self._text(src[pos:k])
            c = src[k]
            if c == "\n":
                pos = self._newline(k)
            elif c == "\\":
                pos = self._backslash(k)
            elif c == "`":
                pos = self._code(k)
            elif c in "*_":
                pos = self._delim(k, c)
            elif c == "[":
                pos = self._open(k + 1, False)
            elif c == "!" and src.startswith("[", k + 1):
                pos = self._open(k + 2, True)
            elif c == "]":
                pos = self._close(k)
            elif c == "<":
                pos = self._angle(k)
            elif c == "&":
                pos = self._entity(k)
            else:
                self._text(c)
                pos = k + 1

    def _text(self, s: str) -> None:
        if "  " in s or "\t" in s:
            s = _SPACES_RE.sub(" ", s)
        self.toks.append(_Tok(s))

    def _trim_last(self) -> None:
        if self.toks and self.toks[-1].kind == "text":
            self.toks[-1].text = self.toks[-1].text.rstrip(" \t")

    def _newline(self, k: int) -> int:
        src = self.src
        j = k
        while j > 0 and src[j - 1] == " ":
            j -= 1
        self._trim_last()
        if k - j >= 2:
            self.toks.append(_Tok("\n", "break"))
        else:
            self.toks.append(_Tok(" "))
        return self._search(" ", _NONSPACE_RE, k + 1)

    def _backslash(self, k: int) -> int:
        nxt = self.src[k + 1 : k + 2]
        if nxt and nxt in _ASCII_PUNCT:
            self.toks.append(_Tok(nxt, "escaped"))
            return k + 2
        if nxt == "\n":
            self._trim_last()
            self.toks.append(_Tok("\n", "break"))
            return self._search(" ", _NONSPACE_RE, k + 2)
        self._text("\\")
        return k + 1

    def _code(self, k: int) -> int:
        m = _TICKS_RE.match(self.src, k)
        assert m is not None
        e = m.end()
        close = self._closing_ticks(e - k, e)
        if close < 0:
            self.toks.append(_Tok(self.src[k:e], "ticks"))
            return e
        content = self.src[e:close].replace("\n", " ")
        if len(content) >= 2 and content[0] == " " == content[-1] and content.strip(" "):
            content = content[1:-1]
        self.toks.append(_Tok(content, "code", _CODE))
        return close + (e - k)

    def _closing_ticks(self, length: int, after: int) -> int:
        if self.ticks is None:
            self.ticks = {}
            for m in _TICKS_RE.finditer(self.src):
                self.ticks.setdefault(m.end() - m.start(), []).append(m.start())
        starts = self.ticks.get(length)
        if not starts:
            return -1
        idx = bisect_left(starts, after)
        return starts[idx] if idx < len(starts) else -1

    def _delim(self, k: int, c: str) -> int:
        src = self.src
        m = _RUN_RE[c].match(src, k)
        assert m is not None
        e = m.end()
        before = src[k - 1] if k else " "
        after = src[e] if e < self.n else " "
        ws_b, ws_a = before.isspace(), after.isspace()
        p_b, p_a = _is_punct(before), _is_punct(after)
        left = not ws_a and (not p_a or ws_b or p_b)
        right = not ws_b and (not p_b or ws_a or p_a)
        if c == "*":
            can_open, can_close = left, right
        else:  # "_" does not work inside words
            can_open = left and (not right or p_b)
            can_close = right and (not left or p_a)
        tok = _Tok(src[k:e], "delim")
        self.toks.append(tok)
        if can_open or can_close:
            d = _Delim(tok, self.seq, can_open, can_close)
            self.seq += 1
            d.prev = self.tail
            if self.tail is None:
                self.head = d
            else:
                self.tail.next = d
            self.tail = d
        return e

    def _open(self, after: int, image: bool) -> int:
        self.toks.append(_Tok("![" if image else "["))
        self.brackets.append(_Bracket(len(self.toks) - 1, image, self.tail, after))
        return after

    def _pop_bracket(self) -> None:
        self.brackets.pop()
        self.link_floor = min(self.link_floor, len(self.brackets))

    def _close(self, k: int) -> int:
        if not self.brackets:
            self._text("]")
            return k + 1
        br = self.brackets[-1]
        inactive = not br.image and len(self.brackets) - 1 < self.link_floor
        found = None if inactive else self._link_target(k, br)
        self._pop_bracket()
        if found is None:
            self._text("]")
            return k + 1
        url, end = found
        self._emphasis(br.bottom)
        opener = self.toks[br.tok_index]
        if br.image:
            inner = self.toks[br.tok_index + 1 :]
            alt = "".join(t.text if t.alt is None else t.alt for t in inner).replace("\n", " ")
            alt = alt.strip()
            if len(alt) > _MAX_ALT:
                alt = alt[: _MAX_ALT - 1] + "…"
            del self.toks[br.tok_index + 1 :]
            opener.text = f"[image: {alt}]" if alt else "[image]"
            opener.kind, opener.styles, opener.alt = "image", _URL, alt
        else:
            opener.text, opener.kind = "", "link"
            opener.post = ["+link"]
            tok = _Tok(f" <{url}>" if url else "", "url", _URL)
            tok.pre = ["-link"]
            tok.alt = ""
            self.toks.append(tok)
            self.link_floor = len(self.brackets)
        return end

    def _link_target(self, k: int, br: _Bracket) -> tuple[str, int] | None:
        """URL and end position of the link tail after ``]`` at *k*, if there is one."""
        src, n = self.src, self.n
        p = k + 1
        if p < n and src[p] == "(":
            found = self._inline_target(p + 1)
            if found is not None:
                return found
        if not self.refs:
            return None
        end = p
        if p < n and src[p] == "[":
            q = self._find("]", p + 1)
            if q < n and q - p <= _MAX_LABEL + 1:
                label = src[p + 1 : q]
                if label.strip():
                    url = self.refs.get(_norm_label(label))
                    return None if url is None else (url, q + 1)
                end = q + 1  # collapsed reference "[text][]"
        if k - br.label_start > _MAX_LABEL:
            return None
        url = self.refs.get(_norm_label(src[br.label_start : k]))
        return None if url is None else (url, end)

    def _inline_target(self, p: int) -> tuple[str, int] | None:
        src, n = self.src, self.n
        p = self._skip_ws(p)
        if p >= n:
            return None
        if src[p] == ")":
            return "", p + 1
        if src[p] == "<":
            gt = self._find(">", p + 1)
            if gt >= n or self._find("\n", p + 1) < gt or self._find("<", p + 1) < gt:
                return None
            dest, q = src[p + 1 : gt], gt + 1
        else:
            ws = self._search("ws", _WS_RE, p)
            close = self._find(")", p)
            e = min(ws, close)
            op = self._find("(", p)
            if op < e:  # allow one level of balanced parentheses, as in wiki/Foo_(bar)
                nxt = self._find("(", op + 1)
                if close >= ws or nxt < close:
                    return None
                e = min(ws, self._find(")", close + 1))
                if nxt < e:
                    return None
            dest, q = src[p:e], e
        r = self._skip_ws(q)
        if r > q and r < n and src[r] in "\"'(":
            t = self._find(")" if src[r] == "(" else src[r], r + 1)
            if t >= n:
                return None
            r = self._skip_ws(t + 1)
        if r < n and src[r] == ")":
            return _unescape(dest), r + 1
        return None

    def _angle(self, k: int) -> int:
        m = _URI_AUTOLINK_RE.match(self.src, k) or _MAIL_AUTOLINK_RE.match(self.src, k)
        if m is None:
            self._text("<")
            return k + 1
        self.toks.append(_Tok(m.group(1), "autolink", _LINK))
        return m.end()

    def _entity(self, k: int) -> int:
        m = _ENTITY_RE.match(self.src, k)
        if m is not None:
            s = _entity(m)
            if s != m.group():
                self.toks.append(_Tok(s, "entity"))
                return m.end()
        self._text("&")
        return k + 1

    # emphasis (CommonMark "process emphasis", with openers_bottom keeping it linear)

    def _unlink(self, d: _Delim) -> None:
        if d.prev is None:
            self.head = d.next
        else:
            d.prev.next = d.next
        if d.next is None:
            self.tail = d.prev
        else:
            d.next.prev = d.prev

    def _emphasis(self, bottom: _Delim | None) -> None:
        floor = -1 if bottom is None else bottom.seq
        openers_bottom: dict[tuple[str, bool, int], int] = {}
        cur = self.head if bottom is None else bottom.next
        while cur is not None:
            if not cur.can_close:
                cur = cur.next
                continue
            key = (cur.char, cur.can_open, cur.orig % 3)
            limit = max(openers_bottom.get(key, floor), floor)
            o = cur.prev
            while o is not None and o.seq > limit:
                if (
                    o.char == cur.char
                    and o.can_open
                    and not (
                        (o.can_close or cur.can_open)
                        and (o.orig + cur.orig) % 3 == 0
                        and (o.orig % 3 or cur.orig % 3)
                    )
                ):
                    break
                o = o.prev
            if o is None or o.seq <= limit:
                openers_bottom[key] = -1 if cur.prev is None else cur.prev.seq
                nxt = cur.next
                if not cur.can_open:
                    self._unlink(cur)
                cur = nxt
                continue
            use = 2 if o.count >= 2 and cur.count >= 2 else 1
            style = "strong" if use == 2 else "em"
            o.count -= use
            cur.count -= use
            o.tok.text = o.char * o.count
            cur.tok.text = cur.char * cur.count
            if o.tok.post is None:
                o.tok.post = []
            o.tok.post.insert(0, "+" + style)
            if cur.tok.pre is None:
                cur.tok.pre = []
            cur.tok.pre.append("-" + style)
            o.next, cur.prev = cur, o  # delimiters in between can no longer match
            if o.count == 0:
                self._unlink(o)
            if cur.count == 0:
                nxt = cur.next
                self._unlink(cur)
                cur = nxt
        if bottom is None:
            self.head = self.tail = None
        else:
            bottom.next = None
            self.tail = bottom

    def _render(self, base: frozenset[str]) -> list[Run]:
        depth = {"em": 0, "strong": 0, "link": 0}
        cache: dict[tuple[bool, bool, bool, frozenset[str]], frozenset[str]] = {}
        out: list[Run] = []
        for t in self.toks:
            for mark in t.pre or ():
                depth[mark[1:]] += 1 if mark[0] == "+" else -1
            if t.text:
                key = (depth["em"] > 0, depth["strong"] > 0, depth["link"] > 0, t.styles)
                styles = cache.get(key)
                if styles is None:
                    names = ("em", "strong", "link")
                    active = {name for name, on in zip(names, key[:3], strict=True) if on}
                    styles = cache[key] = base | t.styles | active
                out.append((t.text, styles))
            for mark in t.post or ():
                depth[mark[1:]] += 1 if mark[0] == "+" else -1
        return out


# --- rendering ------------------------------------------------------------------------


def _width(s: str) -> int:
    """Columns *s* takes in a monospaced font (wide East Asian characters count twice)."""
    if s.isascii():
        return len(s)
    w = 0
    for ch in s:
        if not unicodedata.combining(ch):
            w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def _pad(s: str, width: int, align: str) -> str:
    gap = width - _width(s)
    if align == "r":
        return " " * gap + s
    if align == "c":
        return " " * (gap // 2) + s + " " * (gap - gap // 2)
    return s + " " * gap


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


class _Renderer:
    """Turns the block tree into runs, parsing inline markup per block."""

    def __init__(self, refs: dict[str, str]) -> None:
        self.refs = refs

    def inline(self, text: str, base: frozenset[str] = _NO) -> list[Run]:
        return _Inline(text, self.refs).runs(base)

    def blocks(self, blocks: list[_Block], tight: bool) -> list[Run]:
        out: list[Run] = []
        for k, b in enumerate(blocks):
            if k and not tight:
                out.append(("\n", _NO))
            out.extend(self.block(b))
        return out

    def block(self, b: _Block) -> list[Run]:
        if b.kind == "para":
            return [*self.inline(b.text), ("\n", _NO)]
        if b.kind == "heading":
            base = frozenset({f"h{b.level}"})
            return [*self.inline(b.text, base), ("\n", base)]
        if b.kind == "code":
            return [(b.text + "\n", _CODEBLOCK)]
        if b.kind == "hr":
            return [(HR_TEXT + "\n", _HR)]
        if b.kind == "quote":
            inner = self.blocks(b.children, tight=False) or [("\n", _NO)]
            return [(text, styles | {"quote"}) for text, styles in inner]
        if b.kind == "list":
            return self._list(b)
        return self._table(b)

    def _list(self, b: _Block) -> list[Run]:
        out: list[Run] = []
        for k, item in enumerate(b.items):
            if k and not b.tight:
                out.append(("\n", _NO))
            marker = BULLET if b.delim in "-+*" else f"{b.start + k}{b.delim} "
            out.append((marker, _MARKER))
            inner = self.blocks(item, b.tight) or [("\n", _NO)]
            out.extend(_indent_runs(inner, " " * len(marker)))
        return out

    def _table(self, b: _Block) -> list[Run]:
        ncols = len(b.aligns)
        if len(b.rows) * ncols > _MAX_TABLE_CELLS:
            return [(b.text + "\n", _CODEBLOCK)]
        rows = [[self._cell(c) for c in (row + [""] * ncols)[:ncols]] for row in b.rows]
        widths = [max(_width(row[c]) for row in rows) for c in range(ncols)]
        cols = list(zip(widths, b.aligns, strict=True))
        lines = [
            "  ".join(_pad(cell, w, a) for cell, (w, a) in zip(row, cols, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "─" * (sum(widths) + 2 * (ncols - 1)))
        return [("\n".join(lines) + "\n", _CODEBLOCK)]

    def _cell(self, source: str) -> str:
        """A cell's text with its inline markup applied and dropped (the table is plain)."""
        if _SPECIAL_RE.search(source) is None:
            return _SPACES_RE.sub(" ", source)
        return "".join(t for t, _ in self.inline(source)).replace("\n", " ")


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
    parser = _BlockParser()
    blocks, _ = parser.parse(text.split("\n"), 0)
    return _Renderer(parser.refs).blocks(blocks, tight=False)


def _fallback(text: str) -> list[Run]:
    """The source as plain text (tests patch this to prove it is never needed)."""
    return [(text, _NO)]
