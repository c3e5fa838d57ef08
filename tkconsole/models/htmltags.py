"""What the HTML converter knows about each element: which are void, dropped, blocks, styled.

Kept apart from the converter (``htmltext.py``) so its tables read as a reference.
"""

from __future__ import annotations

VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})  # fmt: skip
SKIP = frozenset({
    "script", "style", "head", "template", "title", "iframe", "noembed", "noframes",
})  # fmt: skip
HEAD_TAGS = frozenset({
    "base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template",
    "title",
})  # fmt: skip
BLOCK_1 = frozenset({
    "address", "article", "aside", "body", "center", "details", "dialog", "div", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "html", "legend",
    "main", "menu", "nav", "optgroup", "option", "search", "section", "summary",
})  # fmt: skip
BLOCK_2 = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "dl"})
LINK_SCHEMES = ("http://", "https://", "ftp://", "mailto:")
# Elements whose text is drawn with a style (``md-<name>`` tags in the view).
TAG_STYLES = {
    "b": "strong", "strong": "strong", "i": "em", "em": "em", "cite": "em", "var": "em",
    "dfn": "em", "code": "code", "tt": "code", "kbd": "code", "samp": "code", "s": "strike",
    "strike": "strike", "del": "strike", "u": "underline", "ins": "underline", "h1": "h1",
    "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6", "pre": "codeblock",
    "listing": "codeblock", "xmp": "codeblock", "blockquote": "quote",
}  # fmt: skip
