"""No message can break the conversation model: arbitrary messages on every
channel, each followed by a good one (the real console: tests/integration/test_hostile.py)."""

from __future__ import annotations

from hostile_kernel import hostile_messages
from hypothesis import given, settings

from tkconsole.models import actions as act
from tkconsole.models.conversation import ConversationModel

SESSION = "s"


def as_message(msg_type: str, content: object) -> dict:
    return {"msg_type": msg_type, "header": {"msg_type": msg_type, "msg_id": "x"},
            "parent_header": {"msg_id": "e1", "session": SESSION}, "content": content,
            "metadata": {}}  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(hostile_messages)
def test_model_survives_anything_and_shows_the_next_good_message(script):
    model = ConversationModel(SESSION)
    model.receive("events", as_message("ready", {"kernel_info": {}}))
    model.execute("run", "e1")
    for channel, msg_type, content in script:
        actions = model.receive(channel, as_message(msg_type, content))  # never raises
        assert all(not isinstance(a, act.Notice) or "Internal" not in a.text for a in actions)
    good = model.receive("iopub", as_message("stream", {"name": "stdout", "text": "GOOD\n"}))
    assert act.Stream("stdout", "GOOD\n") in good or model.comms is not None
