"""The little CSS the HTML view honours: colours, background colours and bold.

From inline ``style="…"`` attributes and from ``#id { … }`` rules in ``<style>``
sheets, which is how pandas' Styler colours single cells
(``#T_1a2b_row0_col1 { background-color: #ff0000; }``). Everything else in a
sheet (class and element selectors, ``url(…)``, ``@import``) is ignored: nothing
is ever fetched. Linear: one split per sheet, no backtracking patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Look", "id_rules", "parse_declarations"]

_HEX_RE = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_RGB_RE = re.compile(r"rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})(?:[\s,/]+[\d.%]+)?\s*\)")
_NAME_RE = re.compile(r"[a-zA-Z]{3,30}")
_ID_RE = re.compile(r"#([A-Za-z_][\w-]{0,200})")
_NOT_COLOURS = frozenset({"inherit", "initial", "unset", "transparent", "none", "currentcolor"})
_MAX_SHEET = 2_000_000  # characters of style sheets read; pandas' biggest Styler sheets fit


@dataclass(frozen=True, slots=True)
class Look:
    """What CSS asked of an element; None means "as the console draws it"."""

    fg: str | None = None
    bg: str | None = None
    bold: bool = False

    def over(self, base: Look) -> Look:
        """This look with the gaps filled from ``base`` (inline style over sheet rules)."""
        return Look(self.fg or base.fg, self.bg or base.bg, self.bold or base.bold)


NO_LOOK = Look()


def colour(value: str) -> str | None:
    """``#rrggbb`` for a CSS colour, a lower-case name for a named one, else None."""
    v = value.strip()
    m = _HEX_RE.fullmatch(v)
    if m:
        h = m.group(1)
        return "#" + (h if len(h) == 6 else "".join(c * 2 for c in h)).lower()
    m = _RGB_RE.fullmatch(v)
    if m:
        r, g, b = (min(int(x), 255) for x in m.groups())
        return f"#{r:02x}{g:02x}{b:02x}"
    if _NAME_RE.fullmatch(v) and v.lower() not in _NOT_COLOURS:
        return v.lower()
    return None


def parse_declarations(text: str) -> Look:
    """The look a declaration block (``color: red; font-weight: bold``) asks for."""
    fg = bg = None
    bold = False
    for decl in text[:10_000].split(";"):
        name, _, value = decl.partition(":")
        name = name.strip().lower()
        value = value.replace("!important", "").strip()
        if name == "color":
            fg = colour(value) or fg
        elif name in ("background-color", "background"):
            first = value.split()[0] if value.split() else ""
            bg = colour(value) or (colour(first) if name == "background" else None) or bg
        elif name == "font-weight":
            bold = value.lower() in ("bold", "bolder") or (value.isdigit() and int(value) >= 600)
    return Look(fg, bg, bold)


def id_rules(sheets: list[str]) -> dict[str, Look]:
    """Looks of ``#id`` rules (selectors that are only ids) in the given sheets."""
    rules: dict[str, Look] = {}
    budget = _MAX_SHEET
    for sheet in sheets:
        sheet = sheet[:budget]
        budget -= len(sheet)
        for block in sheet.split("}"):
            selectors, brace, body = block.partition("{")
            if not brace:
                continue
            ids = [_ID_RE.fullmatch(s.strip()) for s in selectors.split(",")]
            if not ids or not all(ids):
                continue
            look = parse_declarations(body)
            if look == NO_LOOK:
                continue
            for m in ids:
                assert m is not None
                name = m.group(1)
                rules[name] = look.over(rules.get(name, NO_LOOK))
        if budget <= 0:
            break
    return rules
