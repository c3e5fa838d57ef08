"""The real console on kernels behind a real Jupyter Server and Kernel Gateway.

Everything runs on 127.0.0.1: the servers are started here with a token.
The gateway is told to refuse the v1 websocket subprotocol, so the JSON
fallback is exercised against a real server too.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, answer_input, press, run_and_wait, type_text, wait_for
from servers import ServerProcess, free_port, gateway, jserver, make_certificate
from tcp_proxy import TcpProxy

from tkconsole.kernel import wsproto
from tkconsole.kernel.remote import RemoteConnection
from tkconsole.kernel.server import ServerClient
from tkconsole.ui.console import Console

__all__ = ["gateway", "jserver"]  # fixtures, imported for pytest


@pytest.fixture
def servers(jserver, gateway):
    return {"server": jserver, "gateway": gateway}


@pytest.fixture
def open_console(make_console):
    """The real Console on a connection (see conftest's ``make_console``)."""

    def factory(connection, wait: bool = True) -> Console:
        return make_console(wait=wait, connection=connection)

    return factory


def remote(server: ServerProcess, **kwargs) -> RemoteConnection:
    token = kwargs.pop("token", server.token)
    return RemoteConnection(ServerClient(kwargs.pop("url", server.url), token), **kwargs)


def record_states(console: Console) -> list[str]:
    """Every connection state the status bar is told about, in order."""
    seen: list[str] = []
    console.bind("<<ConsoleStatus>>", lambda _e: seen.append(console.status()[2]), add="+")
    return seen


# ---------------------------------------------------------------- start, execute, attach
@pytest.mark.parametrize(
    ("kind", "protocols", "expected"),
    [
        ("server", (wsproto.V1,), wsproto.V1),  # binary subprotocol, preferred
        ("server", (), None),  # a client offering no subprotocol speaks JSON
        ("gateway", (wsproto.V1,), None),  # the server refuses v1: fall back to JSON
    ],
)
def test_start_a_kernel_and_execute(root, open_console, servers, kind, protocols, expected):
    server = servers[kind]
    before = server.kernel_ids()
    conn = remote(server, protocols=protocols)
    console = open_console(conn)
    assert conn.link.protocol == expected
    assert conn.kernel_id not in before and conn.kernel_id in server.kernel_ids()
    expected_status = (f"Python 3 (ipykernel) on 127.0.0.1:{server.port}", "idle", "connected")
    # a late probe's or the history request's busy/idle may still be on its way
    wait_for(root, lambda: console.status() == expected_status, 10, f"{expected_status}")
    shown = run_and_wait(root, console, "import sys; print('out'); print('err', file=sys.stderr)")
    assert "out\nerr\n" in shown
    shown = run_and_wait(root, console, "40 + 2")
    assert "Out[2]: 42" in shown
    shown = run_and_wait(root, console, "1/0")
    assert "ZeroDivisionError" in shown and "\x1b" not in shown
    console.shutdown()
    assert conn.kernel_id not in server.kernel_ids()  # a kernel we started is shut down


def test_attach_to_a_running_kernel(root, open_console, jserver):
    kernel_id = jserver.start_kernel()
    try:
        first = open_console(remote(jserver, kernel_id=kernel_id))
        assert not first.conn.owns_kernel
        run_and_wait(root, first, "shared = 41")
        first.shutdown()
        assert jserver.has_kernel(kernel_id)  # not ours: left running

        second = open_console(remote(jserver, kernel_id=kernel_id))
        assert second.transcript().rstrip().endswith("In [2]:")  # continues the count
        shown = run_and_wait(root, second, "shared + 1")
        assert "Out[2]: 42" in shown
    finally:
        jserver.delete_kernel(kernel_id)


@pytest.mark.parametrize("kind", ["server", "gateway"])
def test_input_over_the_websocket(root, open_console, servers, kind):
    console = open_console(remote(servers[kind]))
    answer_input(root, console)


def test_interrupt_and_restart_go_through_rest(root, open_console, jserver):
    conn = remote(jserver)
    calls = []
    for name in ("interrupt", "restart"):
        real = getattr(conn.server, name)

        async def spy(kernel_id, _real=real, _name=name):
            calls.append(_name)
            return await _real(kernel_id)

        setattr(conn.server, name, spy)
    console = open_console(conn)
    run_and_wait(root, console, "y = 5")
    type_text(console.text, "while True: pass")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: console.kernel_state == "busy", 10, "busy")
    time.sleep(0.3)
    press(console.text, "c", state=4)  # Ctrl+C
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 3, 20, "interrupt")
    assert "KeyboardInterrupt" in console.transcript()
    assert calls == ["interrupt"]

    press(console.text, "period", state=4)  # Ctrl+.
    wait_for(root, lambda: "Kernel restarted." in console.transcript(), 30, "restart")
    shown = run_and_wait(root, console, "'y' in dir()")
    assert "Out[1]: False" in shown
    assert calls == ["interrupt", "restart"]
    assert conn.kernel_id in jserver.kernel_ids()


