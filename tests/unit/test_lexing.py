"""Incremental lexing gives exactly what a full Pygments pass gives: pure, no display."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments.lexers import get_lexer_by_name

from tkconsole.models.inputtext import call_is_open, clean_paste, common_prefix, is_call_start
from tkconsole.models.lexing import PLAIN, IncrementalLexer


def reference(lexer, text: str) -> list[list[tuple]]:
    """Pygments' own tokens for ``text``, cut into per-line column ranges."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    out: list[list[tuple]] = [[] for _ in lines]
    for pos, ttype, value in lexer.get_tokens_unprocessed(text + "\n"):
        end = pos + len(value)
        for i in range(len(lines)):
            start, stop = max(pos, offsets[i]), min(end, offsets[i + 1] - 1)
            if stop > start and ttype not in PLAIN:
                out[i].append((start - offsets[i], stop - offsets[i], ttype))
    return out


PIECES = ["a", "b1", " ", "\n", "    ", '"', "'", '"""', "(", ")", "[", "]", "{", "}", "#",
          ":", "\\", "def f(x):\n", "return x\n", "1.5e3", "%time ", "!ls ", "= "]  # fmt: skip
EDITS = st.lists(
    st.tuples(st.booleans(), st.floats(0, 1), st.sampled_from(PIECES), st.integers(0, 4)),
    min_size=1,
    max_size=40,
)


def apply(text: str, edit: tuple) -> str:
    insert, where, piece, length = edit
    at = int(where * len(text))
    return text[:at] + piece + text[at:] if insert else text[:at] + text[at + length :]


@settings(max_examples=150, deadline=None)
@given(EDITS)
def test_python_incremental_matches_a_full_pass_after_every_edit(edits):
    lexer = get_lexer_by_name("python")
    inc = IncrementalLexer(lexer)
    text = ""
    for edit in edits:
        text = apply(text, edit)
        inc.update(text)
        if inc.tokens != reference(lexer, text):
            # only a docstring closed far below can fool the incremental pass,
            # and the resync pass run when typing pauses must put it right
            assert '"""' in text
            inc.resync(text)
        assert inc.tokens == reference(lexer, text)


@pytest.mark.parametrize("name", ["ipython3", "r", "julia", "javascript", "bash"])
@settings(max_examples=40, deadline=None)
@given(edits=EDITS)
def test_other_languages_are_exact_after_a_resync(name, edits):
    lexer = get_lexer_by_name(name)
    inc = IncrementalLexer(lexer)
    text = ""
    for edit in edits:
        text = apply(text, edit)
        inc.update(text)
    job = inc.resync_job(text)
    assert job.step(None) is not None  # no deadline: runs to the end
    assert inc.tokens == reference(lexer, text)


def test_an_edit_in_the_middle_relexes_only_near_it():
    lines = [f"x{i} = {i}  # comment {i}" for i in range(200)]
    inc = IncrementalLexer(get_lexer_by_name("python"))
    inc.update("\n".join(lines))
    lines[100] += "1"
    changed = inc.update("\n".join(lines))
    assert len(changed) <= 3 and 100 in changed


def test_opening_a_string_relexes_to_the_end_then_stays_local():
    lines = [f"x{i} = {i}" for i in range(50)]
    inc = IncrementalLexer(get_lexer_by_name("python"))
    inc.update("\n".join(lines))
    lines[10] = 'x = """' + lines[10]
    assert inc.update("\n".join(lines)) == range(9, 50)  # everything below is a string now
    lines[20] += "y"
    assert len(inc.update("\n".join(lines))) <= 3  # and stays so: in sync again


def test_a_stale_resync_is_dropped():
    inc = IncrementalLexer(get_lexer_by_name("python"))
    inc.update("a = 1")
    job = inc.resync_job("a = 1")
    inc.update("a = 12")
    assert job.step(None) == range(0)
    assert inc.tokens == reference(get_lexer_by_name("python"), "a = 12")


@pytest.mark.parametrize(
    ("info", "lexer"),
    [
        ({"name": "python", "pygments_lexer": "ipython3"}, "IPython"),
        ({"name": "R", "pygments_lexer": "r"}, "S"),
        ({"name": "julia"}, "Julia"),
        ({"name": "python", "pygments_lexer": "no-such-lexer"}, "Python"),  # falls back
        ({"name": "no-such-language"}, None),
        ({}, None),
    ],
)
def test_the_kernels_language_picks_the_lexer(info, lexer):
    from tkconsole.ui.input.highlight import lexer_for

    found = lexer_for(info)
    assert (found.name if found else None) == lexer


def test_call_tracking():
    code = "print(a, (b), 'x)', f(c"
    assert is_call_start(code, 5) and not is_call_start("(1)", 0)
    assert call_is_open(code, 5, len(code))  # inner parens and a string ")" don't close it
    assert not call_is_open("print(a) + 1", 5, 12)
    assert not call_is_open("print(a", 5, 5)  # the cursor before the paren


@given(st.lists(st.text(alphabet="abc", max_size=5), min_size=1, max_size=6))
def test_common_prefix_is_shared_and_longest(words):
    prefix = common_prefix(words)
    assert all(w.startswith(prefix) for w in words)
    longer = words[0][: len(prefix) + 1]
    assert len(longer) == len(prefix) or not all(w.startswith(longer) for w in words)


def test_clean_paste_strips_repl_prompts_and_carriage_returns():
    assert clean_paste(">>> a = 1\r\n>>> b = 2\r\n") == "a = 1\nb = 2\n"
    assert clean_paste("In [3]: for i in x:\n   ...:     pass\n") == "for i in x:\n    pass\n"
    assert clean_paste("...rest\nplain") == "...rest\nplain"  # not every line has a prompt
