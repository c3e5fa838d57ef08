"""SVG and LaTeX math to PNG bytes, with nothing fetched and no local file read.

resvg-py (resvg, one self-contained wheel) turns SVG into PNG; ziamath turns LaTeX
math into SVG (pure Python, with its own math font). Both are imported on first use,
never at console start (ziamath's import takes about 0.3 s here).

resvg resolves ``<image href>`` itself: relative and absolute file paths are read from
disk (``resources_dir`` only changes what relative ones mean). So an SVG is cleaned
before it is drawn (``safe_svg``): every ``href`` that is not a ``#fragment`` or an
inline raster ``data:`` image is dropped, as is every ``url(…)`` that is not
``url(#…)``, ``@import``, scripts and ``foreignObject``; a document declaring entities
is refused. Sizes are capped so a hostile ``width="1e6"`` cannot allocate gigabytes.
Every function returns None instead of raising: the caller shows the source instead.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

__all__ = ["latex_to_png", "math_body", "safe_svg", "svg_to_png"]

MAX_PIXELS = 4096 * 4096
MAX_SIDE = 8192
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_SAFE_DATA_RE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)[;,]", re.IGNORECASE)
_URL_RE = re.compile(r"url\(\s*(['\"]?)([^)'\"]*)\1\s*\)", re.IGNORECASE)
_IMPORT_RE = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_LENGTH_RE = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(px|pt|)\s*$")
_DROP = frozenset({"script", "foreignObject"})
_DELIMITERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _safe_href(value: str) -> bool:
    v = value.strip()
    return v.startswith("#") or _SAFE_DATA_RE.match(v) is not None


def _clean_urls(value: str) -> str:
    """``url(#id)`` stays; any other ``url(…)`` becomes ``none``."""
    return _URL_RE.sub(
        lambda m: m.group(0) if m.group(2).strip().startswith("#") else "none", value
    )


def _clean(element: ET.Element) -> None:
    for child in list(element):
        if _local(str(child.tag)) in _DROP:
            element.remove(child)
    for key, value in list(element.attrib.items()):
        if _local(key) == "href" and not _safe_href(value):
            del element.attrib[key]
        elif "url(" in value.lower():
            element.attrib[key] = _clean_urls(value)
    if _local(str(element.tag)) == "style" and element.text:
        element.text = _clean_urls(_IMPORT_RE.sub("", element.text))


def safe_svg(svg: str) -> str | None:
    """The SVG with every external reference removed, or None if it is not usable SVG."""
    if "<!ENTITY" in svg or "<!entity" in svg:
        return None
    try:
        ET.register_namespace("", _SVG_NS)
        ET.register_namespace("xlink", _XLINK_NS)
        root = ET.fromstring(svg.strip().encode("utf-8", "replace"))
    except (ET.ParseError, ValueError):
        return None
    if _local(str(root.tag)) != "svg":
        return None
    for element in root.iter():
        _clean(element)
    return ET.tostring(root, encoding="unicode")


def _length(value: str | None) -> float | None:
    m = _LENGTH_RE.match(value or "")
    if m is None:
        return None
    number = float(m.group(1)) * (96 / 72 if m.group(2) == "pt" else 1)
    return number if math.isfinite(number) and number > 0 else None


def _size(svg: str) -> tuple[float, float]:
    """The drawing size resvg will use, from width/height or the viewBox (else 100)."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return 100.0, 100.0
    w, h = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            bw, bh = abs(float(box[2])), abs(float(box[3]))
        except ValueError:
            bw = bh = 0.0
        if bw > 0 and bh > 0:
            if w is None and h is None:
                w, h = bw, bh
            elif w is None and h is not None:
                w = h * bw / bh
            elif h is None and w is not None:
                h = w * bh / bw
    return w or 100.0, h or 100.0


def svg_to_png(svg: str, zoom: float = 1.0, background: str | None = None) -> bytes | None:
    """PNG bytes of a cleaned SVG, scaled by ``zoom`` within the size caps; None on failure."""
    cleaned = safe_svg(svg)
    if cleaned is None:
        return None
    w, h = _size(cleaned)
    zoom = min(zoom, MAX_SIDE / w, MAX_SIDE / h, math.sqrt(MAX_PIXELS / (w * h)))
    try:
        import resvg_py

        png = resvg_py.svg_to_bytes(svg_string=cleaned, zoom=zoom, background=background)
    except Exception:  # resvg refuses bad SVG with ValueError; anything else: no image
        return None
    return bytes(png) if png else None


def math_body(source: str) -> tuple[str, bool]:
    """LaTeX as sent (``$…$``, ``$$…$$``, ``\\[…\\]``, IPython's ``$\\displaystyle …$``)
    split into its math and whether it is only math (else text with ``$…$`` inside)."""
    s = source.strip()
    for start, end in _DELIMITERS:
        if s.startswith(start) and s.endswith(end) and len(s) > len(start) + len(end):
            inner = s[len(start) : -len(end)]
            if "$" not in inner:
                return inner.strip(), True
    if s.startswith("\\begin{") and "$" not in s:
        return s, True
    return s, "$" not in s


def latex_to_png(source: str, size_px: float, colour: str, zoom: float = 1.0) -> bytes | None:
    """LaTeX math typeset as PNG bytes in ``colour``; None if it cannot be typeset."""
    body, only_math = math_body(source)
    if not body:
        return None
    try:
        import ziamath

        if only_math:
            svg = ziamath.Latex(body, size=size_px, color=colour).svg()
        else:
            svg = ziamath.Text(body, size=size_px, color=colour).svg()
    except Exception:  # ziamath raises its own errors on bad LaTeX: show the source
        return None
    return svg_to_png(svg, zoom)
