"""Fast pieces of remote support: wire formats, URLs and tokens, recents, targets."""

from __future__ import annotations

import argparse
import json
import stat
import threading

import pytest
from jupyter_client.session import Session
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_binary_message,
    serialize_msg_to_ws_v1,
)

from tkconsole.connector import target_from_args
from tkconsole.kernel import wsproto
from tkconsole.kernel.hub import HubClient
from tkconsole.kernel.server import ServerError, split_token
from tkconsole.models.prompts import PromptRequests
from tkconsole.models.recent import RecentConnections
from tkconsole.models.target import Target


def sample(buffers: list[bytes] | None = None) -> dict:
    msg = Session().msg("execute_request", {"code": "print('ünï')", "silent": False})
    msg["buffers"] = buffers or []
    return msg


# ---------------------------------------------------------------- wire formats
@pytest.mark.parametrize("buffers", [[], [b"\x00\x01raw", b"second"]])
def test_v1_frames_match_jupyter_servers_own_codec(buffers):
    msg = sample(buffers)
    channel, parts = deserialize_msg_from_ws_v1(wsproto.encode_v1("shell", msg))
    assert channel == "shell"
    assert json.loads(parts[3]) == msg["content"]
    assert [bytes(p) for p in parts[4:]] == buffers
    session = Session()
    frame = serialize_msg_to_ws_v1(
        [session.pack(msg[k]) for k in ("header", "parent_header", "metadata", "content")]
        + buffers,
        "iopub",
    )
    channel, decoded = wsproto.decode_v1(frame)
    assert channel == "iopub"
    assert decoded["msg_type"] == "execute_request" and decoded["content"] == msg["content"]
    assert decoded["header"]["date"] == msg["header"]["date"].isoformat().replace("+00:00", "Z")
    assert decoded["buffers"] == buffers


def test_json_frames_match_jupyter_servers_own_codec():
    msg = sample()
    text = wsproto.encode_json("stdin", msg)
    assert isinstance(text, str) and json.loads(text)["channel"] == "stdin"
    with_buffers = sample([b"abc", b"\xff"])
    theirs = deserialize_binary_message(wsproto.encode_json("shell", with_buffers))
    assert theirs["channel"] == "shell" and theirs["buffers"] == [b"abc", b"\xff"]
    frame = serialize_binary_message({**with_buffers, "channel": "iopub"})
    channel, decoded = wsproto.decode_json(frame)
    assert channel == "iopub" and decoded["buffers"] == [b"abc", b"\xff"]
    assert decoded["content"]["code"] == "print('ünï')"


@pytest.mark.parametrize(
    ("protocol", "frame"),
    [
        (wsproto.V1, b"\x07"),  # truncated count
        (wsproto.V1, (3).to_bytes(8, "little") + b"\x00" * 8),  # offsets past the end
        (None, "{not json"),
        (None, '{"header": {}}'),  # no channel
        (None, b"\x00\x00\x00\x09garbage"),
    ],
)
def test_bad_frames_raise_frame_error(protocol, frame):
    with pytest.raises(wsproto.FrameError):
        wsproto.decode(protocol, frame)


# ---------------------------------------------------------------- URLs and tokens
def test_token_pasted_in_the_url_is_moved_out_of_it(monkeypatch):
    monkeypatch.delenv("JUPYTER_TOKEN", raising=False)
    url, token = split_token("https://hub.example/user/ada/lab?token=s3cr3t&x=1")
    assert (url, token) == ("https://hub.example/user/ada/lab/?x=1", "s3cr3t")
    assert split_token("127.0.0.1:8888") == ("http://127.0.0.1:8888/", "")


def test_token_precedence(monkeypatch):
    monkeypatch.setenv("JUPYTER_TOKEN", "from-env")
    assert split_token("http://h:1/")[1] == "from-env"
    assert split_token("http://h:1/?token=from-url")[1] == "from-url"
    assert split_token("http://h:1/?token=from-url", "given")[1] == "given"
    assert split_token("http://h:1/", "")[1] == ""  # an explicit empty token stays empty


@pytest.mark.parametrize("url", ["ftp://h/", "http://", "   "])
def test_not_a_server_url(url):
    with pytest.raises(ServerError, match="not a server URL"):
        split_token(url)


