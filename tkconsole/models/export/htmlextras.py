"""What the exported page shows as the console does: typeset math and CSS cell colours.

Math becomes MathML (latex2mathml, which ziamath already brings), which
browsers draw natively: no script, no network.  A formula it cannot read
stays as its LaTeX source in ``<code>``.

pandas' Styler colours cells with ``#id { … }`` rules in a ``<style>`` sheet,
which the sanitiser removes with every sheet; the same rules the console
honours (models/htmlcss.py: colour, background, bold) are written onto the
elements as inline styles first, and only those properties survive.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ..htmlcss import Look, id_rules
from ..mathtext import split_math

STYLE_PROPERTIES = {"color", "background-color", "font-weight"}  # what the sanitiser keeps
_SHEET_RE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_TAG_WITH_ID_RE = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9]{0,20})(\s[^<>]*?\bid\s*=\s*[\"']([^\"'<>]{1,200})[\"'][^<>]*)>"
)
_STYLE_ATTR_RE = re.compile(r"\bstyle\s*=\s*([\"'])(.*?)\1", re.S)
_PLACEHOLDER = "tkcmath{}q"
_PLACEHOLDER_RE = re.compile(r"tkcmath(\d{1,6})q")


def mathml(latex: str, display: bool) -> str:
    """One formula as MathML; its source in ``<code>`` if it cannot be read."""
    from latex2mathml.converter import convert  # loaded on first formula

    try:
        return convert(latex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds on input it does not know
        return f"<code>{html.escape(latex)}</code>"


def latex_html(source: str) -> str:
    """A ``text/latex`` output: its formulas typeset, the text around them escaped.

    A source with no delimiters is one formula (``text/latex`` allows both)."""
    pieces = split_math(source)
    if not any(p.kind != "text" for p in pieces):
        return mathml(source.strip(), display=True)
    return "".join(
        html.escape(p.content) if p.kind == "text" else mathml(p.content, p.kind == "display")
        for p in pieces
    )


def with_math(source: str, render: Callable[[str], str]) -> str:
    """``render`` (Markdown to safe HTML) of ``source``, its ``$…$`` formulas typeset.

    Formulas are set aside before rendering (Markdown would read ``_`` and
    ``*`` inside them) and put back, as MathML, after it."""
    formulas: list[str] = []
    kept: list[str] = []
    for piece in split_math(source):
        if piece.kind == "text":
            kept.append(piece.content)
        else:
            kept.append(_PLACEHOLDER.format(len(formulas)))
            formulas.append(mathml(piece.content, piece.kind == "display"))
    if not formulas:
        return render(source)

    def restore(match: re.Match[str]) -> str:
        k = int(match.group(1))
        return formulas[k] if k < len(formulas) else match.group(0)

    return _PLACEHOLDER_RE.sub(restore, render("".join(kept)))


def inline_id_styles(fragment: str) -> str:
    """``fragment`` with its sheets' ``#id`` colours written on the elements they name."""
    rules = id_rules(_SHEET_RE.findall(fragment))
    if not rules:
        return fragment

    def add(match: re.Match[str]) -> str:
        look = rules.get(match.group(3))
        if look is None:
            return match.group(0)
        attrs, own = match.group(2), _STYLE_ATTR_RE.search(match.group(2))
        if own is None:
            return f'<{match.group(1)} style="{_css(look)}"{attrs}>'
        # the element's own declarations come after ours, so they win, as in CSS
        at = own.start(2)
        return f"<{match.group(1)}{attrs[:at]}{_css(look)}; {attrs[at:]}>"

    return _TAG_WITH_ID_RE.sub(add, fragment)


def _css(look: Look) -> str:
    rules = []
    if look.fg:
        rules.append(f"color: {look.fg}")
    if look.bg:
        rules.append(f"background-color: {look.bg}")
    if look.bold:
        rules.append("font-weight: bold")
    return html.escape("; ".join(rules))
