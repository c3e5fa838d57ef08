"""The pager's page is bounded: every line kept, none too long, the page short."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.ui.input.pager import LINE_LIMIT, PAGE_LIMIT, bounded_page


@given(st.lists(st.integers(0, 3 * LINE_LIMIT), max_size=60), st.characters())
def test_bounded_page_keeps_every_line_and_the_page_short(lengths, char):
    data = "\n".join(char * n for n in lengths if char != "\n")
    lines = bounded_page(data).split("\n")
    assert all(len(line) <= LINE_LIMIT + 40 for line in lines)
    assert sum(map(len, lines)) <= PAGE_LIMIT + 40 * (PAGE_LIMIT // LINE_LIMIT + 2)
    if len(data) <= PAGE_LIMIT and all(n <= LINE_LIMIT for n in lengths):
        assert bounded_page(data) == data.rstrip("\n") + "\n"  # a normal page is untouched