# ---------------------------------------------------------------- the kernel dies
@pytest.mark.parametrize("kind", ["server", "gateway"])
def test_kernel_killed_on_the_server_is_restarted_by_it(root, open_console, servers, kind):
    console = open_console(remote(servers[kind]))
    shown = run_and_wait(root, console, "import os; os.getpid()")
    pid = int(re.findall(r"^Out\[1\]: (\d+)$", shown, re.M)[0])
    type_text(console.text, "half typed")
    os.kill(pid, signal.SIGKILL)  # the server sees it die and restarts it ("restarting")
    wait_for(root, lambda: "Kernel died, restarted." in console.transcript(), 30, "restart")
    wait_for(root, console.is_idle, 30, "a fresh prompt")
    assert console.text.input_text() == "half typed"  # nothing typed is lost
    console.text.erase("input", "end-1c")
    shown = run_and_wait(root, console, "'os' in dir()")
    assert "Out[1]: False" in shown  # a fresh kernel


def test_deleted_kernel_that_is_not_ours_is_reported(root, open_console, jserver):
    kernel_id = jserver.start_kernel()
    console = open_console(remote(jserver, kernel_id=kernel_id))
    jserver.delete_kernel(kernel_id)
    wait_for(root, lambda: f"The kernel {kernel_id} is gone" in console.transcript(), 20, "notice")
    assert console.status()[1:] == ("dead", "dead")
    assert "Traceback" not in console.transcript()


def test_deleted_kernel_of_ours_is_replaced(root, open_console, jserver):
    console = open_console(remote(jserver))
    old = console.conn.kernel_id
    run_and_wait(root, console, "z = 1")
    jserver.delete_kernel(old)
    wait_for(root, lambda: "Kernel died, restarted." in console.transcript(), 30, "restart")
    where = f"The kernel {old} is gone from 127.0.0.1:{jserver.port} (shut down there"
    assert where in console.transcript()
    assert console.conn.kernel_id != old and console.conn.kernel_id in jserver.kernel_ids()
    shown = run_and_wait(root, console, "'z' in dir()")
    assert "Out[1]: False" in shown


# ---------------------------------------------------------------- the server goes away
def test_server_restart_mid_session(root, open_console, tmp_path):
    server = ServerProcess("server", tmp_path).start()
    try:
        console = open_console(remote(server))
        states = record_states(console)
        run_and_wait(root, console, "a = 1")
        server.stop()
        wait_for(root, lambda: "reconnecting" in console.status()[2], 20, "reconnecting")
        assert f"Lost the connection to {server.url}" in console.transcript()
        time.sleep(1.5)  # a few failed attempts while it is down
        server.start()
        wait_for(root, lambda: "Kernel died, restarted." in console.transcript(), 60, "new kernel")
        wait_for(root, console.is_idle, 30, "a prompt")
        assert "gone from" in console.transcript()  # the restarted server lost our kernel
        shown = run_and_wait(root, console, "'a' in dir(), 6 * 7")
        assert "(False, 42)" in shown
        assert "reconnecting" in states and states[-1] == "connected"
        assert "Traceback" not in console.transcript()
    finally:
        server.stop()


def test_dropped_websocket_replays_buffered_output_once(root, open_console, jserver):
    proxy = TcpProxy(jserver.port)
    try:
        console = open_console(remote(jserver, url=proxy.url))
        states = record_states(console)
        code = (
            "import time\nfor i in range(12):\n    print('tick', i, flush=True); time.sleep(0.25)"
        )
        console.execute(code)
        wait_for(root, lambda: "tick 2\n" in console.transcript(), 20, "the first ticks")
        proxy.cut()  # the kernel keeps printing; the server buffers for our session
        wait_for(root, lambda: "reconnecting" in states, 10, "the status bar to say so")
        time.sleep(1.0)
        proxy.restore()
        wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 30, "the end")
        shown = console.transcript()
        ticks = re.findall(r"^tick (\d+)$", shown, re.M)
        assert ticks == [str(i) for i in range(12)], shown  # none lost, none doubled
        assert "Replaying" in jserver.log.read_text()  # the server did buffer for us
        assert states[-1] == "connected" and "The kernel is responding again." in shown
        shown = run_and_wait(root, console, "i")
        assert "Out[2]: 11" in shown
    finally:
        proxy.close()


