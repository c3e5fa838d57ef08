"""Math and cell colours for the exported page, from the kernel's text alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.export.html import rich_html, sanitise
from tkconsole.models.export.htmlextras import inline_id_styles, latex_html

STYLER = (
    "<style>#T_1_row0_col0 { background-color: #ff0000; } #T_1 td { position: fixed }</style>"
    '<table id="T_1"><tr><td id="T_1_row0_col0" style="color: blue">1</td>'
    '<td id="T_1_row0_col1">2</td></tr></table>'
)


def test_styler_cell_colours_reach_the_cells_and_own_styles_win():
    page = sanitise(inline_id_styles(STYLER))
    assert '<td style="background-color:#ff0000;color:blue">1</td>' in page
    assert "<td>2</td>" in page and "position" not in page and "<style" not in page


def test_latex_output_is_mathml_and_unreadable_latex_stays_source():
    assert latex_html(r"$\displaystyle x^{2}$").startswith("<math")
    assert "<math" in latex_html(r"\sqrt{2}")  # no delimiters: one formula
    assert latex_html(r"\begin{<b>}") == r"<code>\begin{&lt;b&gt;}</code>"


def test_markdown_math_survives_markdown_and_underscores_stay_in_the_formula():
    page = rich_html({"text/markdown": "Sum $a_1 + a_2$ and *this*", "text/plain": "x"})
    assert page.count("<math") == 1 and "<em>this</em>" in page and "$" not in page


@given(st.text(max_size=60))
def test_any_markdown_or_latex_text_comes_out_without_script(text):
    for mime in ("text/markdown", "text/latex"):
        page = rich_html({mime: text + "<script>x</script>"}).lower()
        assert "<script" not in page
