"""Incremental parser for the terminal escape sequences found in kernel output.

Kernel streams (IPython tracebacks, tqdm bars, colour libraries) carry ANSI/ECMA-48
escape sequences. A Tk text widget cannot interpret them, so this module turns a
stream of chunks into a flat list of :class:`Text` runs (with a :class:`Style`) and
:class:`Control` actions that the view can apply.

Design points:

* Pure and Tk-free, so it can be tested without a display.
* Linear time: control characters are located with ``str.find`` (C speed) and each
  escape is recognised by one compiled tokenizer regex; plain runs between them are
  sliced out whole, so Python-level work is per escape/control, never per character.
* Incremental: an escape split across ``feed()`` calls is held back and parsed as if
  it had arrived in one piece. The held-back tail is bounded (``_CSI_MAX`` /
  ``_OSC_MAX``), so hostile input cannot grow memory without limit.
* Never raises on any ``str`` input; unknown or malformed sequences are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AnsiParser",
    "Color",
    "Control",
    "Segment",
    "Style",
    "Text",
    "strip_ansi",
]

Color = int | tuple[int, int, int] | None
"""Palette index 0..255 (int), 24-bit RGB (tuple), or None for the default colour."""


@dataclass(frozen=True, slots=True)
class Style:
    """Text attributes; frozen so it can key Tk tag caches. ``Style()`` is the default."""

    fg: Color = None
    bg: Color = None
    bold: bool = False
    faint: bool = False
    italic: bool = False
    underline: bool = False
    inverse: bool = False
    strike: bool = False


@dataclass(frozen=True, slots=True)
class Text:
    """A run of printable text in one style.

    ``text`` is never empty and holds no C0 control characters other than ``\\n`` and
    ``\\t``, so it can be inserted into a text widget verbatim. (DEL and C1 code points
    are ordinary text here: in decoded ``str`` output they are almost never controls.)
    """

    text: str
    style: Style


@dataclass(frozen=True, slots=True)
class Control:
    """A cursor/erase action the view must perform at the current insert position.

    ``kind`` is one of ``cr``, ``bs``, ``erase_line``, ``erase_screen``, ``cursor_up``,
    ``cursor_down``, ``cursor_column``, ``cursor_forward``, ``cursor_back``. ``n`` is the
    erase mode for ``erase_*`` (0 to end, 1 to start, 2 all; ``erase_screen`` may also
    carry 3 = scrollback), the count for cursor moves (>= 1), or the 1-based column for
    ``cursor_column``. Counts and columns are clamped to 9999 so a hostile sequence
    cannot make the view loop (or allocate) for ever.
    """

    kind: str
    n: int = 0


Segment = Text | Control

# Limits on held-back escape sequences (bounded memory for hostile input).
_CSI_MAX = 256  # parameter + intermediate bytes of one CSI sequence
_OSC_MAX = 4096  # payload characters of one OSC/DCS/SOS/PM/APC string
_MAX_ARG = 9999  # clamp for cursor counts / columns
_SGR_CACHE_MAX = 4096

_DEFAULT = Style()
_CR = Control("cr")
_BS = Control("bs")

# One alternative per token kind. Every C0 control except \t and \n starts some token
# (so match() at such a position never fails) and everything else is ``text``; the
# parser only calls match() at control positions, strip_ansi() uses the whole regex.
# Order matters: complete forms first, then "incomplete at end of buffer" (hold), then
# the malformed/overlong fallbacks.
#   ESC introducers that start a string:  ] (OSC), P (DCS), X (SOS), ^ (PM), _ (APC).
#   Other single-final escapes: 0x30-0x7E except [ ] P X ^ _.
_ESC_FINAL = r"[\x30-\x4f\x51-\x57\x59\x5a\x5c\x60-\x7e]"
_TOKEN_RE = re.compile(
    # plain text: anything except C0 controls, but keep \t and \n
    r"(?P<text>[^\x00-\x08\x0b-\x1f]+)"
    r"|(?P<crlf>\r\n)"
    # SGR and the CSI sequences we interpret: digits/;/: params only
    rf"|(?P<sgr>\x1b\[(?P<sp>[0-9;:]{{0,{_CSI_MAX}}})m)"
    rf"|(?P<cur>\x1b\[(?P<cp>[0-9;:]{{0,{_CSI_MAX}}})(?P<cf>[A-GJK]))"
    # any other complete CSI: swallowed
    rf"|(?P<csi>\x1b\[[\x20-\x3f]{{0,{_CSI_MAX}}}[\x40-\x7e])"
    # complete OSC/DCS/SOS/PM/APC string, ended by BEL or ST (ESC \): swallowed
    rf"|(?P<osc>\x1b[\]PX^_][^\x07\x1b]{{0,{_OSC_MAX}}}(?:\x07|\x1b\\))"
    # other escapes: ESC [intermediate{0,2}] final, e.g. ESC ( B, ESC =, ESC 7
    rf"|(?P<esc>\x1b(?:[\x20-\x2f]{{1,2}}[\x30-\x7e]|{_ESC_FINAL}))"
    r"|(?P<cr>\r(?!\Z))"
    r"|(?P<bs>\x08)"
    # a prefix that may still complete with the next chunk: held back
    r"|(?P<hold>(?:\r"
    rf"|\x1b\[[\x20-\x3f]{{0,{_CSI_MAX}}}"
    rf"|\x1b[\]PX^_][^\x07\x1b]{{0,{_OSC_MAX}}}\x1b?"
    r"|\x1b[\x20-\x2f]{0,2})\Z)"
    # CSI that is malformed (bad byte) or overlong: drop its whole parameter run, the
    # next byte is parsed normally. If the run reaches the end of the buffer, the
    # parser keeps skipping parameter bytes at the start of the next chunk.
    r"|(?P<badcsi>\x1b\[[\x20-\x3f]*)"
    # aborted (ESC inside) or overlong string, malformed escape, other C0: dropped
    rf"|(?P<junk>\x1b(?:[\]PX^_][^\x07\x1b]{{0,{_OSC_MAX}}}|[\x20-\x2f]{{0,2}})"
    r"|[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f]+)"
)
_CSI_BODY_RE = re.compile(r"[\x20-\x3f]*")
_SGR_RE = re.compile(rf"\x1b\[([0-9;:]{{0,{_CSI_MAX}}})m")
# Characters that start a token other than plain text (all C0 except \t and \n).
_SPECIALS = tuple(chr(c) for c in range(0x20) if c != 0x09 and c != 0x0A)
_SPECIAL_RE = re.compile(r"[\x00-\x08\x0b-\x1f]")
_NOT_ESC = tuple(c for c in _SPECIALS if c != "\x1b")  # specials that rule out feed_runs
_MAX_HEADS = 4  # distinct specials tracked with str.find before switching to _SPECIAL_RE

_CURSOR_KINDS = {
    "A": "cursor_up",
    "B": "cursor_down",
    "C": "cursor_forward",
    "D": "cursor_back",
    "E": "cursor_down",
    "F": "cursor_up",
    "G": "cursor_column",
}

# SGR transitions repeat a lot, so the pure (style, params) -> style function is
# memoised. Results are interned in _STYLES so that, within one epoch, equal styles are
# the same object and the hot loop can compare styles by identity instead of calling
# the (Python-level) dataclass __eq__. The cache is keyed by id(style) and the value
# keeps the key style alive, so an id can never be reused while its entry exists.
# Both tables are cleared together when full; _epoch counts clears so that a feed()
# that straddles a clear falls back to == comparisons.
_SGR_CACHE: dict[tuple[int, str], tuple[Style, Style]] = {}
_STYLES: dict[Style, Style] = {_DEFAULT: _DEFAULT}
_epoch = 0


def _num(s: str) -> int:
    """Parse one parameter; the tokenizer guarantees digits only. Empty means 0."""
    return int(s) if s else 0


def _rgb(r: str, g: str, b: str) -> tuple[int, int, int]:
    """24-bit colour from three parameter strings, each clamped to 0..255."""
    return (min(_num(r), 255), min(_num(g), 255), min(_num(b), 255))


def _colon_color(sub: list[str]) -> Color | bool:
    """Colour from the ITU T.416 colon form (``38:5:N``, ``38:2::R:G:B``, ``38:2:R:G:B``).

    Returns False when the form is malformed, so the caller leaves the colour alone.
    """
    if len(sub) >= 3 and sub[1] == "5":
        v = _num(sub[2])
        return v if v <= 255 else False
    if sub[1:2] == ["2"]:
        if len(sub) >= 6:  # 38:2:<colour-space id>:R:G:B
            return _rgb(sub[3], sub[4], sub[5])
        if len(sub) == 5:  # 38:2:R:G:B (common non-standard variant)
            return _rgb(sub[2], sub[3], sub[4])
    return False


def _compute_sgr(style: Style, params: str) -> Style:
    """Apply one SGR parameter string to ``style``; unknown codes are ignored."""
    fg, bg = style.fg, style.bg
    bold, faint, italic = style.bold, style.faint, style.italic
    underline, inverse, strike = style.underline, style.inverse, style.strike
    parts = params.split(";")
    n = len(parts)
    i = 0
    while i < n:
        p = parts[i]
        i += 1
        if ":" in p:
            sub = p.split(":")
            head = _num(sub[0])
            if head == 38 or head == 48:
                c = _colon_color(sub)
                if c is not False:
                    if head == 38:
                        fg = c
                    else:
                        bg = c
            elif head == 4:  # 4:0 = no underline, 4:1..5 = some underline style
                underline = _num(sub[1]) != 0
            continue
        code = _num(p)
        if code == 0:
            fg = bg = None
            bold = faint = italic = underline = inverse = strike = False
        elif 30 <= code <= 37:
            fg = code - 30
        elif 90 <= code <= 97:
            fg = code - 82
        elif 40 <= code <= 47:
            bg = code - 40
        elif 100 <= code <= 107:
            bg = code - 92
        elif code == 1:
            bold = True
        elif code == 2:
            faint = True
        elif code == 3:
            italic = True
        elif code == 4:
            underline = True
        elif code == 7:
            inverse = True
        elif code == 9:
            strike = True
        elif code == 21:
            bold = False
        elif code == 22:
            bold = faint = False
        elif code == 23:
            italic = False
        elif code == 24:
            underline = False
        elif code == 27:
            inverse = False
        elif code == 29:
            strike = False
        elif code == 39:
            fg = None
        elif code == 49:
            bg = None
        elif code == 38 or code == 48 or code == 58:
            # Extended colour: consume its arguments even for 58 (underline colour,
            # unsupported) so they are not misread as separate codes.
            if i >= n:
                break
            sel = parts[i]
            i += 1
            c = False
            if sel == "5":
                if i < n:
                    v = _num(parts[i])
                    c = v if v <= 255 else False
                i += 1
            elif sel == "2":
                if i + 3 <= n:
                    c = _rgb(parts[i], parts[i + 1], parts[i + 2])
                i += 3
            if c is not False:
                if code == 38:
                    fg = c
                elif code == 48:
                    bg = c
    return Style(fg, bg, bold, faint, italic, underline, inverse, strike)


def _intern(style: Style) -> Style:
    """Canonical object for ``style`` in the current epoch (tables stay bounded)."""
    global _epoch
    got = _STYLES.get(style)
    if got is not None:
        return got
    if len(_SGR_CACHE) >= _SGR_CACHE_MAX or len(_STYLES) >= _SGR_CACHE_MAX:
        _SGR_CACHE.clear()
        _STYLES.clear()
        _STYLES[_DEFAULT] = _DEFAULT
        _epoch += 1
    _STYLES[style] = style
    return style


def _apply_sgr(style: Style, params: str) -> Style:
    """Memoised, interning :func:`_compute_sgr` (see the comment on ``_SGR_CACHE``)."""
    if not params or params == "0":
        return _DEFAULT
    key = (id(style), params)
    hit = _SGR_CACHE.get(key)
    if hit is not None and hit[0] is style:
        return hit[1]
    new = _intern(_compute_sgr(style, params))
    _SGR_CACHE[key] = (style, new)
    return new


def _cursor_controls(params: str, final: str) -> tuple[Control, ...]:
    """Controls for an interpreted non-SGR CSI (``A``-``G``, ``J``, ``K``); may be empty."""
    first = params.split(";", 1)[0]
    if ":" in first:
        return ()
    v = _num(first)
    if final == "K":
        return (Control("erase_line", v),) if v <= 2 else ()
    if final == "J":
        return (Control("erase_screen", v),) if v <= 3 else ()
    v = min(max(v, 1), _MAX_ARG)
    ctl = Control(_CURSOR_KINDS[final], v)
    if final == "E" or final == "F":
        return (ctl, Control("cursor_column", 1))
    return (ctl,)


def _next_special(search: Callable[[str, int], re.Match[str] | None], data: str, pos: int) -> int:
    """Index of the next special character at or after ``pos`` (``len(data)`` if none)."""
    m = search(data, pos)
    return len(data) if m is None else m.start()


class AnsiParser:
    """Stateful, incremental escape-sequence parser for one output stream.

    Keep one parser per stream (stdout/stderr) so styles and split sequences do not
    leak between them. ``style`` is the current SGR state and persists across calls.
    """

    __slots__ = ("_pending", "_skip_csi", "style")

    def __init__(self) -> None:
        self.style: Style = _DEFAULT
        self._pending: str = ""  # incomplete trailing escape (or lone \r), bounded
        self._skip_csi: bool = False  # inside an overlong CSI parameter run

    def reset(self) -> None:
        """Return to the default style and forget any held-back partial sequence."""
        self.style = _DEFAULT
        self._pending = ""
        self._skip_csi = False

    def flush(self) -> list[Segment]:
        """End of stream: a held-back lone ``\\r`` becomes ``cr``; partial escapes vanish."""
        pending = self._pending
        self._pending = ""
        self._skip_csi = False
        return [_CR] if pending == "\r" else []

    def skip(self, data: str) -> None:
        """Pass over ``data`` that will not be drawn (squeezed unseen), keeping
        the style it leaves behind: only the SGR sequences after its last
        reset are applied, so skipping costs far less than parsing."""
        data = self._pending + data
        self._pending = ""
        self._skip_csi = False
        start = max(data.rfind("\x1b[0m"), data.rfind("\x1b[m"))
        style = self.style if start < 0 else _DEFAULT
        for m in _SGR_RE.finditer(data, max(start, 0)):
            style = _apply_sgr(style, m.group(1))
        self.style = style

    def feed_runs(self, data: str) -> list[str | Style] | None:
        """Fast path for the commonest coloured output: text whose only escapes
        are complete SGR sequences (no ``\\r``, ``\\b``, cursor moves or other
        controls).  Returns ``[text, style, text, style, ...]``, exactly the
        runs :meth:`feed` would return (merged the same way), or None, having
        changed nothing, when ``data`` needs the general parser.

        One C-speed ``re.split`` does the tokenizing, so the Python work is a
        short loop per escape and none per character, and no ``Text`` objects
        are built."""
        if self._pending or self._skip_csi:
            return None
        for c in _NOT_ESC:
            if c in data:
                return None
        pieces = _SGR_RE.split(data)
        if data.count("\x1b") != len(pieces) // 2:  # an ESC that is not a complete SGR
            return None
        style = self.style
        epoch = _epoch
        if style is not _DEFAULT:
            style = _intern(style)
        out: list[str | Style] = []
        run_text = pieces[0]
        run_style = style
        get = _SGR_CACHE.get
        for params, text in zip(pieces[1::2], pieces[2::2], strict=True):
            if not params or params == "0":
                style = _DEFAULT
            else:
                hit = get((id(style), params))
                style = hit[1] if hit is not None and hit[0] is style else _apply_sgr(style, params)
            if not text:
                continue
            if style is run_style or (epoch != _epoch and style == run_style):
                run_text += text
            else:
                if run_text:
                    out += (run_text, run_style)
                run_text = text
                run_style = style
        if run_text:
            out += (run_text, run_style)
        self.style = style
        return out

    def feed(self, data: str) -> list[Segment]:
        """Parse the next chunk and return its segments, adjacent same-style text merged.

        An incomplete trailing escape sequence (or a trailing ``\\r`` that may be the
        first half of ``\\r\\n``) is held back until the next call or :meth:`flush`.
        """
        if self._skip_csi:
            body = _CSI_BODY_RE.match(data)  # always matches: the run may be empty
            k = body.end() if body else 0
            if k == len(data):
                return []
            self._skip_csi = False
            data = data[k:]
        if self._pending:
            data = self._pending + data
            self._pending = ""
        if not data:
            return []

        style = self.style
        specials = [c for c in _SPECIALS if c in data]
        if not specials:  # fast path: plain text, no regex scan at all
            return [Text(data, style)]
        epoch = _epoch
        if style is not _DEFAULT:
            style = _intern(style)

        # Locate specials with str.find (memchr speed) instead of scanning plain runs
        # with the regex engine; heads holds [next index, char] for each special char
        # still ahead. Each char's occurrences are found in order, so this is linear.
        # Real output uses few distinct controls (ESC, CR, BS, BEL); for control-heavy
        # junk with many distinct ones, one regex search per token is cheaper.
        find = data.find
        end = len(data)
        search = _SPECIAL_RE.search if len(specials) > _MAX_HEADS else None
        heads: list[list[Any]] = [] if search else [[find(c), c] for c in specials]
        q = _next_special(search, data, 0) if search else min(h[0] for h in heads)
        match = _TOKEN_RE.match
        out: list[Segment] = []
        parts: list[str] = []  # text pieces in run_style not yet emitted
        run_style = style
        pos = 0
        while True:
            if q > pos:
                if style is not run_style and (epoch == _epoch or style != run_style):
                    if parts:
                        out.append(Text("".join(parts), run_style))
                        parts = []
                    run_style = style
                parts.append(data[pos:q])
            if q >= end:
                break
            m = match(data, q)
            assert m is not None  # every special character starts some token
            kind = m.lastgroup
            pos = m.end()
            q = end if search is None else _next_special(search, data, pos)
            for h in heads:
                if h[0] < pos:
                    h[0] = find(h[1], pos)
                    if h[0] < 0:
                        h[0] = end  # no more of this char: sentinel, never refreshed
                if h[0] < q:
                    q = h[0]
            if kind == "sgr":
                style = _apply_sgr(style, m.group("sp"))
            elif kind == "crlf":
                if style is not run_style and (epoch == _epoch or style != run_style):
                    if parts:
                        out.append(Text("".join(parts), run_style))
                        parts = []
                    run_style = style
                parts.append("\n")
            elif kind == "cr" or kind == "bs" or kind == "cur":
                if kind == "cur":
                    ctls: tuple[Control, ...] = _cursor_controls(m.group("cp"), m.group("cf"))
                    if not ctls:
                        continue
                else:
                    ctls = (_CR,) if kind == "cr" else (_BS,)
                if parts:
                    out.append(Text("".join(parts), run_style))
                    parts = []
                out.extend(ctls)
            elif kind == "hold":
                self._pending = m.group()
            elif kind == "badcsi" and pos == end:
                self._skip_csi = True  # overlong run reaches the end: keep skipping
            # csi, osc, esc, junk: swallowed
        if parts:
            out.append(Text("".join(parts), run_style))
        self.style = style
        return out


def _strip_repl(m: re.Match[str]) -> str:
    kind = m.lastgroup
    if kind == "text":
        return m.group()
    if kind == "crlf":
        return "\n"
    return ""


def strip_ansi(data: str) -> str:
    """Plain text of ``data`` for transcripts/export: escapes, ``\\r`` and ``\\b`` removed.

    ``\\r\\n`` becomes ``\\n``. Uses the parser's tokenizer, so the result equals the
    concatenated :class:`Text` of ``AnsiParser().feed(data) + flush()``.
    """
    if not any(c in data for c in _SPECIALS):
        return data
    return _TOKEN_RE.sub(_strip_repl, data)
