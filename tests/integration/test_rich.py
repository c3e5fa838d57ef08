"""Rich output against a real ipykernel under Xvfb: HTML tables, typeset math, SVG, links.

Cells are typed one line each: a typed newline runs a complete line at once.
"""

from __future__ import annotations

import io
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from conftest import run_and_wait, screenshot, wait_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from tkconsole.ui.output.htmlview import TableView, cells_of

pytest.importorskip("pandas")


@pytest.fixture
def console(make_console):
    return make_console()


@pytest.fixture
def browser(monkeypatch) -> list[str]:
    """The system browser, replaced by one that records the URLs it is asked to open."""
    opened: list[str] = []

    class Recorder(webbrowser.BaseBrowser):
        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "_tryorder", None)
    webbrowser.register("tkconsole-test", None, Recorder("tkconsole-test"), preferred=True)
    return opened


def click_text(root, text, words: str) -> None:
    """Move the mouse onto the last ``words`` shown and click, as a person does."""
    index = text.search(words, "end", backwards=True)
    x, y, _w, _h = text.bbox(f"{index}+2c")
    text.event_generate("<Motion>", x=x, y=y)  # "current" moves first, then the click
    text.event_generate("<Button-1>", x=x, y=y)
    root.update()


def tables(console) -> list[TableView]:
    return console.writer.rich.html_view().tables


def image_count(console) -> int:
    return len(console.text.image_names())


def typeset(root, console) -> None:
    """Wait until the console's formulas are back from the typesetting thread."""
    wait_for(root, lambda: console.writer.rich.math.pending == 0, 30, "formulas typeset")


def test_dataframe_renders_as_a_grid(root, console, tmp_path):
    code = (
        "import pandas as pd; "
        "df = pd.DataFrame({'name': ['alpha', 'beta', 'gamma'], 'n': [1, 200, -3],"
        " 'ratio': [0.5, 1.25, 10.0]}); "
        "df"
    )
    shown = run_and_wait(root, console, code)
    assert "<IPython" not in shown and "<table" not in shown
    (view,) = tables(console)
    assert cells_of(view) == [
        ["", "name", "n", "ratio"],
        ["0", "alpha", "1", "0.50"],
        ["1", "beta", "200", "1.25"],
        ["2", "gamma", "-3", "10.00"],
    ]
    # numbers are right-aligned: the right edges of a numeric column line up
    rights = {view.cell_box(r, 2)[2] for r in range(1, 4)}
    lefts = {view.cell_box(r, 1)[0] for r in range(1, 4)}
    assert len(rights) == 1 and len(lefts) == 1
    header_font = view.canvas.itemcget(view.items[(0, 1)], "font")
    body_font = view.canvas.itemcget(view.items[(1, 1)], "font")
    assert header_font != body_font  # the header row is bold
    assert view.canvas.find_withtag("zebra")  # banded rows
    # copying, find and the transcript still see the table as text
    assert "0  alpha    1   0.50" in shown
    screenshot(console, tmp_path / "dataframe.png")


def test_wide_table_scrolls_sideways_instead_of_wrapping(root, console):
    code = (
        "import pandas as pd; "
        "pd.DataFrame([[i * j for j in range(30)] for i in range(3)],"
        " columns=[f'column_number_{j}' for j in range(30)])"
    )
    run_and_wait(root, console, code)
    (view,) = tables(console)
    root.update()
    assert view.bar.winfo_ismapped()
    assert int(view.canvas.cget("width")) < view.full_width
    before = view.canvas.xview()
    view.canvas.event_generate("<Shift-Button-5>", x=10, y=10)
    view.canvas.xview_scroll(5, "units")
    assert view.canvas.xview() != before


def test_styler_colours_cells(root, console):
    code = (
        "import pandas as pd; "
        "pd.DataFrame({'a': [1, 5], 'b': [7, 2]}).style.highlight_max(color='yellow')"
    )
    shown = run_and_wait(root, console, code)
    assert "Styler at 0x" not in shown
    (view,) = tables(console)
    coloured = {
        (r, c)
        for r, row in enumerate(view.grid_model.rows)
        for c, cell in enumerate(row)
        if cell.bg == "yellow"
    }
    assert coloured == {(2, 1), (1, 2)}
    fills = {view.canvas.itemcget(i, "fill") for i in view.canvas.find_all()}
    assert "yellow" in fills


def test_html_is_rendered_with_styles_and_links(root, console, browser):
    html = (
        "<h2>Report</h2><p>with <b>bold</b> and <span style=\\'color:#ff0000\\'>red</span> "
        "<a href=\\'https://example.org/\\'>a link</a></p>"
    )
    shown = run_and_wait(root, console, f"from IPython.display import HTML; HTML('{html}')")
    out = shown[shown.rindex("Out[") :]
    assert "HTML object" not in out and "<h2>" not in out
    assert out.startswith("Out[1]: \nReport\n\nwith bold and red a link")
    text = console.text
    assert "md-h2" in text.tag_names(text.search("Report", "end", backwards=True))
    assert "md-strong" in text.tag_names(text.search("bold", "end", backwards=True))
    red = text.tag_names(text.search("red", "end", backwards=True))
    assert "html-fg-#ff0000" in red
    assert "<https://example.org/>" in shown  # the URL is shown after the text
    click_text(root, text, "a link")
    assert browser == ["https://example.org/"]


