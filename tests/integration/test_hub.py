"""The real console on a real JupyterHub on 127.0.0.1 (tests/servers.py's ``hub``).

The Hub spawns single-user Jupyter Servers as local processes, answers
every start with 202 and a progress stream, and allows named servers.
tests/run.sh installs its proxy and sets TKCONSOLE_REQUIRE_HUB, so there a
missing proxy fails instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT, press, run_and_wait, type_text, wait_for
from servers import HUB_PROXY, hub
from test_connect_dialog import connector, opened_console

from tkconsole.connector import Connector
from tkconsole.kernel.hub import HubClient, HubConnection
from tkconsole.models.session import load_session
from tkconsole.models.target import Target
from tkconsole.session_restore import remember_on_close, reopen, session_path
from tkconsole.ui.dialogs.connect import ConnectDialog
from tkconsole.ui.mainwindow import MainWindow

__all__ = ["connector", "hub"]  # fixtures, imported for pytest

pytestmark = pytest.mark.skipif(
    not HUB_PROXY.exists() and not os.environ.get("TKCONSOLE_REQUIRE_HUB"),
    reason="no configurable-http-proxy in .hub-proxy: run tests/run.sh",
)


@pytest.fixture
def open_console(make_console):
    def factory(connection, wait: bool = True):
        return make_console(wait=wait, connection=connection)

    return factory


def hub_connection(hub, server: str = "", token: str | None = None, **kwargs) -> HubConnection:
    return HubConnection(HubClient(hub.url, token or hub.token), server, **kwargs)


def buttons_of(console) -> list[str]:
    return [b.cget("text") for b in console._buttons if b.winfo_exists()]


def test_starts_the_stopped_default_server_showing_its_progress(root, open_console, hub):
    hub.stop_server("")
    console = open_console(hub_connection(hub), wait=False)
    wait_for(root, console.is_idle, 120, "the prompt on the spawned server")
    shown = console.transcript()
    assert f"Default server on 127.0.0.1:{hub.port}: Server requested" in shown
    assert "Server ready at /user/alice/" in shown
    assert hub.server("")["ready"]
    assert "42" in run_and_wait(root, console, "print(6*7)")
    assert console.conn.server.url == f"{hub.url}user/alice/"


def test_a_server_still_stopping_is_started_once_it_has_stopped(root, open_console, hub):
    hub.start_server("")
    hub.stop_server("", wait=False)  # the Hub answers 202 and stops it in the background
    assert hub.server("")["pending"] == "stop"  # a start now would be refused
    console = open_console(hub_connection(hub), wait=False)
    wait_for(root, console.is_idle, 120, "the prompt on the started server")
    assert hub.server("")["ready"]


def test_attaches_to_a_kernel_already_running_on_the_server(root, open_console, hub):
    hub.start_server("")
    server = hub.jupyter("")
    kernel_id = server.start_kernel()
    try:
        conn = hub_connection(hub, kernel_id=kernel_id)
        console = open_console(conn)
        assert conn.kernel_id == kernel_id and not conn.owns_kernel
        run_and_wait(root, console, "attached_here = 7")
        console.shutdown()
        assert server.has_kernel(kernel_id)  # not ours: still running
    finally:
        server.delete_kernel(kernel_id)


def test_a_named_server(root, open_console, hub):
    conn = hub_connection(hub, "second")
    console = open_console(conn, wait=False)
    wait_for(root, console.is_idle, 120, "the prompt on the named server")
    assert "Server second on 127.0.0.1" in console.transcript()
    assert conn.server.url == f"{hub.url}user/alice/second/"
    assert "'named'" in run_and_wait(root, console, "'named'")
    assert hub.server("second")["ready"]
    console.shutdown()
    hub.stop_server("second")


@pytest.mark.parametrize("kind", ["wrong", "expired"])
def test_a_wrong_or_expired_token_is_one_line(root, open_console, hub, kind):
    token = "not-a-token"
    if kind == "expired":
        token = hub.new_token(expires_in=1)
        time.sleep(2.5)
    console = open_console(hub_connection(hub, token=token), wait=False)
    wait_for(root, console.is_failed, 30, "the failure")
    lines = [line for line in console.transcript().splitlines() if "refused the token" in line]
    assert lines == [
        f"Could not connect to the kernel: the JupyterHub at {hub.url} refused the token "
        "(HTTP 403): it is wrong or has expired; check --token or JUPYTERHUB_API_TOKEN"
    ]


def test_server_stopped_while_connected_offers_start_again(root, open_console, hub, caplog):
    hub.start_server("")
    conn = hub_connection(hub)
    console = open_console(conn)
    run_and_wait(root, console, "before = 1")
    hub.stop_server("")
    wait_for(root, lambda: "was stopped" in console.transcript(), 60, "the stopped notice")
    assert f"The default server on 127.0.0.1:{hub.port} was stopped" in console.transcript()
    wait_for(root, lambda: "Start again" in buttons_of(console), 10, "the buttons")
    assert buttons_of(console)[-2:] == ["Start again", "Reconnect"]
    press_button(console, "Reconnect")  # the server is still stopped: said, nothing started
    wait_for(root, console.is_failed, 30, "the failed reconnect")
    assert f"Restart failed: the server at {hub.url}user/alice/ is not running" in (
        console.transcript()
    )
    assert not hub.server("")["ready"]
    press_button(console, "Start again")
    wait_for(root, console.is_idle, 120, "the prompt on the restarted server")
    assert hub.server("")["ready"]
    assert "'again'" in run_and_wait(root, console, "'again'")
    hub.stop_server("")
    wait_for(root, lambda: console.transcript().count("was stopped") == 2, 60, "the second stop")
    console.shutdown()  # the kernel went with the server: nothing to shut down, no warning
    assert not [r for r in caplog.records if r.levelname == "WARNING" and "shutdown" in r.msg]


def press_button(console, label: str) -> None:
    [button] = [b for b in console._buttons if b.winfo_exists() and b.cget("text") == label][-1:]
    button.invoke()


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tkconsole", *args],
        capture_output=True, text=True, timeout=180, cwd=ROOT, env=env,
    )  # fmt: skip


def test_command_line_starts_the_server_and_runs_code(display, hub, tmp_path):
    hub.stop_server("")
    transcript = tmp_path / "transcript.txt"
    result = run_cli(
        "--hub", hub.url, "--token", hub.token, "--execute", "print(6*7)",
        "--save-transcript", str(transcript), "--exit-after",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "42" in transcript.read_text()
    assert hub.server("")["ready"]


def test_a_token_with_only_the_scopes_the_docs_name_is_enough(display, hub, tmp_path):
    """docs/jupyterhub.md's table: name and servers to read, servers to start, access."""
    scopes = ["read:users:name!user=alice", "read:servers!user=alice", "servers!user=alice",
              "access:servers!user=alice"]  # fmt: skip
    hub.stop_server("")
    transcript = tmp_path / "transcript.txt"
    result = run_cli(
        "--hub", hub.url, "--token", hub.new_token(scopes=scopes), "--execute", "print(6*7)",
        "--save-transcript", str(transcript), "--exit-after",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Server requested" in transcript.read_text() and "42" in transcript.read_text()


def test_command_line_wrong_token_exits_2(display, hub, tmp_path):
    env = {**os.environ, "JUPYTERHUB_API_TOKEN": "wrong"}
    result = run_cli("--hub", hub.url, "--execute", "1", "--exit-after", env=env)
    assert result.returncode == 2
    assert "refused the token (HTTP 403)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_recents_and_session_restore_remember_hub_targets(root, hub, tmp_path, monkeypatch):
    monkeypatch.setenv("TKCONSOLE_DATA_DIR", str(tmp_path / "data"))
    config = tmp_path / "config"
    connector = Connector(recent_path=config / "recent.json")
    window = MainWindow(connector, master=root)
    connector.serve(window)
    remember_on_close(window, connector)
    tab = window.open_target(Target("hub", url=hub.url, token=hub.token, hub_server="second"))
    wait_for(root, tab.console.is_idle, 120, "the named server's prompt")
    sibling = connector.target_of(tab.console.conn, sibling=True)
    assert sibling.kernel_id == tab.console.conn.kernel_id and sibling.hub_server == "second"
    label, recent = connector.recent()[0]
    assert label == f"{hub.url} (second, new kernel)" and recent.token is None
    window.close()
    saved = load_session(session_path())
    assert [s.target for s in saved] == [
        Target("hub", url=hub.url, hub_server="second", kernel="python3")
    ]
    for name in ("recent.json", "tokens.json"):  # the token is in the 0600 store alone
        assert (hub.token in (config / name).read_text()) == (name == "tokens.json")
    assert hub.token not in session_path().read_text()
    again = MainWindow(connector, master=root)
    try:
        [tab] = reopen(again, saved)  # the token comes from the store
        wait_for(root, tab.console.is_idle, 120, "the restored tab's prompt")
        assert "'restored'" in run_and_wait(root, tab.console, "'restored'")
    finally:
        again.close()
        hub.stop_server("second")


def test_connect_dialog_hub_tab_starts_lists_and_attaches(root, connector, hub):
    hub.stop_server("")
    dialog = ConnectDialog(root, connector)
    said: list[str] = []
    dialog.say = lambda text, say=dialog.say: (said.append(text), say(text))[1]
    dialog.tabs.select(3)  # typing needs the tab's fields on screen
    tab = dialog.hub
    tab.url.delete(0, "end")
    type_text(tab.url, hub.url)
    type_text(tab.token, hub.token)
    tab.list_servers()
    wait_for(root, lambda: "<default>" in tab.servers.get_children(), 20, "the servers")
    assert tab.servers.item("<default>", "values")[:2] == ("default server", "stopped")
    tab.list_kernels()  # starts the server, its progress said in the dialog
    wait_for(root, lambda: tab.listing is not None, 120, "the started server's kernels")
    assert any("Spawning server" in text or "Server requested" in text for text in said)
    wait_for(root, lambda: tab.servers.item("<default>", "values")[1] == "ready", 20, "ready")
    assert "python3" in tab.spec.cget("values")
    kernel_id = hub.jupyter("").start_kernel()
    try:
        tab.list_kernels()
        wait_for(root, lambda: kernel_id in tab.kernels.get_children(), 30, "the kernel")
        tab.kernels.selection_set(kernel_id)
        tab.attach()
        console = opened_console(root, connector, 1)
        assert console.conn.kernel_id == kernel_id and not console.conn.owns_kernel
        assert "'via the hub'" in run_and_wait(root, console, "'via the hub'")
        assert connector.recent()[0][1].kind == "hub"
    finally:
        hub.jupyter("").delete_kernel(kernel_id)


def test_connect_dialog_hub_tab_stops_a_server_on_request(root, connector, hub):
    hub.start_server("")
    dialog = ConnectDialog(root, connector)
    dialog.tabs.select(3)
    tab = dialog.hub
    tab.url.delete(0, "end")
    type_text(tab.url, hub.url)
    type_text(tab.token, hub.token)
    tab.list_servers()
    wait_for(root, lambda: "<default>" in tab.servers.get_children(), 20, "the servers")
    assert tab.servers.item("<default>", "values")[1] == "ready"
    tab.servers.selection_set("<default>")
    tab.stop_server()
    wait_for(root, lambda: not (hub.server("") or {}).get("ready"), 60, "the server to stop")
    wait_for(root, lambda: tab.servers.item("<default>", "values")[1] in ("stopping", "stopped"),
             20, "the listing to say so")  # fmt: skip
    dialog.destroy()


def test_connect_dialog_hub_tab_from_the_keyboard(root, connector, hub):
    """Enter in the token field lists the servers, then the chosen server's kernels."""
    hub.start_server("")
    dialog = ConnectDialog(root, connector)
    dialog.tabs.select(3)
    tab = dialog.hub
    tab.url.delete(0, "end")
    type_text(tab.url, hub.url)
    type_text(tab.token, hub.token)
    press(tab.token, "Return")
    wait_for(root, lambda: "<default>" in tab.servers.get_children(), 20, "the servers")
    press(tab.servers, "Return")
    wait_for(root, lambda: tab.listing is not None, 60, "the server's kernels")
    assert "python3" in tab.spec.cget("values")
    dialog.destroy()


def test_connect_dialog_hub_tab_wrong_token_is_said(root, connector, hub):
    dialog = ConnectDialog(root, connector)
    dialog.tabs.select(3)
    dialog.hub.url.delete(0, "end")
    type_text(dialog.hub.url, hub.url)
    type_text(dialog.hub.token, "wrong")
    dialog.hub.list_servers()
    wait_for(root, lambda: "refused the token" in dialog.message.cget("text"), 20, "the refusal")
    dialog.destroy()
