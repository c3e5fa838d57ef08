"""The session record keeps stream text as a notebook front-end would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from test_outputarea import terminal_lines  # the same reference as the output model's

from tkconsole.models.record import SessionRecord
from tkconsole.models.recorder import Recorder


def recorded(*texts: str) -> list[dict]:
    recorder = Recorder(SessionRecord())
    recorder.begin("m", "code")
    for text in texts:
        recorder.add("m", "stream", {"name": "stdout", "text": text})
    return recorder.record.cells[0].outputs


def joined(outputs: list[dict]) -> str:
    return "".join(o["text"] for o in outputs)


def test_progress_bar_steps_keep_only_the_last_state():
    steps = [f"\r{i:5d}/20000 " + "#" * (i // 500) for i in range(20001)]
    outputs = recorded("starting\n", *steps, "\ndone\n")
    assert [o["text"] for o in outputs] == ["starting\n20000/20000 " + "#" * 40 + "\ndone\n"]


def test_shorter_step_overwrites_only_its_width():
    assert terminal_lines(joined(recorded("12345", "\r99"))) == "99345"
    assert joined(recorded("12345", "\r99", "\n")) == "99345\n"


def test_open_line_keeps_its_cursor_until_the_line_ends():
    assert terminal_lines(joined(recorded("abc\r", "xy"))) == "xyc"
    assert joined(recorded("aa\ra", "a", "\n")) == "aa\n"
    assert joined(recorded("line\r", "\n", "next\n")) == "line\nnext\n"


@given(st.lists(st.text(alphabet="ab\r\n", max_size=12), max_size=12))
def test_record_shows_what_a_terminal_shows(texts):
    assert terminal_lines(joined(recorded(*texts))) == terminal_lines("".join(texts))
