"""Tests for tkconsole.models.htmltext (pure converter, no display needed)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from growth import assert_linear
from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models import htmltext
from tkconsole.models.htmltext import html_to_doc, html_to_text

PROP = settings(max_examples=200, deadline=None, database=None)

# Shaped like pandas' DataFrame._repr_html_() for a frame with a named index (written out
# literally: the tests do not depend on pandas).
PANDAS_HTML = """<div>
<style scoped>
    .dataframe tbody tr th:only-of-type {
        vertical-align: middle;
    }

    .dataframe tbody tr th {
        vertical-align: top;
    }

    .dataframe thead th {
        text-align: right;
    }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>name</th>
      <th>score</th>
      <th>ratio</th>
    </tr>
    <tr>
      <th>id</th>
      <th></th>
      <th></th>
      <th></th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <th>0</th>
      <td>alice</td>
      <td>12</td>
      <td>0.50</td>
    </tr>
    <tr>
      <th>1</th>
      <td>bob</td>
      <td>1,234</td>
      <td>NaN</td>
    </tr>
    <tr>
      <th>...</th>
      <td>...</td>
      <td>...</td>
      <td>...</td>
    </tr>
    <tr>
      <th>10</th>
      <td>carol, whose name is far too long for one narrow column</td>
      <td>-7</td>
      <td>1.25</td>
    </tr>
  </tbody>
