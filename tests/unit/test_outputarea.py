"""The one output-accumulation model against a straightforward reference."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models.ansi import AnsiParser
from tkconsole.models.outputarea import Displays, OutputArea, StreamText, overwrite_cr
from tkconsole.models.terminal import Screen


def terminal_lines(text: str) -> str:
    """A reference: the text typed character by character into a line buffer."""
    lines, line, col = [], [], 0
    for ch in text:
        if ch == "\n":
            lines.append("".join(line))
            line, col = [], 0
        elif ch == "\r":
            col = 0
        else:
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
    return "\n".join([*lines, "".join(line)])


class Reference:
    """The rules written as plainly as possible: raw stream text kept whole,
    a list of outputs, a flag for the waiting clear, display ids by search."""

    def __init__(self) -> None:
        self.outputs: list[dict[str, Any]] = []
        self.waiting = False

    def add(self, msg_type: str, content: dict[str, Any]) -> None:
        if msg_type == "clear_output":
            self.waiting = content["wait"]
            if not self.waiting:
                self.outputs = []
            return
        if self.waiting:
            self.outputs, self.waiting = [], False
        last = self.outputs[-1] if self.outputs else None
        if msg_type == "stream":
            if last and last["output_type"] == "stream" and last["name"] == content["name"]:
                last["text"] += content["text"]
            else:
                self.outputs.append({"output_type": "stream", **content})
            return
        output = {"output_type": msg_type, **content}
        self.outputs.append(output)

    def update(self, display_id: str, data: dict) -> None:
        for output in self.outputs:
            if output.get("transient", {}).get("display_id") == display_id:
                output["data"] = data

    def seen(self) -> list[dict[str, Any]]:
        """What a reader sees: stream text as a terminal shows it, no transient."""
        out = []
        for output in self.outputs:
            output = {k: v for k, v in output.items() if k != "transient"}
            if output["output_type"] == "stream":
                output["text"] = terminal_lines(output["text"])
            out.append(output)
        return out


def seen(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for output in outputs:
        output = dict(output)
        if output["output_type"] == "stream":
            output["text"] = terminal_lines(output["text"])
        if "metadata" in output and not output["metadata"]:
            del output["metadata"]
        out.append(output)
    return out


TEXT = st.text(alphabet="ab\r\n", max_size=8)
IDS = st.sampled_from(["d1", "d2"])
DATA = st.builds(lambda v: {"text/plain": v}, st.sampled_from(["x", "y", "z"]))
NAMES = st.sampled_from(["stdout", "stderr"])
TRANSIENT = st.builds(lambda i: {"display_id": i}, IDS)
TRACEBACK = st.lists(st.just("tb"), max_size=2)
MESSAGES = st.one_of(
    st.tuples(st.just("stream"), st.fixed_dictionaries({"name": NAMES, "text": TEXT})),
    st.tuples(st.just("clear_output"), st.fixed_dictionaries({"wait": st.booleans()})),
    st.tuples(
        st.just("display_data"), st.fixed_dictionaries({"data": DATA, "transient": TRANSIENT})
    ),
    st.tuples(st.just("display_data"), st.fixed_dictionaries({"data": DATA})),
    st.tuples(st.just("update"), st.tuples(IDS, DATA)),
    st.tuples(
        st.just("execute_result"),
        st.fixed_dictionaries({"data": DATA, "execution_count": st.integers(1, 9)}),
    ),
    st.tuples(
        st.just("error"),
        st.fixed_dictionaries(
            {"ename": st.just("E"), "evalue": st.just("v"), "traceback": TRACEBACK}
        ),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(MESSAGES, max_size=25))
def test_the_area_agrees_with_the_reference_on_any_messages(messages):
    area, reference = OutputArea(), Reference()
    for msg_type, content in messages:
        if msg_type == "update":
            display_id, data = content
            area.displays.update(display_id, data, {})
            reference.update(display_id, data)
            continue
        if msg_type in ("display_data", "execute_result"):
            content = {"metadata": {}, **content}
        area.add(msg_type, content)
        reference.add(msg_type, content)
    assert seen(area.outputs()) == [
        {k: v for k, v in o.items() if k != "metadata" or v} for o in reference.seen()
    ]


@given(st.lists(TEXT, max_size=12))
def test_stream_text_shows_what_a_terminal_shows(texts):
    stream = StreamText()
    for text in texts:
        stream.append(text)
    assert terminal_lines(stream.text) == terminal_lines("".join(texts))


@given(st.text(alphabet="abc\r\n", max_size=40))
def test_overwrite_cr_keeps_the_terminal_view(text):
    assert terminal_lines(overwrite_cr(text)) == terminal_lines(text)


@given(st.lists(st.text(alphabet="abc\r\n", max_size=8), max_size=10))
def test_the_drawn_screen_keeps_the_models_text(texts):
    """The writer's terminal (which draws) and the model (which records) agree."""
    screen, parser, stream = Screen(), AnsiParser(), StreamText()
    for text in texts:
        screen.feed(parser.feed(text), "k")
        stream.append(text)
    assert terminal_lines(screen.text()) == terminal_lines(stream.text)


def test_a_progress_bar_keeps_one_short_open_line():
    stream = StreamText("".join(f"line {i}\n" for i in range(10_000)))
    for i in range(20_001):
        stream.append(f"\r{i:5d}/20000")
        assert len(stream._open) <= 24  # each step rewrites a line, never all the text
    stream.append("\ndone\n")
    assert stream.text.endswith("line 9999\n20000/20000\ndone\n")


def test_a_waiting_clear_happens_with_the_next_output_only():
    area = OutputArea()
    area.add("stream", {"name": "stdout", "text": "old\n"})
    area.add("clear_output", {"wait": True})
    assert [o["text"] for o in area.outputs()] == ["old\n"]
    area.add("stream", {"name": "stdout", "text": "new\n"})
    assert [o["text"] for o in area.outputs()] == ["new\n"]


def test_display_updates_reach_every_area_of_the_session_until_cleared():
    displays = Displays()
    first, second = OutputArea(displays), OutputArea(displays)
    shown = {"data": {"text/plain": "1"}, "metadata": {}, "transient": {"display_id": "d"}}
    first.add("display_data", shown)
    second.add("display_data", shown)
    assert displays.update("d", {"text/plain": "2"}, {})
    assert [o["data"]["text/plain"] for o in first.outputs() + second.outputs()] == ["2", "2"]
    first.add("clear_output", {"wait": False})
    second.add("clear_output", {"wait": False})
    assert not displays.knows("d")


def test_an_output_the_schema_refuses_becomes_a_note():
    area = OutputArea.given([{"output_type": "stream", "text": 5}, {"output_type": "nonsense"}])
    outputs = area.outputs()
    assert [o["name"] for o in outputs] == ["stderr", "stderr"]
    assert all(o["text"].startswith("[output not saved:") for o in outputs)


def test_given_streams_join_what_follows_and_long_streams_keep_their_tail():
    area = OutputArea(max_stream_chars=10)
    area.replace([{"output_type": "stream", "name": "stdout", "text": ["a", "b\n"]}])
    area.add("stream", {"name": "stdout", "text": "c\n" * 20})
    (output,) = area.outputs()
    assert output["text"] == "c\n" * 5


@given(st.text(alphabet="ab\r\n", max_size=30))
def test_shown_text_is_the_terminal_view_without_a_carriage_return(text):
    from tkconsole.models.outputarea import shown_text

    assert shown_text(text) == terminal_lines(text)