def test_math_and_sympy_are_typeset(root, console, tmp_path):
    before = image_count(console)
    run_and_wait(root, console, "from IPython.display import Math; Math(r'\\alpha^2 + \\beta')")
    typeset(root, console)
    assert image_count(console) == before + 1
    code = "import sympy; sympy.init_printing(); x = sympy.symbols('x'); sympy.Integral(x**2, x)"
    shown = run_and_wait(root, console, code)
    typeset(root, console)
    assert image_count(console) == before + 2
    assert "Integral(x**2, x)" not in shown.splitlines()[-2]


def test_markdown_math_is_typeset(root, console):
    before = image_count(console)
    code = (
        "from IPython.display import Markdown; "
        "Markdown('Euler: $e^{i\\\\pi} + 1 = 0$, and\\n\\n$$\\\\int_0^1 x^2\\\\,dx = \\\\frac13$$')"
    )
    run_and_wait(root, console, code)
    typeset(root, console)
    assert image_count(console) == before + 2


def test_bad_latex_falls_back_to_its_source(root, console):
    before = image_count(console)
    shown = run_and_wait(root, console, "from IPython.display import Math; Math(r'\\frac{1}{')")
    typeset(root, console)
    assert image_count(console) == before
    assert "\\frac{1}{" in shown
    assert "Error" not in shown


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_svg_is_an_image_and_fetches_nothing(root, console):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x"
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
            f'<image href="{url}" width="40" height="20"/>'
            '<rect width="20" height="20" fill="blue"/></svg>'
        )
        before = image_count(console)
        shown = run_and_wait(root, console, f"from IPython.display import SVG; SVG('{svg}')")
        assert image_count(console) == before + 1
        assert "SVG object" not in shown
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == []


def test_prefer_plain_tables_setting(root, make_console):
    console = make_console()
    console.writer.rich.prefer_plain_tables = True
    shown = run_and_wait(root, console, "import pandas as pd; pd.DataFrame({'a': [1, 2]})")
    assert not tables(console)
    assert "   a\n0  1\n1  2" in shown


def test_math_takes_the_new_text_colour_when_the_theme_changes(root, console):
    run_and_wait(root, console, "from IPython.display import Math; Math(r'x^2')")
    typeset(root, console)
    rich = console.writer.rich
    (name,) = rich.math_sources
    before = rich.images[name][1]
    console.text.configure(foreground="#ff0000")
    rich.set_dark(not rich._dark)
    wait_for(root, lambda: rich.images[name][1] != before, 10, "the formula re-typeset")
    image = Image.open(io.BytesIO(rich.images[name][1])).convert("RGBA")
    inked = [p for p in image.get_flattened_data() if p[3] > 200]
    assert inked and all(p[0] > 200 and p[1] < 60 for p in inked)


def test_markdown_links_open_in_the_browser(root, console, browser):
    markdown = "see [the docs](https://docs.python.org/3/) now"
    run_and_wait(root, console, f"from IPython.display import Markdown; Markdown('{markdown}')")
    click_text(root, console.text, "the docs")
    assert browser == ["https://docs.python.org/3/"]


SOUP = [
    "<table>", "</table>", "<tr>", "<td>", "<th>", "</td>", "<thead>", "<td colspan=3>",
    "<td style='background-color: nosuchcolour; color: #12'>", "<td style='color:#0f0'>",
    "<span style='color: rgb(300, -1, 2)'>", "</span>", "<a href='https://x.org'>", "</a>",
    "<a href='javascript:x'>", "<h1>", "</h1>", "<b>", "<pre>", "</pre>", "<ul><li>", "text",
    "1.5", "漢字", " ", "\n", "<style>#c{background:url(http://127.0.0.1:1/x)}</style>",
    "<td id=c>", "<caption>", "<br>",
]  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(SOUP), max_size=40).map("".join))
def test_any_html_draws_without_error(root, source):
    from tkinter import font as tkfont

    from tkconsole.ui.guarded_text import GuardedText
    from tkconsole.ui.output.rich import RichRenderer

    text = GuardedText(root)
    try:
        rich = RichRenderer(text, tkfont.nametofont("TkFixedFont"))
        rich.insert("end", {"text/html": source}, {})
        for view in rich.html_view().tables:
            cells_of(view)
        root.update_idletasks()
    finally:
        text.destroy()


def test_formula_cleared_before_it_is_typeset_is_dropped(root):
    from tkinter import font as tkfont

    from tkconsole.ui.guarded_text import GuardedText
    from tkconsole.ui.output.rich import RichRenderer

    text = GuardedText(root)
    try:
        rich = RichRenderer(text, tkfont.nametofont("TkFixedFont"))
        rich.insert("end", {"text/latex": "$x^2$"}, {})
        rich.insert("end", {"text/latex": "$y^2$"}, {})
        assert text.get("1.0", "end-1c") == "$x^2$$y^2$"  # the sources show at once
        text.erase("1.0", "1.5")  # the first one is cleared while it is typeset
        wait_for(root, lambda: rich.math.pending == 0, 30, "formulas typeset")
        assert len(text.image_names()) == 1
        assert text.get("1.0", "end-1c") == "$y^2$"  # kept, elided, beside its image
    finally:
        text.destroy()
