"""Coloured stream output drawn by the writer (fast path and lazy tags), under Xvfb."""

from __future__ import annotations

import time
import tkinter as tk

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tkconsole.models.ansi import AnsiParser
from tkconsole.ui.guarded_text import GuardedText
from tkconsole.ui.output.textstyles import TagPool
from tkconsole.ui.output.writer import OutputWriter

LINES = [f"\x1b[3{i % 7 + 1}mline {i}\x1b[0m\n" for i in range(3000)]
FLOOD = "".join(LINES)


@pytest.fixture
def make_writer(root):
    made = []

    def make(**limits) -> OutputWriter:
        text = GuardedText(root, wrap="char", height=20)
        text.pack()
        root.update()
        font = tk.font.nametofont("TkFixedFont")
        writer = OutputWriter(text, TagPool(text, font, dark=False), font, **limits)
        made.append(text)
        return writer

    yield make
    for text in made:
        text.destroy()


def drain(writer: OutputWriter) -> None:
    """Draw the queued output as the pump does, tick by tick (tags may lag)."""
    while writer.ops:
        writer.render(time.perf_counter() + 0.012)
        writer.text.update()


def colour_of_lines(text: tk.Text) -> list[tuple[str, list[str]]]:
    """Each line's text and the colour tags on its first character."""
    last = int(text.index("end-1c").split(".")[0])
    out = []
    for line in range(1, last + 1):
        tags = [t for t in text.tag_names(f"{line}.0") if t.startswith("fg-")]
        out.append((text.get(f"{line}.0", f"{line}.end"), tags))
    return out


def expected(i: int) -> tuple[str, list[str]]:
    return f"line {i}", [f"fg-{i % 7 + 1}"]


def test_a_coloured_flood_is_in_view_coloured_at_once_and_all_coloured_soon(make_writer):
    writer = make_writer()
    writer.enqueue_stream("stdout", FLOOD)
    drain(writer)
    lines = colour_of_lines(writer.text)
    assert [text for text, _tags in lines[:-1]] == [f"line {i}" for i in range(3000)]
    assert lines[-41:-1] == [expected(i) for i in range(2960, 3000)]  # what is in view
    assert writer.lazy.pending()  # the older lines are coloured in the next ticks
    while writer.render(time.perf_counter() + 0.012):
        writer.text.update()
    assert colour_of_lines(writer.text)[:-1] == [expected(i) for i in range(3000)]
    assert "stdout" in writer.text.tag_names("1.0")


def test_the_trim_while_colours_are_pending_shifts_no_colour(make_writer):
    writer = make_writer(scrollback=1000, squeeze_at=0)
    run = writer.lazy.run
    writer.lazy.run = lambda deadline: True  # the colours wait: the trim cuts into them
    for k in range(0, len(FLOOD), 5000):
        writer.enqueue_stream("stdout", FLOOD[k : k + 5000])
        drain(writer)
    assert len(writer.lazy.blocks) >= 3
    writer.lazy.run = run
    writer.lazy.finish()
    lines = colour_of_lines(writer.text)[:-1]
    first = int(lines[0][0].split()[1])
    assert first > 0 and len(lines) <= 1100
    assert lines == [expected(i) for i in range(first, 3000)]


def test_clear_output_while_colours_are_pending_colours_nothing_new(make_writer):
    writer = make_writer()
    writer.enqueue_stream("stdout", FLOOD)
    drain(writer)
    assert writer.lazy.pending()
    writer.clear()
    writer.enqueue_stream("stdout", "plain\n" * 50)
    drain(writer)
    writer.lazy.finish()
    assert not writer.lazy.pending()
    assert all(tags == [] for _text, tags in colour_of_lines(writer.text))


def char_styles(text: tk.Text) -> list[tuple[str, frozenset[str]]]:
    """Every character but newlines with its tags (the rows path tags a
    newline with the next row's tags, the fast path with none: both look
    the same)."""
    out, tags = [], set()
    for key, value, _index in text.dump("1.0", "end", tag=True, text=True):
        if key == "tagon":
            tags.add(value)
        elif key == "tagoff":
            tags.discard(value)
        else:
            out += ((char, frozenset(tags)) for char in value if char != "\n")
    return out


SGR = ["\x1b[31m", "\x1b[0m", "\x1b[1;4m", "\x1b[38;5;200m", "\x1b[44m", "\x1b[7m"]
TEXT = ["a", "line ", "\n", "\n" * 30, "x\ny\nz\n", "\t", "".join(LINES[:150]), "".join(LINES[7:9])]
OTHER = ["\r", "\x1b[K", "\x1b[A", "\b"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.lists(st.sampled_from(SGR + TEXT + OTHER), max_size=30).map("".join), max_size=6)
)
def test_the_fast_path_draws_what_the_general_path_draws(make_writer, monkeypatch, chunks):
    fast, general = make_writer(), make_writer()
    with monkeypatch.context() as patch:
        for chunk in chunks:
            fast.enqueue_stream("stdout", chunk)
            drain(fast)
        fast.lazy.finish()
        patch.setattr(AnsiParser, "feed_runs", lambda self, data: None)
        for chunk in chunks:
            general.enqueue_stream("stdout", chunk)
            drain(general)
    assert fast.text.get("1.0", "end") == general.text.get("1.0", "end")
    assert char_styles(fast.text) == char_styles(general.text)
