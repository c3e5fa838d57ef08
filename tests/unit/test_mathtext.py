"""Where the formulas are in HTMLMath text: MathJax's default delimiters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.mathtext import Piece, split_math


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("a $x^2$ b", [("text", "a "), ("inline", "x^2"), ("text", " b")]),
        ("costs $5 and $6", [("text", "costs $5 and $6")]),  # spaces inside: not math
        (r"$$\int f$$ and \(y\)", [("display", r"\int f"), ("text", " and "), ("inline", "y")]),
        (r"\[ a \]", [("display", "a")]),
        (r"\$5 and $a$", [("text", r"\$5 and "), ("inline", "a")]),  # an escaped dollar
        ("unclosed $x and \\(y", [("text", "unclosed $x and \\(y")]),
        ("", []),
        ("$$ $$ and \\( \\)", [("text", "$$ $$ and \\( \\)")]),
    ],
)
def test_split_math_finds_each_delimiter(text, pieces):
    assert [(p.kind, p.content) for p in split_math(text)] == pieces


@given(st.text(alphabet=st.sampled_from("ab $\\()[]{}^\n"), max_size=60))
def test_the_pieces_rebuild_the_text_and_no_formula_is_empty(text):
    pieces = split_math(text)
    assert "".join(p.source for p in pieces) == text
    for piece in pieces:
        assert isinstance(piece, Piece) and piece.source
        assert piece.kind == "text" or piece.content.strip()
