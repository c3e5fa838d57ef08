"""The conversation model without Tk or a kernel: message sequences in,
actions and the session record out."""

from __future__ import annotations

import pytest

from tkconsole.models import actions as act
from tkconsole.models.conversation import ConversationModel

SESSION = "our-session"


def msg(msg_type: str, content: object, parent: str | None = "e1", **extra: object) -> dict:
    parent_header = {"msg_id": parent, "session": SESSION} if parent else {}
    return {"msg_type": msg_type, "header": {"msg_type": msg_type}, "content": content,
            "parent_header": parent_header, "metadata": {}, **extra}  # fmt: skip


def event(name: str, **content: object) -> tuple[str, dict]:
    return "events", {"msg_type": name, "header": {}, "parent_header": {}, "content": content}


def iopub(msg_type: str, content: object, parent: str | None = "e1", **extra) -> tuple[str, dict]:
    return "iopub", msg(msg_type, content, parent, **extra)


def shell(msg_type: str, content: object, parent: str | None = "e1") -> tuple[str, dict]:
    return "shell", msg(msg_type, content, parent)


READY = event("ready", kernel_info={"banner": "Hi", "language_info": {"name": "python"}})
BUSY = iopub("status", {"execution_state": "busy"})
IDLE = iopub("status", {"execution_state": "idle"})
REPLY = shell("execute_reply", {"status": "ok", "execution_count": 1, "payload": []})
OUT = iopub("stream", {"name": "stdout", "text": "hello\n"})


def running(owns: bool = True) -> ConversationModel:
    """A model whose kernel is ready and whose cell ``e1`` is running."""
    model = ConversationModel(SESSION, owns_kernel=owns)
    model.receive(*READY)
    model.execute("print('hello')", "e1")
    return model


def feed(model: ConversationModel, sequence: list[tuple[str, dict]]) -> list:
    out = []
    for channel, message in sequence:
        out += model.receive(channel, message)
    return out


def kinds(actions: list) -> list[str]:
    return [type(a).__name__ for a in actions]


