"""What a JupyterHub says, read as plain data: server lists, progress events, targets."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models import actions as act
from tkconsole.models.conversation import ConversationModel
from tkconsole.models.hub import (
    EventStream,
    HubServer,
    Progress,
    default_url,
    parse_progress,
    parse_servers,
    progress_path,
    server_path,
    user_name,
)
from tkconsole.models.target import Target

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def test_servers_of_a_user_model_default_first():
    data = {
        "name": "alice",
        "servers": {
            "b": {"ready": False, "pending": "spawn", "url": "/user/alice/b/"},
            "": {"ready": True, "pending": None, "url": "/user/alice/"},
            "a": {"ready": False, "pending": None, "url": "/user/alice/a/", "stopped": True},
        },
    }
    servers = parse_servers(data)
    assert [(s.name, s.state) for s in servers] == [
        ("", "ready"),
        ("a", "stopped"),
        ("b", "starting"),
    ]
    assert servers[0].url == "/user/alice/" and servers[0].label == "default server"


def test_a_user_without_servers_still_has_the_default_one_to_start():
    assert parse_servers({"name": "alice", "servers": {}}) == [HubServer("")]


@given(json_values)
def test_hostile_user_models_never_raise_and_give_clean_servers(data):
    for server in parse_servers(data):
        assert isinstance(server.name, str) and isinstance(server.ready, bool)
        assert server.url is None or server.url.startswith("/")
        assert server.state in ("ready", "stopped", "starting", "stopping") or server.pending


@given(json_values)
def test_hostile_user_names_are_refused_with_value_error(data):
    try:
        name = user_name(data)
    except ValueError:
        return
    assert isinstance(name, str) and name


def test_paths_quote_names():
    assert server_path("al ice", "x/y") == "hub/api/users/al%20ice/servers/x%2Fy"
    assert progress_path("alice") == "hub/api/users/alice/server/progress"
    assert progress_path("alice", "gpu") == "hub/api/users/alice/servers/gpu/progress"
    assert default_url("alice", "gpu") == "/user/alice/gpu/"


def test_progress_events_as_the_hub_sends_them():
    text = (
        '{"progress": 100, "ready": true, "message": "Server ready at /user/a/", "url": "/user/a/"}'
    )
    assert parse_progress(text) == Progress(
        "Server ready at /user/a/", 100, True, False, "/user/a/"
    )
    assert parse_progress('{"progress": 250, "failed": true, "message": " a\\n b "}') == Progress(
        "a b", 100, False, True
    )
    assert parse_progress("not json") is None and parse_progress("[1]") is None


@given(st.text())
def test_hostile_progress_data_never_raises(text):
    event = parse_progress(text)
    assert event is None or (
        isinstance(event.message, str) and "\n" not in event.message and len(event.message) <= 300
    )
    assert event is None or event.percent is None or 0 <= event.percent <= 100


@given(json_values)
def test_hostile_progress_json_never_raises(value):
    try:
        text = json.dumps(value)
    except ValueError:
        return
    event = parse_progress(text)
    assert event is None or isinstance(event.ready, bool)


def test_event_stream_as_the_hub_sends_it():
    stream = EventStream()
    assert stream.feed(b'\n\ndata: {"progress": 0}\n') == []
    assert stream.feed(b"\n: a comment\nevent: x\ndata: a\r\ndata: b\r\n\r\n") == [
        '{"progress": 0}',
        "a\nb",
    ]


events = st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\r\n")), max_size=5)


@given(st.lists(events, max_size=5), st.sampled_from([b"\n", b"\r\n", b"\r"]), st.data())
def test_event_stream_gives_the_same_events_however_the_bytes_are_cut(batches, newline, data):
    wire = b"".join(
        b"".join(b"data: " + line.encode() + newline for line in batch) + newline
        for batch in batches
    )
    expected = ["\n".join(batch) for batch in batches if batch]
    cuts = sorted(data.draw(st.lists(st.integers(0, len(wire)), max_size=8)))
    stream, got, start = EventStream(), [], 0
    for cut in [*cuts, len(wire)]:
        got += stream.feed(wire[start:cut])
        start = cut
    got += stream.feed(b"\n")  # a CR at the very end waits to see whether LF follows
    assert got == expected


@given(st.binary(max_size=300))
def test_event_stream_takes_any_bytes(chunk):
    for event in EventStream().feed(chunk):
        assert isinstance(event, str)


def test_hub_targets_round_trip_and_label_without_the_token():
    target = Target("hub", url="http://hub/", token="secret", hub_server="gpu", kernel="python3")
    assert Target.from_dict(target.as_dict()) == target
    assert target.label() == "http://hub/ (gpu, python3)" and "secret" not in target.label()
    assert Target("hub", url="http://hub/").label() == "http://hub/ (default server, new kernel)"
    assert target.key() == Target("hub", url="http://hub/", token="other", hub_server="gpu",
                                  kernel="python3").key()  # fmt: skip


def test_spawn_progress_messages_become_lines_in_the_console():
    model = ConversationModel(owns_kernel=True)
    out = model.receive("events", _event("progress", state="starting server… 50%",
                                         message="Server default: Spawning server..."))  # fmt: skip
    assert act.Notice("Server default: Spawning server...") in out
    assert model.status()[1] == "starting server… 50%"
    assert not [a for a in model.receive("events", _event("progress", state="3 s"))
                if isinstance(a, act.Notice)]  # fmt: skip


def test_a_stopped_server_notice_offers_start_again_and_reconnect():
    model = ConversationModel(owns_kernel=True)
    content = {"restarting": False, "message": "stopped", "offer": ["start_again", "reconnect", 7]}
    notices = [a for a in model.receive("events", _event("died", **content))
               if isinstance(a, act.Notice)]  # fmt: skip
    assert notices == [act.Notice("stopped", offers=("start_again", "reconnect"))]
    assert model.restart_requested(start_server=True)[0] == act.Notice("Starting the server again…")


def _event(name: str, **content) -> dict:
    return {"header": {"msg_type": name}, "msg_type": name, "parent_header": {}, "content": content}
