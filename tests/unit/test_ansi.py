"""Tests for tkconsole.models.ansi (pure parser, no display needed)."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models import ansi
from tkconsole.models.ansi import AnsiParser, Control, Segment, Style, Text, strip_ansi

D = Style()
CR = Control("cr")
BS = Control("bs")
C0_FORBIDDEN = {chr(c) for c in range(0x20)} - {"\n", "\t"}


def merge(segs: list[Segment]) -> list[Segment]:
    """Merge adjacent same-style Text segments (feed() only merges within one call)."""
    out: list[Segment] = []
    for s in segs:
        if isinstance(s, Text) and out and isinstance(out[-1], Text) and out[-1].style == s.style:
            out[-1] = Text(out[-1].text + s.text, s.style)
        else:
            out.append(s)
    return out


def parse(*chunks: str) -> list[Segment]:
    """Feed each chunk to a fresh parser, flush, and merge."""
    p = AnsiParser()
    out: list[Segment] = []
    for c in chunks:
        out += p.feed(c)
    out += p.flush()
    return merge(out)


def text_of(segs: list[Segment]) -> str:
    return "".join(s.text for s in segs if isinstance(s, Text))


def style_after(seq: str, start: Style = D) -> Style:
    p = AnsiParser()
    p.style = start
    p.feed(seq)
    return p.style


# --------------------------------------------------------------------------- basics


def test_plain_text_is_one_default_segment() -> None:
    assert AnsiParser().feed("hello\tworld\n") == [Text("hello\tworld\n", D)]


def test_empty_feed_and_flush() -> None:
    p = AnsiParser()
    assert p.feed("") == []
    assert p.flush() == []


def test_style_is_hashable_and_default() -> None:
    assert Style() == D
    assert hash(Style(fg=(1, 2, 3), bold=True)) == hash(Style(fg=(1, 2, 3), bold=True))
    assert len({Style(), Style(), Style(bold=True)}) == 2


# --------------------------------------------------------------------------- SGR


@pytest.mark.parametrize(
    ("seq", "expected"),
    [
        ("\x1b[1m", Style(bold=True)),
        ("\x1b[2m", Style(faint=True)),
        ("\x1b[3m", Style(italic=True)),
        ("\x1b[4m", Style(underline=True)),
        ("\x1b[7m", Style(inverse=True)),
        ("\x1b[9m", Style(strike=True)),
        ("\x1b[30m", Style(fg=0)),
        ("\x1b[37m", Style(fg=7)),
        ("\x1b[90m", Style(fg=8)),
        ("\x1b[97m", Style(fg=15)),
        ("\x1b[40m", Style(bg=0)),
        ("\x1b[47m", Style(bg=7)),
        ("\x1b[100m", Style(bg=8)),
        ("\x1b[107m", Style(bg=15)),
        ("\x1b[1;4;31;42m", Style(fg=1, bg=2, bold=True, underline=True)),
        # 256-colour palette, semicolon and colon forms
        ("\x1b[38;5;200m", Style(fg=200)),
        ("\x1b[48;5;17m", Style(bg=17)),
        ("\x1b[38:5:200m", Style(fg=200)),
        ("\x1b[48:5:0m", Style(bg=0)),
        # truecolour, semicolon and both colon forms
        ("\x1b[38;2;1;2;3m", Style(fg=(1, 2, 3))),
        ("\x1b[48;2;10;20;30m", Style(bg=(10, 20, 30))),
        ("\x1b[38:2::1:2:3m", Style(fg=(1, 2, 3))),
        ("\x1b[38:2:1:2:3m", Style(fg=(1, 2, 3))),
        ("\x1b[48:2:0:10:20:30m", Style(bg=(10, 20, 30))),
        ("\x1b[38;2;300;0;999m", Style(fg=(255, 0, 255))),  # clamped
        ("\x1b[38;5;200;1m", Style(fg=200, bold=True)),  # args consumed, rest parsed
        ("\x1b[38;2;1;2;3;4m", Style(fg=(1, 2, 3), underline=True)),
        # curly/none underline (colon sub-parameter)
        ("\x1b[4:3m", Style(underline=True)),
        # empty parameter means 0 (reset), then bold
        ("\x1b[;1m", Style(bold=True)),
        # ignored: unknown codes, out-of-range/missing numbers
        ("\x1b[5;8;53;1000m", D),
        ("\x1b[38;5;256m", D),
        ("\x1b[38;5m", D),
        ("\x1b[38;2;1;2m", D),
        ("\x1b[38m", D),
        ("\x1b[38:2:1m", D),
        ("\x1b[58;2;1;2;3m", D),  # underline colour: args consumed, not read as bold etc.
        ("\x1b[58;5;1m", D),
        ("\x1b[>4;2m", D),  # xterm modifyOtherKeys, not SGR
        ("\x1b[?1m", D),
    ],
)
def test_sgr_from_default(seq: str, expected: Style) -> None:
    assert style_after(seq) == expected
    segs = AnsiParser().feed(seq + "x")
    assert segs == [Text("x", expected)]


ALL_ON = Style(
    fg=1, bg=2, bold=True, faint=True, italic=True, underline=True, inverse=True, strike=True
)


@pytest.mark.parametrize(
    ("seq", "expected"),
    [
        ("\x1b[0m", D),
        ("\x1b[m", D),
        ("\x1b[00m", D),
        ("\x1b[1;0m", D),
        (
            "\x1b[21m",
            Style(fg=1, bg=2, faint=True, italic=True, underline=True, inverse=True, strike=True),
        ),
        ("\x1b[22m", Style(fg=1, bg=2, italic=True, underline=True, inverse=True, strike=True)),
        (
            "\x1b[23m",
            Style(fg=1, bg=2, bold=True, faint=True, underline=True, inverse=True, strike=True),
        ),
        (
            "\x1b[24m",
            Style(fg=1, bg=2, bold=True, faint=True, italic=True, inverse=True, strike=True),
        ),
        (
            "\x1b[4:0m",
            Style(fg=1, bg=2, bold=True, faint=True, italic=True, inverse=True, strike=True),
        ),
        (
            "\x1b[27m",
            Style(fg=1, bg=2, bold=True, faint=True, italic=True, underline=True, strike=True),
        ),
        (
            "\x1b[29m",
            Style(fg=1, bg=2, bold=True, faint=True, italic=True, underline=True, inverse=True),
        ),
        (
            "\x1b[39m",
            Style(
                bg=2, bold=True, faint=True, italic=True, underline=True, inverse=True, strike=True
            ),
        ),
        (
            "\x1b[49m",
            Style(
                fg=1, bold=True, faint=True, italic=True, underline=True, inverse=True, strike=True
            ),
        ),
        (
            "\x1b[39;49m",
            Style(bold=True, faint=True, italic=True, underline=True, inverse=True, strike=True),
        ),
        ("\x1b[0;3m", Style(italic=True)),
    ],
)
def test_sgr_off_codes(seq: str, expected: Style) -> None:
    assert style_after(seq, ALL_ON) == expected


def test_style_persists_across_feeds_and_reset() -> None:
    p = AnsiParser()
    assert p.feed("\x1b[31mred") == [Text("red", Style(fg=1))]
    assert p.feed(" still") == [Text(" still", Style(fg=1))]
    p.reset()
    assert p.style == D
    assert p.feed("plain") == [Text("plain", D)]


def test_ipython_traceback_line() -> None:
    line = (
        "\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback "
        "(most recent call last)\n"
        "Cell \x1b[0;32mIn[1], line 1\x1b[0m\n"
        "\x1b[0;32m----> 1\x1b[0m "
        "\x1b[38;5;241m1\x1b[39m\x1b[38;5;241m/\x1b[39m\x1b[38;5;241m0\x1b[39m\n"
        "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"
    )
    segs = AnsiParser().feed(line)
    red, green, grey = Style(fg=1), Style(fg=2), Style(fg=241)
    assert segs == [
        Text("ZeroDivisionError", red),
        Text("                         Traceback (most recent call last)\nCell ", D),
        Text("In[1], line 1", green),
        Text("\n", D),
        Text("----> 1", green),
        Text(" ", D),
        Text("1/0", grey),  # three same-style runs merged into one segment
        Text("\n", D),
        Text("ZeroDivisionError", red),
        Text(": division by zero", D),
    ]
    assert strip_ansi(line).endswith("----> 1 1/0\nZeroDivisionError: division by zero")


def test_same_style_runs_merge_within_feed() -> None:
    assert AnsiParser().feed("a\x1b[31m\x1b[0mb") == [Text("ab", D)]
    assert AnsiParser().feed("\x1b[31ma\x1b[0;31mb\x1b[1;22mc") == [Text("abc", Style(fg=1))]
    assert AnsiParser().feed("a\x1b[1mb\x1b[22mc") == [
        Text("a", D),
        Text("b", Style(bold=True)),
        Text("c", D),
    ]


def test_merging_survives_style_cache_clears() -> None:
    # A tiny cache forces the interning tables to be cleared mid-feed; equal styles must
    # still merge and distinct ones must not.
    s = "".join(f"\x1b[38;2;{i};0;0mx\x1b[0;38;2;{i};0;0my\x1b[1;22mz" for i in range(20))
    expected = [Text("xyz", Style(fg=(i, 0, 0))) for i in range(20)]
    with mock.patch.object(ansi, "_SGR_CACHE_MAX", 3):
        assert AnsiParser().feed(s) == expected
        p = AnsiParser()
        p.style = Style(fg=(0, 0, 0))  # a style object the parser has never seen
        out = p.feed("a" + s)
        assert out == [Text("axyz", Style(fg=(0, 0, 0))), *expected[1:]]  # "a" merged
    assert len(ansi._STYLES) <= ansi._SGR_CACHE_MAX + 1


# --------------------------------------------------------------------------- controls


def test_cr_lf_and_backspace() -> None:
    assert parse("a\r\nb") == [Text("a\nb", D)]
    assert parse("a\rb") == [Text("a", D), CR, Text("b", D)]
    assert parse("ab\bc") == [Text("ab", D), BS, Text("c", D)]
    assert parse("a\r\r\nb") == [Text("a", D), CR, Text("\nb", D)]


def test_crlf_across_chunk_boundary() -> None:
    p = AnsiParser()
    assert p.feed("line\r") == [Text("line", D)]  # \r held back
    assert p.feed("\nnext") == [Text("\nnext", D)]
    p = AnsiParser()
    assert p.feed("line\r") == [Text("line", D)]
    assert p.feed("over") == [CR, Text("over", D)]
    p = AnsiParser()
    assert p.feed("end\r") == [Text("end", D)]
    assert p.flush() == [CR]
    assert p.flush() == []


def test_tqdm_progress_updates() -> None:
    chunks = ["\r  0%|          | 0/10", "\r 10%|█         | 1/10", "\r100%|██████████| 10/10\n"]
    p = AnsiParser()
    out = [p.feed(c) for c in chunks]
    assert out[0] == [CR, Text("  0%|          | 0/10", D)]
    assert out[1] == [CR, Text(" 10%|█         | 1/10", D)]
    assert out[2] == [CR, Text("100%|██████████| 10/10\n", D)]


@pytest.mark.parametrize(
    ("seq", "expected"),
    [
        ("\x1b[K", [Control("erase_line", 0)]),
        ("\x1b[0K", [Control("erase_line", 0)]),
        ("\x1b[1K", [Control("erase_line", 1)]),
        ("\x1b[2K", [Control("erase_line", 2)]),
        ("\x1b[5K", []),
        ("\x1b[J", [Control("erase_screen", 0)]),
        ("\x1b[2J", [Control("erase_screen", 2)]),
        ("\x1b[3J", [Control("erase_screen", 3)]),
        ("\x1b[A", [Control("cursor_up", 1)]),
        ("\x1b[0A", [Control("cursor_up", 1)]),
        ("\x1b[3A", [Control("cursor_up", 3)]),
        ("\x1b[2B", [Control("cursor_down", 2)]),
        ("\x1b[C", [Control("cursor_forward", 1)]),
        ("\x1b[4D", [Control("cursor_back", 4)]),
        ("\x1b[G", [Control("cursor_column", 1)]),
        ("\x1b[0G", [Control("cursor_column", 1)]),
        ("\x1b[10G", [Control("cursor_column", 10)]),
        ("\x1b[2E", [Control("cursor_down", 2), Control("cursor_column", 1)]),
        ("\x1b[F", [Control("cursor_up", 1), Control("cursor_column", 1)]),
        ("\x1b[99999999999999999999A", [Control("cursor_up", 9999)]),  # clamped
    ],
)
def test_erase_and_cursor_controls(seq: str, expected: list[Segment]) -> None:
    if expected:
        assert parse("a" + seq + "b") == [Text("a", D), *expected, Text("b", D)]
    else:
        assert parse("a" + seq + "b") == [Text("ab", D)]


@pytest.mark.parametrize(
    "seq",
    [
        "\x1b[?25l",
        "\x1b[?25h",
        "\x1b[2;5H",
        "\x1b[H",
        "\x1b[0 q",
        "\x1b[6n",
        "\x1b[1;2r",
        "\x1b[?2K",  # selective erase: private marker, swallowed
        "\x1b(B",
        "\x1b)0",
        "\x1b$(B",
        "\x1b=",
        "\x1b>",
        "\x1b7",
        "\x1b8",
        "\x1bM",
        "\x1bc",
        "\x1b\\",  # stray string terminator
        "\x1b]0;window title\x07",
        "\x1b]0;window title\x1b\\",
        "\x1bPdcs payload\x1b\\",
        "\x1b_apc payload\x1b\\",
        "\x07",
        "\x00",
        "\x0e\x0f",  # SO/SI
    ],
)
def test_unknown_sequences_swallowed(seq: str) -> None:
    assert parse("a" + seq + "b") == [Text("ab", D)]


def test_osc8_hyperlink_keeps_visible_text() -> None:
    s = "see \x1b]8;id=1;https://example.com/?q=1\x1b\\the docs\x1b]8;;\x1b\\ now"
    assert parse(s) == [Text("see the docs now", D)]
    bel = "see \x1b]8;;https://example.com\x07the docs\x1b]8;;\x07 now"
    assert parse(bel) == [Text("see the docs now", D)]


def test_bel_and_nul_dropped() -> None:
    assert parse("ding\x07dong\x00!") == [Text("dingdong!", D)]


def test_malformed_escapes_do_not_eat_text() -> None:
    assert parse("a\x1b\nb") == [Text("a\nb", D)]  # lone ESC before a control
    assert parse("a\x1b\x1b[1mb") == [Text("a", D), Text("b", Style(bold=True))]
    assert parse("a\x1b[3\n1mb") == [Text("a\n1mb", D)]  # CSI aborted by a control
    assert parse("a\x1b]0;t\x1b[1mb") == [Text("a", D), Text("b", Style(bold=True))]  # OSC aborted


# --------------------------------------------------------------------------- incremental


def test_split_sgr() -> None:
    p = AnsiParser()
    assert p.feed("\x1b[3") == []
    assert p.feed("1mred") == [Text("red", Style(fg=1))]


REALISTIC = (
    "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m\n"
    "\x1b[0;31mValueError\x1b[0m  Traceback (most recent call last)\r\n"
    "\x1b[1;32m----> 3\x1b[0m \x1b[38;2;255;100;0mraise\x1b[39m "
    "\x1b[38:5:33mValueError\x1b[39m(\x1b[33m'x'\x1b[0m)\n"
    "\r 50%|█████     | 5/10 [00:01<00:01]\x1b[K\r100%|██████████| 10/10\x1b[1A\x1b[2G\n"
    "\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x07 back\bspace\x1b(B\x1b[?25h done\r"
)


def test_every_split_point_matches_whole() -> None:
    whole = parse(REALISTIC)
    assert text_of(whole).startswith("-----")
    assert whole[-1] == CR
    for i in range(len(REALISTIC) + 1):
        assert parse(REALISTIC[:i], REALISTIC[i:]) == whole, i


def test_every_pair_of_split_points_in_escape_region() -> None:
    s = "a\x1b[38;2;1;2;3mb\x1b]8;;u\x1b\\c\r\nd"
    whole = parse(s)
    for i in range(len(s) + 1):
        for j in range(i, len(s) + 1):
            assert parse(s[:i], s[i:j], s[j:]) == whole, (i, j)


def test_one_char_at_a_time() -> None:
    assert parse(*REALISTIC) == parse(REALISTIC)


def test_flush_drops_incomplete_escape() -> None:
    p = AnsiParser()
    assert p.feed("a\x1b[3") == [Text("a", D)]
    assert p.flush() == []
    assert p.feed("1mb") == [Text("1mb", D)]  # no longer inside an escape


def test_reset_clears_pending() -> None:
    p = AnsiParser()
    p.feed("\x1b[1mx\x1b]0;tit")
    p.reset()
    assert p.style == D
    assert p.feed("le\x07") == [Text("le", D)]


def test_held_back_csi_buffer_is_bounded() -> None:
    p = AnsiParser()
    out = p.feed("\x1b[" + "1;" * 10000)
    assert len(p._pending) <= 300
    out += p.feed("hello")
    out += p.flush()
    assert "hello" in text_of(out)
    assert len(p._pending) <= 300
    # same result as feeding it all at once
    assert merge(out) == parse("\x1b[" + "1;" * 10000 + "hello")


def test_held_back_osc_buffer_is_bounded() -> None:
    # an unterminated OSC is dropped after 4096 payload chars; the rest is shown
    p = AnsiParser()
    out = p.feed("\x1b]0;")
    for _ in range(100):
        out += p.feed("x" * 1000)
        assert len(p._pending) <= 4100
    out += p.feed("hello")
    out += p.flush()
    assert text_of(out) == "x" * (100_000 - 4094) + "hello"
    assert len(p._pending) <= 4100


def test_overlong_csi_one_char_at_a_time_stays_small() -> None:
    p = AnsiParser()
    out = p.feed("\x1b[")
    for _ in range(2000):
        out += p.feed("9")
        assert len(p._pending) <= 300
    assert out == []  # the whole parameter run is dropped, even after the cap
    assert p.feed("mok") == [Text("mok", D)]  # final byte not consumed


def test_overlong_csi_split_inside_parameter_run() -> None:
    s = "a\x1b[" + "1;" * 300 + "2;3mhello"
    whole = parse(s)
    assert whole == [Text("amhello", D)]
    for i in range(len(s) - 20, len(s) + 1):
        assert parse(s[:i], s[i:]) == whole, i


# --------------------------------------------------------------------------- strip_ansi


def test_strip_ansi() -> None:
    assert strip_ansi("\x1b[1;31mred\x1b[0m\r\nnext\rover\bx\x07\x1b]0;t\x07") == "red\nnextoverx"
    assert strip_ansi("plain") == "plain"
    assert strip_ansi("") == ""
    assert strip_ansi("tail\x1b[3") == "tail"


# --------------------------------------------------------------------------- properties

FRAGMENTS = [
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[1;4m",
    "\x1b[38;5;200m",
    "\x1b[38;2;1;2;3m",
    "\x1b[48:2::9:8:7m",
    "\x1b[m",
    "\x1b[22m",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\b",
    "\x07",
    "\x1b[2K",
    "\x1b[1A",
    "\x1b[E",
    "\x1b[?25l",
    "\x1b(B",
    "abc",
    "█",
    " 10%|",
    "\x1b]8;;http://x\x1b\\",
    "\x1b]0;title\x07",
    # raw pieces that form or break sequences when adjacent
    "\x1b",
    "[",
    "]",
    "\\",
    "1",
    ";",
    "m",
]

fragment_strings = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
# arbitrary text biased toward the characters that matter to the parser
tricky_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("\x1b\r\n\b\x07[]\\;:m0123456789?PK A"),
        st.characters(),
    ),
    max_size=80,
)
PROP = settings(max_examples=200, deadline=None, database=None)


def split_at(s: str, cuts: list[int]) -> list[str]:
    points = sorted({min(c, len(s)) for c in cuts})
    pieces, prev = [], 0
    for c in points:
        pieces.append(s[prev:c])
        prev = c
    pieces.append(s[prev:])
    return pieces


@PROP
@given(st.text())
def test_never_raises_and_text_is_clean(s: str) -> None:
    p = AnsiParser()
    segs = p.feed(s) + p.flush()
    for seg in segs:
        if isinstance(seg, Text):
            assert seg.text
            assert not (set(seg.text) & C0_FORBIDDEN)
    assert not (set(text_of(segs)) & C0_FORBIDDEN)


@PROP
@given(st.lists(tricky_text, max_size=6))
def test_never_raises_on_tricky_chunks(chunks: list[str]) -> None:
    segs = parse(*chunks)
    text = text_of(segs)
    assert "\x1b" not in text and "\r" not in text and "\b" not in text
    assert all(isinstance(s, Control) or s.text for s in segs)


@PROP
@given(fragment_strings, st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_chunking_invariance_fragments(s: str, cuts: list[int]) -> None:
    assert parse(*split_at(s, cuts)) == parse(s)


@PROP
@given(st.one_of(fragment_strings, tricky_text), st.lists(st.integers(0, 400), max_size=3))
def test_find_and_regex_scanning_paths_agree(s: str, cuts: list[int]) -> None:
    # the parser tracks few distinct control chars with str.find, many with a regex
    pieces = split_at(s + "".join(sorted(C0_FORBIDDEN)), cuts)
    with mock.patch.object(ansi, "_MAX_HEADS", 0):
        via_regex = parse(*pieces)
    with mock.patch.object(ansi, "_MAX_HEADS", 99):
        via_find = parse(*pieces)
    assert via_regex == via_find


@PROP
@given(st.one_of(fragment_strings, tricky_text))
def test_single_feed_output_is_maximally_merged(s: str) -> None:
    segs = AnsiParser().feed(s)
    assert segs == merge(segs)


@PROP
@given(tricky_text, st.lists(st.integers(min_value=0, max_value=80), max_size=4))
def test_chunking_invariance_arbitrary(s: str, cuts: list[int]) -> None:
    assert parse(*split_at(s, cuts)) == parse(s)


@PROP
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="".join(C0_FORBIDDEN)),
        min_size=1,
    )
)
def test_plain_text_round_trips(s: str) -> None:
    assert AnsiParser().feed(s) == [Text(s, D)]
    assert strip_ansi(s) == s


@PROP
@given(st.one_of(fragment_strings, tricky_text), st.lists(st.integers(0, 400), max_size=4))
def test_strip_ansi_matches_parser_text(s: str, cuts: list[int]) -> None:
    # strip_ansi finds plain runs with the tokenizer regex; the parser finds them with
    # str.find between specials and merges styles; both must agree on the visible text.
    stripped = strip_ansi(s)
    assert stripped == text_of(parse(s))
    assert stripped == text_of(parse(*split_at(s, cuts)))
    assert not (set(stripped) & C0_FORBIDDEN)
    assert strip_ansi(stripped) == stripped


_SGR_PIECES = st.sampled_from(
    ["\x1b[31m", "\x1b[0m", "\x1b[m", "\x1b[1;4m", "\x1b[38;5;200m", "\x1b[22m", "\x1b[44m",
     "\x1b[38:2::1:2:3m", "\x1b[2K", "\r", "text", "\n"]
)  # fmt: skip


@PROP
@given(st.lists(_SGR_PIECES, max_size=8), st.lists(_SGR_PIECES, max_size=30))
def test_skip_leaves_the_style_feed_would(before: list[str], skipped: list[str]) -> None:
    """Squeezed text is skipped, not parsed; what follows keeps its colours."""
    parsed, skipper = AnsiParser(), AnsiParser()
    parsed.feed("".join(before))
    skipper.feed("".join(before))
    parsed.feed("".join(skipped) + "\n")
    skipper.skip("".join(skipped) + "\n")
    assert skipper.style == parsed.style