# ---------------------------------------------------------------- recents
def test_recent_file_is_private_and_deduplicated(tmp_path):
    path = tmp_path / "cfg" / "recent.json"
    store = RecentConnections(path, key=lambda e: Target.from_dict(e).key(), limit=3)
    a = Target("server", url="http://a/", token="t1").as_dict()
    store.remember(a)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    store.remember(Target("local", kernel="ir").as_dict())
    store.remember({**a, "token": "t2"})  # same place, new token: replaces, goes first
    assert store.load() == [{**a, "token": "t2"}, {"kind": "local", "kernel": "ir"}]
    for n in range(5):
        store.remember(Target("local", kernel=f"k{n}").as_dict())
    assert len(store.load()) == 3
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", '{"recent": 3}', '{"recent": [1, {"a": 1}]}'])
def test_malformed_recent_file_reads_as_empty_or_keeps_entries(tmp_path, text):
    path = tmp_path / "recent.json"
    path.write_text(text)
    entries = RecentConnections(path).load()
    assert all(isinstance(e, dict) for e in entries)
    RecentConnections(path).remember({"kind": "local"})  # and can be written over
    assert RecentConnections(path).load()[0] == {"kind": "local"}


# ---------------------------------------------------------------- targets
def test_target_labels_never_show_the_token():
    target = Target("server", url="http://h:1/", token="s3cr3t", kernel_id="0123456789")
    assert "s3cr3t" not in target.label() and "01234567" in target.label()
    assert Target.from_dict(target.as_dict()) == target
    for bad in ({"kind": "moon"}, {"kind": "local", "kernel": 3}, ["local"]):
        with pytest.raises(ValueError):
            Target.from_dict(bad)


def args(**given) -> argparse.Namespace:
    names = ("kernel", "existing", "ssh", "sshkey", "server", "token", "kernel_id", "kernel_env",
             "hub", "hub_server")  # fmt: skip
    return argparse.Namespace(**{name: given.get(name) for name in names})


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"token": "t"}, "--token needs --server URL"),
        ({"kernel_id": "k"}, "--kernel-id needs --server URL"),
        ({"sshkey": "k"}, "--sshkey needs --ssh"),
        ({"ssh": "u@h"}, "--ssh needs --existing FILE"),
        ({"server": "http://h/", "existing": ""}, "cannot be combined"),
        ({"server": "http://h/", "kernel": "a", "kernel_id": "b"}, "not both"),
        ({"server": "gopher://h/"}, "not a server URL"),
        ({"kernel_env": ["KERNEL_USERNAME=me"]}, "--kernel-env needs --server URL"),
        ({"server": "http://h/", "kernel_env": ["KERNEL_USERNAME"]}, "needs NAME=VALUE"),
        ({"hub_server": "gpu"}, "--hub-server needs --hub URL"),
        ({"hub": "http://h/", "server": "http://x/"}, "--hub cannot be combined with --server"),
        ({"hub": "http://h/", "kernel": "a", "kernel_id": "b"}, "not both"),
        ({"hub": "gopher://h/"}, "not a JupyterHub URL"),
    ],
)
def test_option_combinations_are_checked(given, message):
    with pytest.raises(ValueError, match=message):
        target_from_args(args(**given))


def test_server_options_make_a_server_target():
    target = target_from_args(args(server="http://h:1/", token="t", kernel_id="k"))
    assert target == Target("server", url="http://h:1/", token="t", kernel_id="k")
    env = ["KERNEL_USERNAME=me", "KERNEL_X=a=b"]
    target = target_from_args(args(server="http://h:1/", kernel_env=env))
    assert target.kernel_env() == {"KERNEL_USERNAME": "me", "KERNEL_X": "a=b"}
    assert Target.from_dict(target.as_dict()) == target  # it goes into the recents file


def test_hub_options_make_a_hub_target(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "from-env")
    target = target_from_args(args(hub="https://hub.example.org/hub/home", hub_server="gpu"))
    assert target == Target("hub", url="https://hub.example.org/", hub_server="gpu")
    assert HubClient(target.url).token == "from-env"  # used, not remembered
    target = target_from_args(args(hub="https://hub.example.org/?token=pasted"))
    assert target == Target("hub", url="https://hub.example.org/", token="pasted")
    target = target_from_args(args(hub="hub.example.org:8000/user/me/", token="t", kernel_id="k"))
    assert target == Target("hub", url="http://hub.example.org:8000/", token="t", kernel_id="k")


# ---------------------------------------------------------------- prompts
def test_a_worker_waits_for_the_gui_thread_answer():
    requests = PromptRequests()
    answers = []
    worker = threading.Thread(target=lambda: answers.append(requests.ask("pw?", timeout=10)))
    worker.start()
    question = None
    while question is None:
        question = requests.next_question()
    assert question.prompt == "pw?" and not answers
    requests.answer(question, "hunter2")
    worker.join(5)
    assert answers == ["hunter2"]
    assert requests.ask("again?", timeout=0.01) is None  # nobody answered