CASES = {
    "normal": ([BUSY, OUT, REPLY, IDLE], ["Stream", "StatusChanged", "Prompt"]),
    "idle before reply": ([BUSY, OUT, IDLE, REPLY], ["Stream", "StatusChanged", "Prompt"]),
    "reply replayed": ([OUT, REPLY, REPLY, IDLE, IDLE], ["Stream", "StatusChanged", "Prompt"]),
    "output after the prompt (a thread)": (
        [REPLY, IDLE, OUT],
        ["StatusChanged", "Prompt", "Stream"],
    ),
    "another client's output": (
        [
            (
                "iopub",
                {
                    **msg("stream", {"name": "stdout", "text": "x"}),
                    "parent_header": {"msg_id": "z", "session": "other"},
                },
            )
        ],
        [],
    ),
    "reply to someone else": ([shell("execute_reply", {"execution_count": 9}, "zz")], []),
    "reply with no parent": ([shell("execute_reply", {"execution_count": 9}, None)], []),
    "null execution_count": (
        [shell("execute_reply", {"status": "ok", "execution_count": None}), IDLE],
        ["StatusChanged", "Prompt"],
    ),
    "interleaved stdout/stderr": (
        [
            iopub("stream", {"name": "stderr", "text": "e"}),
            OUT,
            iopub("stream", {"name": "nosuch", "text": "o"}),
        ],
        ["Stream", "Stream", "Stream"],
    ),
    "content not a dict": ([iopub("stream", ["not", "a", "dict"]), OUT], ["Notice", "Stream"]),
    "text not a string": (
        [iopub("stream", {"name": "stdout", "text": 5}), OUT],
        ["Notice", "Stream"],
    ),
    "two malformed: one notice": (
        [iopub("stream", {"text": 5}), iopub("stream", {"text": None}), OUT],
        ["Notice", "Stream"],
    ),
    "message not a dict": ([("iopub", "garbage"), OUT], ["Notice", "Stream"]),
    "output on the wrong channel": (
        [shell("stream", {"name": "stdout", "text": "x"}), shell("clear_output", {}), OUT],
        ["Stream"],
    ),
    "unknown type": ([iopub("no_such_message", {}), OUT], ["Stream"]),
    "kernel sends a transport event's name": (
        [
            iopub("died", {"restarting": False}),
            iopub("start_failed", {"message": "x"}),
            shell("ready", {}),
            OUT,
        ],
        ["Stream"],
    ),
    "data not a dict": ([iopub("display_data", {"data": "nope"}), OUT], ["Notice", "Stream"]),
    "bad transient": (
        [iopub("display_data", {"data": {"text/plain": "a"}, "transient": ["x"]})],
        ["Display"],
    ),
    "unhashable display_id": (
        [iopub("display_data", {"data": {"text/plain": "a"}, "transient": {"display_id": {}}})],
        ["Display"],
    ),
    "update without display_id": (
        [iopub("update_display_data", {"data": {"text/plain": "a"}}), OUT],
        ["Notice", "Stream"],
    ),
    "update of an unknown display id": (
        [
            iopub(
                "update_display_data",
                {"data": {"text/plain": "a"}, "transient": {"display_id": "nope"}},
            )
        ],
        ["UpdateDisplay"],
    ),
    "traceback not a list of strings": (
        [iopub("error", {"ename": "E", "evalue": "v", "traceback": [1, 2]})],
        ["Error"],
    ),
    "clear_output storm": (
        [iopub("clear_output", {"wait": True})] * 50 + [OUT],
        ["ClearOutput", "Stream"],  # the waiting clears: one, just before the output
    ),
    "input_request": (
        [("stdin", msg("input_request", {"prompt": "name? ", "password": False})), REPLY, IDLE],
        ["InputRequest", "StatusChanged", "EndInput", "Prompt"],
    ),
    "status of a quiet request": (
        [
            (
                "iopub",
                {
                    **msg("status", {"execution_state": "idle"}),
                    "parent_header": {"msg_type": "complete_request", "session": SESSION},
                },
            )
        ],
        [],
    ),
    "death in the middle": (
        [OUT, event("died", restarting=True)],
        ["Stream", "SqueezeBacklog", "StatusChanged", "Notice"],
    ),
    "death then restart": (
        [event("died", restarting=True), READY],
        [
            "SqueezeBacklog",
            "StatusChanged",
            "Notice",
            "StatusChanged",
            "ClearPrompt",
            "Notice",
            "Ready",
            "Prompt",
        ],
    ),
    "comm without a target": (
        [iopub("comm_open", {"comm_id": "c", "target_name": "t", "data": {}})],
        [],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_message_sequences(name):
    sequence, expected = CASES[name]
    model = running()
    assert kinds(feed(model, sequence)) == expected


def test_prompt_numbers_follow_the_kernel():
    model = running()
    actions = feed(model, [REPLY, IDLE])
    assert actions[-1] == act.Prompt(2)
    assert model.count == 2
    assert model.mode == "prompt"


def test_existing_kernel_is_probed_for_its_count():
    model = ConversationModel(SESSION, owns_kernel=False)
    actions = model.receive(*READY)
    assert isinstance(actions[-1], act.ProbeCount)
    model.probe_sent("probe")
    actions = model.receive(*shell("execute_reply", {"execution_count": 41}, "probe"))
    assert actions == [act.Prompt(42)]


def test_lone_surrogate_in_stream_is_replaced():
    model = running()
    (stream,) = model.receive(*iopub("stream", {"name": "stdout", "text": "a\ud83db"}))
    assert stream.text == "a\ufffdb"
    stream.text.encode("utf-8")  # encodable: Tk and files take it


def test_is_complete_reply_only_for_the_pending_request():
    model = running()
    feed(model, [REPLY, IDLE])
    model.complete_sent("c1")
    assert model.receive(*shell("is_complete_reply", {"status": "complete"}, "old")) == []
    (answer,) = model.receive(
        *shell("is_complete_reply", {"status": "incomplete", "indent": "  "}, "c1")
    )
    assert answer == act.CompleteAnswer(True, "  ")
    assert model.receive(*shell("is_complete_reply", {"status": "complete"}, "c1")) == []


def test_blank_input_gives_a_prompt_without_a_request():
    model = running()
    feed(model, [REPLY, IDLE])
    assert model.execute("   ", None) == [act.Prompt(2, gap=False)]


def test_payloads_page_next_input_and_exit():
    model = running()
    payload = [{"source": "page", "data": {"text/plain": "doc"}},
               {"source": "set_next_input", "text": "x = 1"},
               {"source": "ask_exit", "keepkernel": True}, "junk", {"source": 5}]  # fmt: skip
    actions = model.receive(*shell("execute_reply", {"execution_count": 1, "payload": payload}))
    assert actions == [act.Page("doc"), act.SetNextInput("x = 1"), act.AskExit(True)]


def test_not_responding_is_never_shown_beside_idle():
    model = running()
    feed(model, [REPLY, IDLE])
    model.receive(*event("not_responding"))
    assert model.status() == ("unknown", "not responding")
    actions = model.receive(*event("responding"))
    assert model.status() == ("idle", "connected")
    assert isinstance(actions[-1], act.Notice)


def test_reconnect_offered_for_a_kernel_we_do_not_own():
    model = running(owns=False)
    notice = model.receive(*event("not_responding"))[-1]
    assert notice.button == "Reconnect"


# ------------------------------------------------------------------ the record
def test_record_joins_streams_applies_updates_and_clears():
    model = running()
    display = {"data": {"text/plain": "v1"}, "transient": {"display_id": "d"}}
    update = {"data": {"text/plain": "v2"}, "transient": {"display_id": "d"}}
    feed(model, [OUT, OUT, iopub("display_data", display), iopub("update_display_data", update),
                 iopub("execute_result", {"execution_count": 1, "data": {"text/plain": "3"}}),
                 REPLY, IDLE])  # fmt: skip
    (cell,) = model.record.cells
    assert cell.source == "print('hello')" and cell.execution_count == 1
    assert cell.outputs[0] == {"output_type": "stream", "name": "stdout", "text": "hello\nhello\n"}
    assert cell.outputs[1]["data"] == {"text/plain": "v2"}
    assert cell.outputs[2]["output_type"] == "execute_result"
    model.execute("again", "e2")
    feed(model, [iopub("stream", {"name": "stdout", "text": "a"}, "e2"),
                 iopub("clear_output", {"wait": True}, "e2"),
                 iopub("stream", {"name": "stdout", "text": "b"}, "e2")])  # fmt: skip
    assert model.record.cells[1].outputs == [
        {"output_type": "stream", "name": "stdout", "text": "b"}
    ]
    assert model.record.language_info == {"name": "python"}


def test_record_keeps_thread_output_with_its_cell():
    model = running()
    feed(model, [REPLY, IDLE])
    model.execute("2", "e2")
    feed(model, [OUT])  # parent e1: the first cell's thread printing late
    assert model.record.cells[0].outputs[0]["text"] == "hello\n"
    assert model.record.cells[1].outputs == []


def test_error_record_has_ename_and_a_fallback_traceback():
    model = running()
    model.receive(*iopub("error", {"ename": "ValueError", "evalue": "bad", "traceback": "no"}))
    error = model.record.cells[0].outputs[0]
    assert error == {"output_type": "error", "ename": "ValueError", "evalue": "bad",
                     "traceback": ["ValueError: bad"]}  # fmt: skip


# ------------------------------------------------------------------ comms
class Target:
    def __init__(self, fail: bool = False, capture: bool = False) -> None:
        self.calls: list[tuple] = []
        self.fail = fail
        self.capture = capture

    def comm_open(self, comm_id, target_name, data, metadata, buffers):
        self._note("open", comm_id, target_name, data, metadata, buffers)

    def comm_msg(self, comm_id, data, metadata, buffers):
        self._note("msg", comm_id, data, metadata, buffers)

    def comm_close(self, comm_id, data):
        self._note("close", comm_id, data)

    def capture_output(self, parent_msg_id, msg_type, content):
        self._note("capture", parent_msg_id, msg_type)
        return self.capture

    def take_view_effects(self):
        return []

    def _note(self, *call):
        self.calls.append(call)
        if self.fail:
            raise RuntimeError("widget bug")


def test_comms_are_validated_and_routed_with_buffers_as_bytes():
    model = running()
    model.comms = target = Target()
    feed(
        model,
        [
            iopub(
                "comm_open",
                {"comm_id": "c", "target_name": "jupyter.widget", "data": {"state": {}}},
                buffers=[memoryview(b"ab")],
            ),
            iopub(
                "comm_msg",
                {"comm_id": "c", "data": {"method": "update"}},
                buffers=[bytearray(b"x")],
            ),
            iopub("comm_msg", {"comm_id": 5, "data": {}}),  # malformed: dropped
            iopub("comm_msg", {"comm_id": "c", "data": {}}, buffers=["not bytes"]),  # malformed
            iopub("comm_close", {"comm_id": "c", "data": {}}),
        ],
    )
    assert target.calls == [
        ("open", "c", "jupyter.widget", {"state": {}}, {}, [b"ab"]),
        ("msg", "c", {"method": "update"}, {}, [b"x"]),
        ("close", "c", {}),
    ]
    assert all(type(b) is bytes for call in target.calls for b in call[-1] if call[0] != "close")


def test_output_captured_by_a_widget_is_not_drawn_or_recorded():
    model = running()
    model.comms = Target(capture=True)
    assert feed(model, [OUT, iopub("display_data", {"data": {"text/plain": "x"}})]) == []
    assert model.record.cells[0].outputs == []
    assert model.comms.calls[0] == ("capture", "e1", "stream")


def test_a_failing_comm_target_is_one_notice_and_output_still_shows():
    model = running()
    model.comms = Target(fail=True)
    actions = feed(model, [OUT, OUT, iopub("comm_open", {"comm_id": "c", "target_name": "t"})])
    assert kinds(actions) == ["Notice", "Stream", "Stream"]


def test_comm_effects_on_views_come_back_as_an_action_drawn_in_order():
    view_calls: list[str] = []

    class Redrawing(Target):
        def __init__(self) -> None:
            super().__init__()
            self.pending: list = []

        def comm_msg(self, comm_id, data, metadata, buffers):
            self.pending.append(lambda: view_calls.append("redraw"))

        def take_view_effects(self):
            effects, self.pending = self.pending, []
            return effects

    model = running()
    model.comms = Redrawing()
    actions = feed(model, [OUT, iopub("comm_msg", {"comm_id": "c", "data": {}}), OUT])
    assert kinds(actions) == ["Stream", "WidgetViews", "Stream"] and view_calls == []
    for call in actions[1].calls:
        call()
    assert view_calls == ["redraw"]


def test_huge_prompts_and_notices_are_cut_to_one_cheap_line():
    model = running()
    (request,) = model.receive(*("stdin", msg("input_request", {"prompt": "p" * 10**6})))
    assert len(request.prompt) <= 1000
    notice = model.receive(*event("died", message="m" * 10**6))[-1]
    assert len(notice.text) <= 1000
