"""The linear pre-pass of the HTML converter: any input to well-formed canonical markup.

``html.parser.HTMLParser`` alone is not linear (measured on CPython 3.11.7): ``"<a " * 7000``,
a tag never closed, takes it seconds (quadratic), and ``"<!["`` makes it raise. So this pass
rewrites the input first: every complete tag becomes ``<name attr="value">``, comments and
declarations are dropped, a ``<`` that starts no tag becomes ``&lt;``, raw-text elements
(``<script>``, ``<textarea>``, ...) are cut at their end tag, and a tag cut off by the end of
the input is dropped, as browsers do. HTMLParser (``convert_charrefs``) then only ever sees
well-formed markup. The text of ``<style>`` elements is handed back separately (pandas
Styler's per-cell rules live there); scripts are dropped unread.
"""

from __future__ import annotations

import re

__all__ = ["canonical"]

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


def canonical(src: str, sheets: list[str] | None = None) -> str:
    """Rewrite *src* so that every ``<`` starts a complete, well-formed tag (see module doc).

    The contents of ``<style>`` elements go to *sheets* when it is given.
    """
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
                if name == "style" and sheets is not None:
                    sheets.append(src[i:end])
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
