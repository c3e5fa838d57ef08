"""Tokens kept out of tkconsole's files: the store, its 0600 fallback, moving old ones."""

from __future__ import annotations

import json
import stat

from keyring.backends import fail

from tkconsole.connector import Connector
from tkconsole.models.target import Target
from tkconsole.tokens import TokenStore, system_keyring


def test_targets_lose_their_token_even_one_pasted_into_the_url():
    target = Target("server", url="http://h:1/lab?token=abc&x=1", kernel="python3")
    bare, token = target.without_token()
    assert (bare.url, bare.token, token) == ("http://h:1/lab?x=1", None, "abc")
    assert target.place() == "server http://h:1/lab?x=1"
    assert Target("hub", url="http://h/", token="t").without_token() == (
        Target("hub", url="http://h/"),
        "t",
    )


def test_without_a_keyring_tokens_go_to_a_0600_file_said_once(tmp_path):
    store = TokenStore(tmp_path / "config", backend=None)
    kept = store.keep(Target("hub", url="http://h/", token="s3cret", hub_server="gpu"))
    assert kept == Target("hub", url="http://h/", hub_server="gpu")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert len(store.notices) == 1 and str(store.path) in store.notices[0]
    store.keep(Target("server", url="http://s/?token=other"))
    assert len(store.notices) == 1  # the file was already there
    assert store.fill(kept).token == "s3cret"
    assert store.fill(Target("server", url="http://s/")).token == "other"
    assert store.fill(Target("server", url="http://unknown/")).token is None
    assert store.fill(Target("local", kernel="python3")) == Target("local", kernel="python3")


def test_a_keyring_that_refuses_writes_falls_back_to_the_file(tmp_path):
    store = TokenStore(tmp_path, backend=fail.Keyring())  # its writes raise NoKeyringError
    store.put("hub http://h/", "t")
    assert store.get("hub http://h/") == "t"
    assert json.loads(store.path.read_text())["tokens"] == {"hub http://h/": "t"}


def test_keyrings_fail_backend_means_no_keyring(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    assert system_keyring() is None


def test_a_malformed_token_file_is_no_token(tmp_path):
    store = TokenStore(tmp_path, backend=None)
    store.path.write_text('{"tokens": ["not", "a", "dict"]}')
    assert store.get("hub http://h/") is None
    store.put("hub http://h/", "t")  # and is replaced on the next write
    assert store.get("hub http://h/") == "t"


def test_old_recents_tokens_are_moved_on_first_start(tmp_path):
    recent = tmp_path / "config" / "recent.json"
    recent.parent.mkdir()
    old = [
        {"kind": "server", "url": "http://s/", "token": "t-server", "kernel": "python3"},
        {"kind": "local", "kernel": "python3"},
        {"kind": "nonsense", "token": "t-junk"},
    ]
    recent.write_text(json.dumps({"recent": old}))
    connector = Connector(recent_path=recent, tokens=TokenStore(recent.parent, backend=None))
    connector.keep_tokens(Target("hub", url="http://h/", token="t-hub"))
    assert "t-" not in recent.read_text()
    assert [entry.get("kind") for entry in connector.recent_store.load()] == [
        "server",
        "local",
        "nonsense",
    ]
    assert connector.tokens.get("server http://s/") == "t-server"
    assert connector.tokens.get("hub http://h/") == "t-hub"
    assert [target.token for _label, target in connector.recent()] == [None, None]
