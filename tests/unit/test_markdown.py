"""Tests for tkconsole.models.markdown (pure renderer, no display needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from growth import assert_linear
from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models import markdown
from tkconsole.models.markdown import BULLET, HR_TEXT, STYLES, Run, render_markdown

PROP = settings(max_examples=200, deadline=None, database=None)


def text(runs: list[Run]) -> str:
    return "".join(t for t, _ in runs)


def md(source: str) -> str:
    return text(render_markdown(source))


def with_style(runs: list[Run], style: str) -> list[str]:
    """Texts of the runs carrying *style*, neighbours merged, surrounding newlines dropped."""
    out: list[str] = []
    prev = False
    for t, styles in runs:
        on = style in styles
        if on and prev:
            out[-1] += t
        elif on:
            out.append(t)
        prev = on
    return [s.strip("\n") for s in out]


def styles_of(runs: list[Run], fragment: str) -> frozenset[str]:
    """Styles of the (single) run containing *fragment*."""
    hits = [styles for t, styles in runs if fragment in t]
    assert len(hits) == 1, (fragment, runs)
    return hits[0]


# --- headings ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", range(1, 7))
def test_atx_headings(level: int) -> None:
    runs = render_markdown("#" * level + " Title *here*")
    assert text(runs) == "Title here\n"
    assert styles_of(runs, "Title") == {f"h{level}"}
    assert styles_of(runs, "here") == {f"h{level}", "em"}


def test_atx_closing_hashes_and_non_headings() -> None:
    assert md("## Title ##") == "Title\n"
    assert md("# Title #hash") == "Title #hash\n"
    assert md("#hashtag") == "#hashtag\n"
    assert md("####### seven") == "####### seven\n"
    assert md("\\# escaped") == "# escaped\n"


def test_setext_headings() -> None:
    runs = render_markdown("Big\n===\n\nSmall\nline\n---")
    assert text(runs) == "Big\n\nSmall line\n"
    assert with_style(runs, "h1") == ["Big"]
    assert with_style(runs, "h2") == ["Small line"]


def test_heading_then_paragraph() -> None:
    runs = render_markdown("# H\ntext")
    assert text(runs) == "H\n\ntext\n"
    assert styles_of(runs, "text") == frozenset()


# --- emphasis and code ------------------------------------------------------------------


def test_emphasis_and_strong() -> None:
    runs = render_markdown("a *b* _c_ **d** __e__ ***f*** g")
    assert text(runs) == "a b c d e f g\n"
    assert styles_of(runs, "b") == {"em"}
    assert styles_of(runs, "c") == {"em"}
    assert styles_of(runs, "d") == {"strong"}
    assert styles_of(runs, "e") == {"strong"}
    assert styles_of(runs, "f") == {"em", "strong"}


def test_nested_emphasis() -> None:
    runs = render_markdown("*a **b** c*")
    assert text(runs) == "a b c\n"
    assert styles_of(runs, "b") == {"em", "strong"}
    assert with_style(runs, "em") == ["a b c"]


def test_unmatched_and_intraword_delimiters_stay_literal() -> None:
    assert md("snake_case_name") == "snake_case_name\n"
    assert md("**unclosed *x") == "**unclosed *x\n"
    assert md("a * b * c") == "a * b * c\n"
    assert md("\\*not em\\*") == "*not em*\n"


def test_inline_code() -> None:
    runs = render_markdown("use `x = *y*` and ``a ` b`` here")
    assert text(runs) == "use x = *y* and a ` b here\n"
    assert with_style(runs, "code") == ["x = *y*", "a ` b"]
    assert "em" not in styles_of(runs, "*y*")


def test_unmatched_backticks_are_literal() -> None:
    assert md("``open `x") == "``open `x\n"


def test_code_inside_strong() -> None:
    runs = render_markdown("**see `f()`**")
    assert styles_of(runs, "f()") == {"strong", "code"}


# --- code blocks ------------------------------------------------------------------------


def test_fenced_code_block_is_verbatim() -> None:
    src = "before\n\n```python\ndef f(*args):\n    return **kw  # _x_\n\n```\nafter"
    runs = render_markdown(src)
    assert text(runs) == "before\n\ndef f(*args):\n    return **kw  # _x_\n\nafter\n"
    assert with_style(runs, "codeblock") == ["def f(*args):\n    return **kw  # _x_"]
    assert "```" not in text(runs)


def test_tilde_fence_and_unclosed_fence() -> None:
    assert with_style(render_markdown("~~~\n`a`\n~~~"), "codeblock") == ["`a`"]
    assert md("```\nnever closed\n\n*x*") == "never closed\n\n*x*\n"


def test_indented_code_block() -> None:
    runs = render_markdown("para\n\n    code *x*\n      deeper\n\nafter")
    assert text(runs) == "para\n\ncode *x*\n  deeper\n\nafter\n"
    assert with_style(runs, "codeblock") == ["code *x*\n  deeper"]


def test_indented_line_does_not_interrupt_paragraph() -> None:
    assert md("para\n    still para") == "para still para\n"


# --- links and images -------------------------------------------------------------------


def test_inline_link() -> None:
    runs = render_markdown('see [the docs](https://x.org/a_(b) "Title") now')
    assert text(runs) == "see the docs <https://x.org/a_(b)> now\n"
    assert styles_of(runs, "the docs") == {"link"}
    assert styles_of(runs, "<https://x.org/a_(b)>") == {"url"}


def test_link_inside_strong_nests_styles() -> None:
    runs = render_markdown("**go [here](u) now**")
    assert styles_of(runs, "here") == {"strong", "link"}
    assert styles_of(runs, " <u>") == {"strong", "url"}
    assert styles_of(runs, "now") == {"strong"}


def test_emphasis_inside_link_text() -> None:
    runs = render_markdown("[a *b*](u)")
    assert styles_of(runs, "b") == {"link", "em"}


def test_autolinks() -> None:
    runs = render_markdown("<https://example.com/x> and <me@example.com>")
    assert text(runs) == "https://example.com/x and me@example.com\n"
    assert with_style(runs, "link") == ["https://example.com/x", "me@example.com"]


def test_image_is_named_not_fetched() -> None:
    runs = render_markdown("![a *cat*](cat.png) and ![](x.png)")
    assert text(runs) == "[image: a cat] and [image]\n"
    assert with_style(runs, "url") == ["[image: a cat]", "[image]"]


def test_reference_links() -> None:
    src = "[full][ref], [Ref][], [ref] and [missing]\n\n[ref]: https://r.org 'T'"
    runs = render_markdown(src)
    assert text(runs) == (
        "full <https://r.org>, Ref <https://r.org>, ref <https://r.org> and [missing]\n"
    )
    assert with_style(runs, "link") == ["full", "Ref", "ref"]


def test_no_links_inside_links_and_broken_links() -> None:
    assert md("[x [y](z)](w)") == "[x y <z>](w)\n"
    assert md("[a](b") == "[a](b\n"
    assert md("[a] (b)") == "[a] (b)\n"
    assert md("[a](<b c>)") == "a <b c>\n"


def test_empty_link_destination_shows_text_only() -> None:
    runs = render_markdown("[text]()")
    assert runs == [("text\n", frozenset({"link"}))]


# --- quotes -----------------------------------------------------------------------------


def test_blockquote() -> None:
    runs = render_markdown("> quoted *em*\n> more\n\nafter")
    assert text(runs) == "quoted em more\n\nafter\n"
    assert with_style(runs, "quote") == ["quoted em more"]
    assert styles_of(runs, "em") == {"quote", "em"}
    assert styles_of(runs, "after") == frozenset()


def test_blockquote_lazy_continuation_and_nesting() -> None:
    runs = render_markdown("> a\nlazy\n>\n> > inner\n\nout")
    assert text(runs) == "a lazy\n\ninner\n\nout\n"
    assert with_style(runs, "quote") == ["a lazy\n\ninner"]


def test_blockquote_containing_blocks() -> None:
    runs = render_markdown("> # Title\n> - item\n> ```\n> code\n> ```")
    assert text(runs) == f"Title\n\n{BULLET}item\n\ncode\n"
    assert styles_of(runs, "Title") == {"h1", "quote"}
    assert styles_of(runs, "code") == {"codeblock", "quote"}


# --- lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("bullet", "-*+")
def test_bullet_list(bullet: str) -> None:
    runs = render_markdown(f"{bullet} one\n{bullet} two *x*")
    assert text(runs) == "• one\n• two x\n"
    assert with_style(runs, "listmarker") == ["• ", "• "]
    assert styles_of(runs, "x") == {"em"}


def test_nested_list_indents_two_spaces_per_level() -> None:
    assert md("- a\n  - b\n    - c\n- d") == "• a\n  • b\n    • c\n• d\n"


def test_ordered_list_keeps_numbers() -> None:
    runs = render_markdown("1. one\n2. two\n3. three")
    assert text(runs) == "1. one\n2. two\n3. three\n"
    assert with_style(runs, "listmarker") == ["1. ", "2. ", "3. "]
    assert md("7) seven\n8) eight") == "7) seven\n8) eight\n"


def test_ordered_list_inside_bullets() -> None:
    assert md("- a\n  1. x\n  2. y") == "• a\n  1. x\n  2. y\n"


def test_loose_list_and_item_continuation() -> None:
    src = "- a\n\n- b\n\n  second paragraph\n\n      code\nafter"
    assert md(src) == "• a\n\n• b\n\n  second paragraph\n\n  code\n\nafter\n"


def test_list_item_lazy_continuation() -> None:
    assert md("- item\nwraps here\n- next") == "• item wraps here\n• next\n"


def test_list_interrupting_paragraph() -> None:
    assert md("text\n- item") == "text\n\n• item\n"
    assert md("text\n2. not a list") == "text 2. not a list\n"


# --- rules, breaks, paragraphs, escapes -------------------------------------------------


@pytest.mark.parametrize("rule", ["---", "***", "___", "- - -", " * * * *"])
def test_thematic_break(rule: str) -> None:
    runs = render_markdown(f"above\n\n{rule}\n\nbelow")
    assert text(runs) == f"above\n\n{HR_TEXT}\n\nbelow\n"
    assert with_style(runs, "hr") == [HR_TEXT]
    assert HR_TEXT == "─" * 40


def test_soft_and_hard_breaks() -> None:
    assert md("one\ntwo\nthree") == "one two three\n"
    assert md("one  \ntwo\\\nthree") == "one\ntwo\nthree\n"
    assert md("trailing spaces at end  ") == "trailing spaces at end\n"


def test_paragraphs_are_separated_by_one_empty_line() -> None:
    assert md("\n\npara one\n\n\n\npara   two\n\n") == "para one\n\npara two\n"


def test_backslash_escapes() -> None:
    assert md(r"\*a\* \_b\_ \`c\` \[d\](e) \\ \q") == "*a* _b_ `c` [d](e) \\ \\q\n"


def test_raw_html_is_text_and_entities_decode() -> None:
    assert md("<b>bold</b> &amp; &copy; &#x41; &bogus;") == "<b>bold</b> & © A &bogus;\n"


# --- tables -----------------------------------------------------------------------------


def test_table_is_laid_out_in_columns() -> None:
    src = "| name | n | mid |\n|:-----|--:|:---:|\n| alpha | 1 | x |\n| b | 200 | yyy |\n"
    runs = render_markdown(src)
    assert runs == [
        (
            "name     n  mid\n───────────────\nalpha    1   x\nb      200  yyy\n",
            frozenset({"codeblock"}),
        )
    ]


def test_table_inline_markup_is_flattened_and_ragged_rows_padded() -> None:
    src = "a | b\n--|--\n**x** | `y`\nonly |\n\nafter"
    assert md(src) == "a     b\n───────\nx     y\nonly\n\nafter\n"


def test_huge_table_is_shown_as_its_source() -> None:
    # 2500 columns x 5000 rows would pad to 12.5 million cells: show the lines instead.
    header, rule = "|a" * 2500, "|-" * 2500
    source = f"{header}\n{rule}\n" + "|x\n" * 5000
    runs = render_markdown(source)
    assert runs == [(source, frozenset({"codeblock"}))]

    def make(n: int):
        return lambda: render_markdown(f"{header}\n{rule}\n" + "|x\n" * n)

    assert_linear(make, 1_000)


def test_strikethrough() -> None:
    runs = render_markdown("a ~~gone~~ b")
    assert text(runs) == "a gone b\n"
    assert styles_of(runs, "gone") == {"strike"}


def test_inline_and_display_math_are_runs_of_their_own() -> None:
    runs = render_markdown("Euler: $e^{i\\pi} + 1 = 0$ and\n\n$$\\int_0^1 x\\,dx$$\n\nafter")
    assert styles_of(runs, "e^{i\\pi}") == {"math"}
    assert with_style(runs, "math") == ["e^{i\\pi} + 1 = 0"]
    assert with_style(runs, "mathblock") == ["\\int_0^1 x\\,dx"]
    assert text(runs).endswith("\n\nafter\n")


def test_dollar_amounts_are_not_math() -> None:
    assert md("costs $5 and $ 6") == "costs $5 and $ 6\n"


def test_markdown_it_is_loaded_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tkconsole.ui.console, tkconsole.ui.output.writer, tkconsole.ui.output.rich\n"
        "print(sorted(m for m in ('markdown_it', 'ziamath', 'resvg_py', "
        "'tkconsole.models.markdown', 'tkconsole.models.htmltext') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_table_needs_matching_delimiter_row() -> None:
    assert md("a | b\n--|--|--") == "a | b --|--|--\n"


# --- robustness and properties ----------------------------------------------------------


def test_empty_and_blank_input() -> None:
    assert render_markdown("") == [("\n", frozenset())]
    assert render_markdown(" \n\t\n") == [("\n", frozenset())]


def test_crlf_and_nul() -> None:
    assert md("a\r\nb\r\rc\x00") == "a b\n\nc\ufffd\n"


@contextmanager
def no_fallback() -> Iterator[None]:
    """Fail if render_markdown only survived by falling back to plain text."""
    with mock.patch.object(markdown, "_fallback", side_effect=AssertionError("fallback used")):
        yield


def test_fallback_shows_the_source_when_the_parser_fails() -> None:
    with mock.patch.object(markdown, "_render", side_effect=RecursionError):
        assert render_markdown("*a*\r\n\n") == [("*a*\n", frozenset())]


def check_runs(runs: list[Run]) -> str:
    """Invariants every rendering satisfies; returns the joined text."""
    assert runs
    for t, styles in runs:
        assert isinstance(t, str) and t
        assert isinstance(styles, frozenset) and styles <= STYLES
    joined = text(runs)
    assert joined.endswith("\n") and not joined.endswith("\n\n")
    return joined


FRAGMENTS = [
    "*", "**", "_", "__", "`", "``", "```", "~~~", "[", "]", "(", ")", "![", "](", "<",
    ">", "> ", "<http://x>", "\\", "&amp;", "&", "#", "# ", "## ", "- ", "* ", "+ ", "1. ",
    "2) ", "---", "***", "===", "|", "|---|", " ", "  ", "    ", "\t", "\n", "\n\n", "a",
    "word", "x_y", "[a](b)", "[r]: /u", "[r]", "<b>", "é", "漢字",
]  # fmt: skip
markup = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join)


@PROP
@given(st.text())
def test_never_raises_on_arbitrary_text(source: str) -> None:
    with no_fallback():
        check_runs(render_markdown(source))


@PROP
@given(markup)
def test_never_raises_on_markup_soup(source: str) -> None:
    with no_fallback():
        check_runs(render_markdown(source))


HEADING_WORDS = ["a", "Word", "09", "*", "**x**", "_y_", "`c`", "é", "***", "---", "="]


@PROP
@given(
    st.lists(
        st.tuples(
            st.integers(1, 6),
            st.lists(st.sampled_from(HEADING_WORDS), min_size=1, max_size=4),
            st.booleans(),
            st.integers(0, 3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_heading_markers_never_shown(headings: list[tuple[int, list[str], bool, int]]) -> None:
    lines = [
        " " * indent + "#" * level + " " + " ".join(words) + (" ##" if closing else "")
        for level, words, closing, indent in headings
    ]
    with no_fallback():
        runs = render_markdown("\n".join(lines))
    joined = check_runs(runs)
    assert not any(line.startswith("#") for line in joined.split("\n"))
    assert all(s & {"h1", "h2", "h3", "h4", "h5", "h6"} for t, s in runs if t.strip())


def normalised(source: str) -> str:
    """Plain text as rendered: paragraphs split at blank lines, whitespace runs collapsed."""
    paragraphs = re.split(r"\n[ \t]*\n", source.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.split()) + "\n"


PLAIN_PIECES = ["a", "Bc", "xyz", "42", "é", "ßж", "漢字", " ", "  ", "\t", "\n", "\n\n", "\n   \n"]


def tame_lines(source: str) -> str:
    """At most 3 leading spaces (4 make code) and 1 trailing space (2 make a hard break)."""
    out = []
    for line in source.split("\n"):
        body = line.strip(" \t")
        lead = len(line) - len(line.lstrip(" \t"))
        out.append(" " * min(lead, 3) + body + (" " if body and line[-1] in " \t" else ""))
    return "\n".join(out)


plain_text = st.lists(st.sampled_from(PLAIN_PIECES), max_size=40).map("".join).map(tame_lines)


@PROP
@given(plain_text)
def test_plain_text_is_only_whitespace_normalised(source: str) -> None:
    with no_fallback():
        assert md(source) == normalised(source)


ADVERSARIAL = [
    "*", "_", "`", "[", "![", "[](", "[a](<", '[a](b "', "[a][", "<a ", "<a@", "\\", "&#",
    "*a **b", "``a`", "[![a](b)](c)", "> ", "- ", "1. ", "| a |\n|---|\n", "a  \n",
    "    a\n", "a\n---\n",
]  # fmt: skip


def repeated(unit: str):
    def make(n: int):
        source = (unit * (n // len(unit) + 1))[:n]

        def run() -> None:
            with no_fallback():
                check_runs(render_markdown(source))

        return run

    return make


@pytest.mark.parametrize("unit", [*ADVERSARIAL, "$", "$$", "$a", "~~", "~~a"])
def test_linear_time_on_adversarial_input(unit: str) -> None:
    assert_linear(repeated(unit))


# (shape, n): emphasis runs are cheap per character, so their small case must be
# bigger than 2,500 before constant costs and noise stop dominating.
NESTING = [
    (lambda n: "[" * n + "](x)" * (n // 4), 2_500),
    (lambda n: "![" * n + "](x)" * (n // 4), 2_500),
    (lambda n: "*" * n + "a" + "*" * (n - 1), 8_000),
    (lambda n: "> " * n + "x", 2_500),
    (lambda n: "- " * (n // 2) + "x", 2_500),
]


@pytest.mark.parametrize("shape", range(len(NESTING)))
def test_linear_time_on_deep_nesting(shape: int) -> None:
    build, n = NESTING[shape]

    def make(size: int):
        source = build(size)
        return lambda: check_runs(render_markdown(source))

    assert_linear(make, n)


def test_deeply_indented_lists_render() -> None:
    with no_fallback():
        check_runs(render_markdown("\n".join("  " * k + "- x" for k in range(140))))


@settings(max_examples=10, deadline=None, database=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join))
def test_linear_time_on_repeated_soup(unit: str) -> None:
    assert_linear(repeated(unit), 2_500)
