"""After a session with a token, no file under home, config or data holds it.

Each test runs the real program against a real JupyterHub with a home of
its own (config and data folders under it), then reads every file there.
With a real Secret Service (gnome-keyring on a private D-Bus session bus)
the token is in the keyring and in no file; with no keyring it is in the
0600 fallback file only.  Old recents that held a token in plain JSON are
moved on that start.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from servers import HUB_PROXY, hub

__all__ = ["hub"]  # a fixture, imported for pytest

pytestmark = pytest.mark.skipif(
    not HUB_PROXY.exists() and not os.environ.get("TKCONSOLE_REQUIRE_HUB"),
    reason="no configurable-http-proxy in .hub-proxy: run tests/run.sh",
)
OLD_TOKEN = "old-plain-json-t0k3n"
NOTICE = "No system keyring works here"


@pytest.fixture
def home(tmp_path) -> Path:
    """A home of its own, with a recents file from before tokens left it."""
    home = tmp_path / "home"
    recent = home / ".config" / "tkconsole" / "recent.json"
    recent.parent.mkdir(parents=True)
    old = {"kind": "server", "url": "http://127.0.0.1:9/", "token": OLD_TOKEN}
    recent.write_text(json.dumps({"recent": [old]}))
    (home / "run").mkdir(mode=0o700)
    return home


def home_env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
           "XDG_RUNTIME_DIR": str(home / "run"), **extra}  # fmt: skip
    for name in ("TKCONSOLE_CONFIG_DIR", "TKCONSOLE_DATA_DIR", "JUPYTERHUB_API_TOKEN"):
        env.pop(name, None)  # the platform's folders, under this home
    return env


@pytest.fixture
def secret_service(home):
    """A private D-Bus session bus with an unlocked gnome-keyring: a real Secret Service."""
    if not shutil.which("gnome-keyring-daemon") and not os.environ.get("TKCONSOLE_REQUIRE_KEYRING"):
        pytest.skip("no gnome-keyring-daemon: run tests/run.sh")
    env = home_env(home)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )  # fmt: skip
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    keyring = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=env, text=True,
    )  # fmt: skip
    keyring.stdin.write("keyring-password")  # unlocks (and makes) the login keyring
    keyring.stdin.close()
    yield env["DBUS_SESSION_BUS_ADDRESS"]
    for proc in (keyring, bus):
        proc.terminate()
        proc.wait(10)


def run_session(hub, env: dict[str, str], transcript: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tkconsole", "--hub", hub.url, "--token", hub.token,
         "--execute", "print(6*7)", "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True, text=True, timeout=180, cwd=ROOT, env=env,
    )  # fmt: skip


def files_holding(folder: Path, secret: str) -> list[Path]:
    return sorted(
        path for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and secret.encode() in path.read_bytes()
    )  # fmt: skip


def test_without_a_keyring_the_0600_file_alone_holds_the_token(display, hub, home, tmp_path):
    env = home_env(home, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    transcript = tmp_path / "transcript.txt"
    result = run_session(hub, env, transcript)
    assert result.returncode == 0, result.stderr
    assert "42" in transcript.read_text()
    assert NOTICE in transcript.read_text()  # said once, in the console
    store = home / ".config" / "tkconsole" / "tokens.json"
    assert files_holding(home, hub.token) == [store]
    assert files_holding(home, OLD_TOKEN) == [store]  # moved out of recent.json
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert (home / ".local" / "share" / "tkconsole" / "session.json").exists()


def test_with_a_secret_service_no_file_holds_the_token(
    display, hub, home, secret_service, tmp_path
):
    env = home_env(home, DBUS_SESSION_BUS_ADDRESS=secret_service)
    env.pop("PYTHON_KEYRING_BACKEND", None)  # keyring finds the Secret Service itself
    transcript = tmp_path / "transcript.txt"
    result = run_session(hub, env, transcript)
    assert result.returncode == 0, result.stderr
    assert "42" in transcript.read_text() and NOTICE not in transcript.read_text()
    assert files_holding(home, hub.token) == []
    assert files_holding(home, OLD_TOKEN) == []
    assert (home / ".local" / "share" / "tkconsole" / "session.json").exists()
    read = (
        "import keyring, sys; print(type(keyring.get_keyring()).__module__);"
        "print(*(keyring.get_password('tkconsole', place) for place in sys.argv[1:]))"
    )
    places = (f"hub {hub.url}", "server http://127.0.0.1:9/")
    found = subprocess.run([sys.executable, "-c", read, *places], env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert found.stdout.split() == ["keyring.backends.SecretService", hub.token, OLD_TOKEN]
