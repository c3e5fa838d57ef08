"""Pure parts of rich output: MIME choice, the HTML document model, CSS, SVG/LaTeX to PNG."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tkconsole.models import htmltext
from tkconsole.models.htmlcss import Look, colour, id_rules, parse_declarations
from tkconsole.models.htmlflow import Span, tidy
from tkconsole.models.htmltext import html_to_doc, html_to_text
from tkconsole.models.mime import choose, is_default_repr
from tkconsole.models.svgimage import latex_to_png, math_body, safe_svg, svg_to_png
from tkconsole.models.textgrid import Grid, clip, width

PROP = settings(max_examples=150, deadline=None, database=None)

# --- MIME choice ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plain",
    [
        "<IPython.core.display.HTML object>",
        "<pandas.io.formats.style.Styler at 0x7f3a2c1b9d50>",
        "<__main__.Thing object at 0x10ab3>",
    ],
)
def test_default_repr_never_wins(plain: str) -> None:
    assert is_default_repr(plain)
    assert choose({"text/plain": plain, "text/html": "<h2>Hi</h2>"}) == "text/html"
    assert choose({"text/plain": plain}) == "text/plain"  # the last resort


def test_real_plain_text_beats_plain_html_but_not_a_table() -> None:
    assert not is_default_repr("   a  b\n0  1  2")
    assert choose({"text/plain": "x", "text/html": "<b>x</b>"}) == "text/plain"
    frame = {"text/plain": "   a\n0  1", "text/html": "<div><table><tr><td>1</td></tr></table>"}
    assert choose(frame) == "text/html"
    assert choose(frame, prefer_plain_tables=True) == "text/plain"


def test_latex_wins_only_where_it_can_be_typeset() -> None:
    sympy = {"text/plain": "x**2", "text/latex": "$\\displaystyle x^{2}$", "image/png": "iVBO"}
    assert choose(sympy) == "text/latex"
    assert choose(sympy, lambda mime: mime != "math") == "image/png"
    del sympy["image/png"]
    assert choose(sympy, lambda mime: mime != "math") == "text/plain"
    assert choose({"text/latex": "$x$"}, lambda mime: mime != "math") == "text/latex"


def test_images_first_and_unrenderable_svg_skipped() -> None:
    bundle = {"image/svg+xml": "<svg/>", "text/plain": "<SVG object>", "text/html": "<p>x</p>"}
    assert choose(bundle) == "image/svg+xml"
    assert choose(bundle, lambda mime: mime != "image/svg+xml") == "text/html"


# --- the HTML document model --------------------------------------------------------------


def flat(doc: list) -> str:
    return "".join(
        "\n".join(b.lines()) if isinstance(b, Grid) else "".join(s.text for s in b) for b in doc
    )


def spans(doc: list) -> list[Span]:
    return [s for b in doc if not isinstance(b, Grid) for s in b]


def test_headings_bold_code_links_are_styled() -> None:
    doc = html_to_doc(
        "<h2>Title</h2><p>some <b>bold</b>, <i>it</i>, <code>x()</code> and "
        "<a href='https://python.org'>Python</a></p>"
    )
    by_text = {s.text.strip(): s for s in spans(doc)}
    assert by_text["Title"].styles == {"h2"}
    assert by_text["bold"].styles == {"strong"}
    assert by_text["it"].styles == {"em"}
    assert by_text["x()"].styles == {"code"}
    assert by_text["Python"].styles == {"link"} and by_text["Python"].href == "https://python.org"
    assert by_text["<https://python.org>"].styles == {"url"}


def test_unsafe_links_are_not_clickable() -> None:
    doc = html_to_doc("<a href='javascript:evil()'>js</a> <a href='file:///etc/passwd'>f</a>")
    assert all(s.href is None and "link" not in s.styles for s in spans(doc))


def test_inline_css_colours() -> None:
    doc = html_to_doc(
        "<span style='color: #f00; background-color: rgb(0, 128, 255)'>hot</span> "
        "<span style='color: teal; font-weight: 700'>t</span>"
    )
    by_text = {s.text.strip(): s for s in spans(doc)}
    assert by_text["hot"].styles == {"fg:#ff0000", "bg:#0080ff"}
    assert by_text["t"].styles == {"fg:teal", "strong"}


def test_table_becomes_a_grid_and_text_stays_the_same() -> None:
    source = (
        "<p>before</p><table><thead><tr><th></th><th>name</th><th>n</th></tr></thead>"
        "<tbody><tr><th>0</th><td>alpha</td><td>1</td></tr>"
        "<tr><th>1</th><td>beta</td><td>200</td></tr></tbody></table><p>after</p>"
    )
    doc = html_to_doc(source)
    grids = [b for b in doc if isinstance(b, Grid)]
    assert len(grids) == 1
    grid = grids[0]
    assert [[c.text for c in row] for row in grid.rows] == [
        ["", "name", "n"],
        ["0", "alpha", "1"],
        ["1", "beta", "200"],
    ]
    assert grid.head == 1 and grid.aligns == ["r", "l", "r"]
    assert flat(doc) + "\n" == html_to_text(source)


STYLER = """<style type="text/css">
#T_ab12_row0_col1, #T_ab12_row1_col0 {
  background-color: #ffff00;
}
#T_ab12_row1_col1 {
  color: #ff0000;
  font-weight: bold;
}
.dataframe td { color: blue }
@import url(http://127.0.0.1:1/x.css);
</style>
<table id="T_ab12"><thead><tr><th class="blank">&nbsp;</th><th>a</th><th>b</th></tr></thead>
<tbody><tr><th>0</th><td id="T_ab12_row0_col0">1</td><td id="T_ab12_row0_col1">2</td></tr>
<tr><th>1</th><td id="T_ab12_row1_col0">3</td><td id="T_ab12_row1_col1">4</td></tr></tbody>
</table>"""


def test_styler_id_rules_colour_cells() -> None:
    (grid,) = [b for b in html_to_doc(STYLER) if isinstance(b, Grid)]
    cells = {(r, c): cell for r, row in enumerate(grid.rows) for c, cell in enumerate(row)}
    assert cells[(1, 2)].bg == "#ffff00" and cells[(2, 1)].bg == "#ffff00"
    assert cells[(2, 2)].fg == "#ff0000" and cells[(2, 2)].bold
    assert cells[(1, 1)].fg is None and cells[(1, 1)].bg is None  # class rules are ignored


def test_css_parsing() -> None:
    assert colour("#AbC") == "#aabbcc" and colour("rgba(1, 2, 3, 0.5)") == "#010203"
    assert colour("url(http://x)") is None and colour("inherit") is None
    assert parse_declarations("color:red;background:#000 url(x.png)") == Look("red", "#000000")
    assert id_rules(["#a, .b { color: red }", "#c{color:#fff}#c{font-weight:bold}"]) == {
        "c": Look("#ffffff", None, True)
    }


def test_textgrid_widths() -> None:
    assert width("漢字a\u0301") == 5
    assert clip("x" * 50) == "x" * 39 + "…"


HTML_PIECES = [
    "<p>", "</p>", "<b>", "</b>", "<i>", "<a href='https://x'>", "</a>", "<table>", "</table>",
    "<tr>", "<td>", "<th>", "</td>", "<thead>", "</thead>", "<h1>", "</h1>", "<ul><li>",
    "<span style='color:red'>", "</span>", "<td style='background-color:#0f0'>", "<pre>",
    "</pre>", "<br>", "text", " ", "\n", "1.5", "漢字", "<style>#x{color:red}</style>",
    "<td id=x>", "<blockquote>", "</blockquote>",
]  # fmt: skip


@PROP
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=50).map("".join))
def test_doc_text_equals_plain_text(source: str) -> None:
    assert tidy(flat(html_to_doc(source))) == html_to_text(source)


@PROP
@given(st.text())
def test_doc_never_raises(source: str) -> None:
    html_to_doc(source)


def test_doc_falls_back_to_the_text(monkeypatch) -> None:
    monkeypatch.setattr(htmltext, "canonical", None)  # any failure inside
    assert html_to_doc("<p>a  b</p>") == [[Span("<p>a b</p>", frozenset(), None)]]


# --- SVG and math -------------------------------------------------------------------------


def pixel(png: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    return Image.open(io.BytesIO(png)).convert("RGBA").getpixel(xy)


def test_svg_renders_to_png() -> None:
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='10'>"
        "<rect width='20' height='10' fill='#00f'/></svg>"
    )
    png = svg_to_png(svg)
    assert png is not None and Image.open(io.BytesIO(png)).size == (20, 10)
    assert pixel(png, (5, 5)) == (0, 0, 255, 255)


def test_svg_never_reads_a_local_file(tmp_path) -> None:
    red = tmp_path / "red.png"
    Image.new("RGB", (20, 20), "red").save(red)
    for href in (str(red), red.as_uri(), "red.png"):
        svg = (
            "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'"
            f" width='20' height='20'><image width='20' height='20' href='{href}'/>"
            f"<image width='20' height='20' xlink:href='{href}'/></svg>"
        )
        png = svg_to_png(svg)
        assert png is not None and pixel(png, (10, 10)) == (0, 0, 0, 0), href


def test_svg_keeps_inline_images_and_local_references() -> None:
    cleaned = safe_svg(
        "<svg xmlns='http://www.w3.org/2000/svg'><use href='#a'/>"
        "<image href='data:image/png;base64,AAAA'/>"
        "<image href='data:image/svg+xml;base64,PHN2Zy8+'/>"
        "<rect fill='url(#g)' style='fill:url(https://x/y)'/><script>x()</script></svg>"
    )
    assert cleaned is not None
    assert "#a" in cleaned and "data:image/png" in cleaned and "image/svg+xml" not in cleaned
    assert "url(#g)" in cleaned and "https" not in cleaned and "script" not in cleaned


def test_svg_refuses_entities_and_caps_sizes() -> None:
    bomb = "<?xml version='1.0'?><!DOCTYPE s [<!ENTITY a 'aaaa'>]><svg>&a;</svg>"
    assert svg_to_png(bomb) is None
    assert svg_to_png("not svg at all") is None
    huge = "<svg xmlns='http://www.w3.org/2000/svg' width='1e6' height='1e6'><rect/></svg>"
    png = svg_to_png(huge)
    assert png is not None
    w, h = Image.open(io.BytesIO(png)).size
    assert w * h <= 4096 * 4096


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_svg_referencing_a_local_server_makes_no_request() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x"
        svg = (
            "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20'>"
            f"<style>@import url({url}.css); rect {{ fill: url({url}#p) }}</style>"
            f"<image href='{url}' width='20' height='20'/><rect width='5' height='5'/></svg>"
        )
        assert svg_to_png(svg) is not None
        # the server answers (so a request would have been recorded)
        import urllib.request

        urllib.request.urlopen(url + "?probe", timeout=5).read()
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == ["/x?probe"]


def test_latex_typesets_and_bad_latex_gives_none() -> None:
    png = latex_to_png(r"$\displaystyle \frac{\sqrt\pi}{2}$", 20, "#ff0000")
    assert png is not None
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    reds = [p for p in image.get_flattened_data() if p[3] > 200]
    assert reds and all(p[0] > 200 and p[1] < 60 for p in reds)  # drawn in the colour asked
    assert latex_to_png(r"$\frac{1}{$", 20, "black") is None
    assert latex_to_png("", 20, "black") is None


def test_math_delimiters() -> None:
    assert math_body("$\\displaystyle x^{2}$") == ("\\displaystyle x^{2}", True)
    assert math_body("$$a$$") == ("a", True)
    assert math_body("\\[ b \\]") == ("b", True)
    assert math_body("The value $x$ here") == ("The value $x$ here", False)