# ---------------------------------------------------------------- clear failures
@pytest.mark.parametrize(
    ("kind", "code"), [("server", 403), ("gateway", 401)]
)  # fmt: skip
def test_wrong_token_is_a_clear_message(root, open_console, servers, kind, code):
    server = servers[kind]
    console = open_console(remote(server, token="wrong"), wait=False)
    wait_for(root, console.is_failed, 30, "the failure")
    expected = (
        f"Could not connect to the kernel: the server at {server.url} refused the token "
        f"(HTTP {code}): check --token or JUPYTER_TOKEN"
    )
    assert expected in console.transcript()
    assert "Traceback" not in console.transcript()


def test_unreachable_server_is_a_clear_message(root, open_console):
    url = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    console = open_console(RemoteConnection(ServerClient(url, "x")), wait=False)
    wait_for(root, console.is_failed, 30, "the failure")
    assert f"cannot reach the Jupyter server at {url}: connection refused" in console.transcript()


def test_missing_kernel_id_is_a_clear_message(root, open_console, jserver):
    console = open_console(remote(jserver, kernel_id="no-such-kernel"), wait=False)
    wait_for(root, console.is_failed, 30, "the failure")
    assert f"there is no kernel no-such-kernel on the server at {jserver.url}" in (
        console.transcript()
    )


def test_token_stays_out_of_urls_and_logs(root, open_console, jserver, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("JUPYTER_TOKEN", "not-this-one")
    client = ServerClient(f"{jserver.url}?token={jserver.token}")  # pasted from a browser
    assert client.url == jserver.url and client.token == jserver.token
    assert ServerClient(jserver.url).token == "not-this-one"  # the environment otherwise
    request = client.websocket_request("k", "s")
    assert jserver.token not in request.url
    assert request.headers["Authorization"] == f"token {jserver.token}"
    console = open_console(RemoteConnection(client))
    run_and_wait(root, console, "1 + 1")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert jserver.token not in logged and jserver.token not in repr(client)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """A Jupyter Server on https with a throwaway self-signed certificate."""
    home = tmp_path_factory.mktemp("tls")
    server = ServerProcess("server", home, tls=make_certificate(home)).start()
    yield server
    server.stop()


def test_https_certificate_not_trusted_is_a_clear_message(root, open_console, tls_server):
    console = open_console(remote(tls_server), wait=False)
    wait_for(root, console.is_failed, 30, "the failure")
    expected = f"cannot reach the Jupyter server at {tls_server.url}: certificate not trusted"
    assert expected in console.transcript()


def test_https_trusted_through_the_system_store(display, tls_server, tmp_path):
    """OpenSSL's default trust store (here pointed at by SSL_CERT_FILE) is what counts."""
    transcript = tmp_path / "transcript.txt"
    env = {**os.environ, "SSL_CERT_FILE": str(tls_server.tls / "cert.pem")}
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--server", tls_server.url, "--token",
         tls_server.token, "--execute", "'over https'", "--save-transcript", str(transcript),
         "--exit-after"],
        capture_output=True, text=True, timeout=90, cwd=ROOT, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Out[1]: 'over https'" in transcript.read_text()


# ---------------------------------------------------------------- command line
def test_command_line_server_with_token_from_environment(display, jserver, tmp_path):
    transcript = tmp_path / "transcript.txt"
    env = {**os.environ, "JUPYTER_TOKEN": jserver.token}
    before = jserver.kernel_ids()
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--server", jserver.url, "--kernel", "python3",
         "--execute", "6 * 7", "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True, text=True, timeout=90, cwd=ROOT, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Out[1]: 42" in transcript.read_text()
    assert jserver.kernel_ids() == before  # the kernel it started was shut down


def test_command_line_attach_by_kernel_id(display, jserver, tmp_path):
    kernel_id = jserver.start_kernel()
    transcript = tmp_path / "transcript.txt"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tkconsole", "--server", jserver.url, "--token", jserver.token,
             "--kernel-id", kernel_id, "--execute", "'attached'",
             "--save-transcript", str(transcript), "--exit-after"],
            capture_output=True, text=True, timeout=90, cwd=ROOT,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "'attached'" in transcript.read_text()
        assert jserver.has_kernel(kernel_id)  # not ours: still running
    finally:
        jserver.delete_kernel(kernel_id)