</table>
<p>4 rows × 3 columns</p>
</div>"""


def test_pandas_dataframe_table() -> None:
    # Index labels and numeric columns are right-aligned ("..." rows do not count), text
    # columns left-aligned; the long cell is cut at 40 columns; the style sheet is dropped.
    assert html_to_text(PANDAS_HTML) == (
        "     name                                      score  ratio\n"
        " id\n"
        "───────────────────────────────────────────────────────────\n"
        "  0  alice                                        12   0.50\n"
        "  1  bob                                       1,234    NaN\n"
        "...  ...                                         ...    ...\n"
        " 10  carol, whose name is far too long for o…     -7   1.25\n"
        "\n"
        "4 rows × 3 columns\n"
    )


def test_plain_pandas_frame_without_index_name() -> None:
    src = (
        '<table border="1" class="dataframe"><thead><tr style="text-align: right;">'
        "<th></th><th>a</th><th>b</th></tr></thead><tbody>"
        "<tr><th>x</th><td>1.5</td><td>True</td></tr>"
        "<tr><th>y</th><td>22.25</td><td>False</td></tr></tbody></table>"
    )
    assert html_to_text(src) == ("       a  b\n───────────────\nx    1.5  True\ny  22.25  False\n")


def test_table_header_from_th_row_and_caption() -> None:
    src = (
        "<table><caption>Totals</caption><tr><th>item</th><th>n</th></tr>"
        "<tr><td>apples</td><td>3</td></tr><tr><td>kiwis</td><td>12</td></tr></table>"
    )
    assert html_to_text(src) == "Totals\nitem     n\n──────────\napples   3\nkiwis   12\n"


def test_table_without_header_has_no_rule() -> None:
    src = "<table><tr><td>a</td><td>bb</td></tr><tr><td>ccc</td><td>d</td></tr></table>"
    assert html_to_text(src) == "a    bb\nccc  d\n"


def test_table_colspan_rowspan_and_ragged_rows() -> None:
    src = (
        "<table><tr><td>a</td><td colspan=2>b</td></tr>"
        "<tr><td rowspan=2>1</td><td>2</td><td>3</td></tr>"
        "<tr><td>4</td><td>5</td></tr><tr><td>ragged</td></tr></table>"
    )
    assert html_to_text(src) == "a       b\n1       2  3\n        4  5\nragged\n"


def test_table_cells_collapse_whitespace_and_blocks() -> None:
    src = (
        "<table><tr><td> one\n  two <br> <p>three</p></td><td><ul><li>x</li></ul></td></tr></table>"
    )
    assert html_to_text(src) == "one two three  • x\n"


def test_table_with_unclosed_cells_and_stray_end_tags() -> None:
    src = "</td><table><tr><td>a<td>b<tr><td>c</tr></td></table></td>after"
    assert html_to_text(src) == "a  b\nc\n\nafter\n"


def test_table_wider_than_width_is_not_wrapped() -> None:
    cells = "".join(f"<td>{'x' * 30}</td>" for _ in range(6))
    out = html_to_text(f"<table><tr>{cells}</tr></table>", width=40)
    assert out == "  ".join(["x" * 30] * 6) + "\n"


def test_huge_spans_are_bounded() -> None:
    # Spans would pad 1000 rows x 20000 columns. Columns stop at 200, and a grid still over
    # 100k cells is listed row by row without alignment.
    source = "<table><tr>" + "<td colspan=100 rowspan=1000>x" * 200 + "<tr><td>y" * 1000
    out = html_to_text(source)
    assert out == "  ".join(["x"] * 200) + "\n" + "y\n" * 1000
    small = "<table><tr><td colspan=3 rowspan=2>x<td>1<tr><td>2<tr><td>a<td>b<td>c<td>3</table>"
    assert html_to_text(small) == "x        1\n         2\na  b  c  3\n"


def test_nested_table_goes_into_the_cell() -> None:
    src = (
        "<table><tr><td>out</td>"
        "<td><table><tr><td>in1</td><td>in2</td></tr></table></td></tr></table>"
    )
    assert html_to_text(src) == "out  in1 in2\n"  # a cell is one line, whitespace collapsed


def test_text_around_a_table() -> None:
    assert html_to_text("<p>before</p><table><tr><td>1</td></tr></table>after") == (
        "before\n\n1\n\nafter\n"
    )


def test_wide_characters_align() -> None:
    src = "<table><tr><td>漢字</td><td>x</td></tr><tr><td>abcd</td><td>y</td></tr></table>"
    assert html_to_text(src) == "漢字  x\nabcd  y\n"


# --- flow ---------------------------------------------------------------------------------


def test_paragraphs_and_whitespace_collapse() -> None:
    src = "<p>Hello   <b>bold</b>\n world</p>\n<p> second </p>text <i>after</i>"
    assert html_to_text(src) == "Hello bold world\n\nsecond\n\ntext after\n"


def test_headings_and_divs() -> None:
    src = "<h1>Title</h1><div>one</div><div>two</div><h2>Sub</h2>end"
    assert html_to_text(src) == "Title\n\none\ntwo\n\nSub\n\nend\n"


def test_line_breaks_and_rules() -> None:
    assert html_to_text("a<br>b<br/><br><br><br>c") == "a\nb\n\nc\n"
    assert html_to_text("above<hr>below") == "above\n" + "─" * 40 + "\nbelow\n"
    assert html_to_text("x<hr>y", width=10) == "x\n" + "─" * 10 + "\ny\n"


def test_pre_keeps_whitespace() -> None:
    src = "<p>x</p><pre>\n  def f():\n      return  1\n\n\n</pre>y"
    assert html_to_text(src) == "x\n\n  def f():\n      return  1\n\ny\n"


def test_lists() -> None:
    src = (
        "<ul><li>one<li>two<ul><li>inner <b>b</b></li></ul></li></ul><ol><li>a</li><li>b</li></ol>"
    )
    assert html_to_text(src) == "• one\n• two\n  • inner b\n\n1. a\n2. b\n"


def test_ordered_list_start_value_and_item_paragraphs() -> None:
    src = '<ol start="9"><li><p>nine</p><p>more</p></li><li value="20">twenty</li><li>next</ol>'
    assert html_to_text(src) == "9. nine\n\n   more\n\n20. twenty\n21. next\n"


def test_empty_list_item_keeps_marker() -> None:
    assert html_to_text("<ul><li></li><li>x</li></ul>") == "•\n• x\n"


def test_blockquote_and_definition_list() -> None:
    assert html_to_text("<blockquote>said <p>this</p></blockquote>ok") == (
        "> said\n\n> this\n\nok\n"
    )
    assert html_to_text("<dl><dt>term</dt><dd>meaning</dd></dl>") == "term\n  meaning\n"


def test_images_and_links() -> None:
    src = (
        '<img src="x.png" alt="A  cat"> <img src="y.png"> <img alt="">'
        '<a href="https://python.org">Python</a> '
        '<a href="https://docs.python.org/">https://docs.python.org</a> '
        '<a href="mailto:me@x.org">me@x.org</a> <a href="#top">top</a> '
        '<a href="javascript:evil()">js</a>'
    )
    assert html_to_text(src) == (
        "[image: A cat] [image] Python <https://python.org> https://docs.python.org "
        "me@x.org top js\n"
    )


def test_entities_decode_and_stray_angle_brackets_are_text() -> None:
    assert html_to_text("a &lt; b &amp;&amp; c &gt; d &nbsp;e &#x41; &bogus;") == (
        "a < b && c > d \xa0e A &bogus;\n"
    )
    assert html_to_text("1 < 2 and 3 > 2, x<-y, <3") == "1 < 2 and 3 > 2, x<-y, <3\n"


# --- what is dropped ----------------------------------------------------------------------


def test_scripts_styles_head_templates_comments_dropped() -> None:
    src = (
        "<!DOCTYPE html><html><head><title>T</title><meta charset=utf-8>"
        "<style>p { color: red }</style><script>var x = '<p>';</script></head>"
        "<body><p>shown<!-- hidden --></p><template><p>tmpl</p></template>"
        "<script type=module>alert('</scr' + 'ipt>')</script><style>b{}</style>"
        "<![CDATA[cdata]]><?php echo 1 ?>end</body></html>"
    )
    assert html_to_text(src) == "shown\n\nend\n"


def test_head_without_end_tag_ends_at_body_content() -> None:
    assert html_to_text("<head><title>T</title><p>body text") == "body text\n"


def test_unclosed_script_and_comment_hide_the_rest() -> None:
    assert html_to_text("a<script>alert(1)") == "a\n"
    assert html_to_text("a<!-- never closed <p>x") == "a\n"
    assert html_to_text("a<b") == "a\n"  # a tag cut off by the end of input is dropped


def test_script_content_never_shown() -> None:
    assert html_to_text("<div>x<script>alert(1)</script>y</div>") == "xy\n"
    assert html_to_text("<SCRIPT>alert(1)</SCRIPT >z") == "z\n"
    assert html_to_text("<script/>alert(1)</script>z") == "z\n"


def test_textarea_and_xmp_show_markup_as_text() -> None:
    assert html_to_text("<textarea><b>&amp;</b></textarea>") == "<b>&</b>\n"
    assert html_to_text("<xmp><i>&amp;</i></xmp>") == "<i>&amp;</i>\n"


def test_attribute_quoting_does_not_confuse_tag_ends() -> None:
    src = "<a title='x > y' href=\"https://e.org/?a=1&amp;b=2\">e</a> <p class=a/b>p</p>"
    assert html_to_text(src) == "e <https://e.org/?a=1&b=2>\n\np\n"


# --- robustness and properties ----------------------------------------------------------


@contextmanager
def no_fallback() -> Iterator[None]:
    """Fail if html_to_text only survived by falling back to the bare text."""
    with mock.patch.object(htmltext, "_fallback", side_effect=AssertionError("fallback used")):
        yield


def test_fallback_shows_collapsed_source_when_conversion_fails() -> None:
    with mock.patch.object(htmltext, "_convert", side_effect=ValueError):
        assert html_to_text("<p>a\n  b</p>\n") == "<p>a b</p>\n"


def check(out: str) -> str:
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert "\n\n\n" not in out
    assert not out.startswith("\n") or out == "\n"
    return out


def test_empty_input() -> None:
    assert html_to_text("") == "\n"
    assert html_to_text("   \n ") == "\n"
    assert html_to_text("<p></p><div> </div>") == "\n"


FRAGMENTS = [
    "<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<hr>", "<b>", "</b>", "<pre>",
    "</pre>", "<ul>", "</ul>", "<ol start=3>", "</ol>", "<li>", "</li>", "<blockquote>",
    "</blockquote>", "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>",
    "</th>", "<thead>", "</thead>", "<tbody>", "<caption>", "<td colspan=3>",
    "<td rowspan=2>", '<a href="http://x">', "</a>", '<img alt="i">', "<img>", "<h1>",
    "</h1>", "<dl>", "<dd>", "<dt>", "&amp;", "&lt;", "&nbsp;", "&#65;", "text", "x y",
    "  ", "\n", "\t", "<!-- c -->", "<head>", "</head>", "<title>t</title>", "<template>",
    "</template>", "<style>s{}</style>", "<body>", "1.5", "漢字",
]  # fmt: skip
WELL_FORMED = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
BROKEN = [*FRAGMENTS, "<", ">", "</", "<a ", "<!--", "<!", "<![", "<?", "'", '"', "=", "&"]
SOUP = st.lists(st.sampled_from(BROKEN), max_size=60).map("".join)


@PROP
@given(st.text())
def test_never_raises_on_arbitrary_text(source: str) -> None:
    with no_fallback():
        check(html_to_text(source))


@PROP
@given(SOUP)
def test_never_raises_on_tag_soup(source: str) -> None:
    with no_fallback():
        check(html_to_text(source))


@PROP
@given(WELL_FORMED, WELL_FORMED)
def test_script_content_never_in_output(before: str, after: str) -> None:
    with no_fallback():
        out = html_to_text(before + "<script>alert(1)</script>" + after)
    assert "alert" not in out
    check(out)


def collapsed(source: str) -> str:
    """HTML whitespace (only ASCII space, tab, LF, CR, FF) runs to one space, ends trimmed."""
    return " ".join(w for w in re.split(r"[ \t\n\r\f]+", source) if w)


@PROP
@given(st.text().filter(lambda s: "<" not in s and "&" not in s))
def test_plain_text_is_whitespace_collapsed(source: str) -> None:
    with no_fallback():
        assert html_to_text(source) == collapsed(source) + "\n"


ADVERSARIAL = [
    "<a ", "<", "</", "<!--", "<![", "<?", "<a b='", "<a b=", "&#", "<tr><td>", "<table>",
    "<ol><li>", "<ul><li>", "<blockquote>x", "<pre>", "<script>", "<head>", "<template>",
    "</td>", "<td colspan=100>", "<td rowspan=1000>x", "<a href=http://x>t", "<dd>",
]  # fmt: skip


def repeated(unit: str, convert: Callable[[str], object] = html_to_text):
    def make(n: int):
        source = (unit * (n // len(unit) + 1))[:n]

        def run() -> None:
            with no_fallback():
                out = convert(source)
            if isinstance(out, str):
                check(out)

        return run

    return make


@pytest.mark.parametrize("unit", ADVERSARIAL)
def test_linear_time_on_adversarial_input(unit: str) -> None:
    assert_linear(repeated(unit))


@pytest.mark.parametrize(
    "unit", ["<td style='color:red'>x", "<style>#a{color:red}", "<b><i><u>", "<span style="]
)
def test_linear_time_of_the_styled_document(unit: str) -> None:
    assert_linear(repeated(unit, html_to_doc))


@settings(max_examples=10, deadline=None, database=None)
@given(st.lists(st.sampled_from(BROKEN), min_size=1, max_size=6).map("".join))
def test_linear_time_on_repeated_soup(unit: str) -> None:
    assert_linear(repeated(unit), 2_500)
