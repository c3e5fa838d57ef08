"""The real console on kernels behind a real Enterprise Gateway 3.3 on 127.0.0.1.

The gateway runs from its own venv (``.venv-eg``, made by tests/run.sh).
Measured here: it negotiates the binary ``v1.kernel.websocket.jupyter.org``
framing when offered (jupyter_server 1.24 has it), and JSON otherwise, so
both are run.  It refuses to list kernels unless told to, takes kernel
parameters as ``env`` and enforces kernel limits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest
from conftest import ROOT, press, run_and_wait, type_text, wait_for
from servers import EG_PROGRAM, EG_REFUSED_USER, ServerProcess
from test_connect_dialog import connector, opened_console

from tkconsole.connector import Connector
from tkconsole.kernel import wsproto
from tkconsole.kernel.remote import RemoteConnection
from tkconsole.kernel.server import ServerClient
from tkconsole.ui.dialogs.connect import ConnectDialog

__all__ = ["connector"]  # a fixture, imported for pytest

# Skipped only outside the test command: tests/run.sh makes the venv and sets
# TKCONSOLE_REQUIRE_EG, so there a missing gateway fails instead of passing quietly.
pytestmark = pytest.mark.skipif(
    not EG_PROGRAM.exists() and not os.environ.get("TKCONSOLE_REQUIRE_EG"),
    reason="no Enterprise Gateway venv: run tests/run.sh",
)
SLOW_SECONDS = 3.0


def slow_kernelspec(folder) -> str:
    """A kernelspec whose kernels the gateway launches through ``SlowProcessProxy``."""
    spec_dir = folder / "kernels" / "slow"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Slow Python",
        "language": "python",
        "metadata": {"process_proxy": {"class_name": "slowproxy.SlowProcessProxy"}},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return str(folder)


def start_gateway(home, *extra: str, **env: str) -> ServerProcess:
    env = {
        "EG_UNAUTHORIZED_USERS": EG_REFUSED_USER,
        "EG_RESPONSE_IP": "127.0.0.1",
        "JUPYTER_PATH": slow_kernelspec(home),
        "PYTHONPATH": str(ROOT / "tests" / "eg"),
        "SLOW_LAUNCH_SECONDS": str(SLOW_SECONDS),
        **env,
    }
    return ServerProcess("eg", home, extra, env=env).start()


@pytest.fixture(scope="module")
def eg(tmp_path_factory):
    """An Enterprise Gateway as it comes: no kernel listing."""
    server = start_gateway(tmp_path_factory.mktemp("eg"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def eg_strict(tmp_path_factory):
    """One kernel at most, and idle kernels (connected or not) culled after 3 s."""
    cull = "--RemoteMappingKernelManager."
    server = start_gateway(
        tmp_path_factory.mktemp("eg-strict"),
        f"{cull}cull_idle_timeout=3", f"{cull}cull_interval=1", f"{cull}cull_connected=True",
        EG_MAX_KERNELS="1",
    )  # fmt: skip
    yield server
    server.stop()


@pytest.fixture
def open_console(make_console):
    def factory(connection, wait: bool = True):
        return make_console(wait=wait, connection=connection)

    return factory


def remote(server: ServerProcess, **kwargs) -> RemoteConnection:
    return RemoteConnection(ServerClient(server.url, server.token), **kwargs)


def failure(root, console) -> str:
    wait_for(root, console.is_failed, 60, "the failure")
    lines = [line for line in console.transcript().splitlines() if "Could not connect" in line]
    assert len(lines) == 1 and "Traceback" not in console.transcript()
    return lines[0]


# ---------------------------------------------------------------- the kernel's life
@pytest.mark.parametrize(
    ("offered", "negotiated"), [((), None), ((wsproto.V1,), wsproto.V1)], ids=["json", "v1"]
)
def test_start_execute_interrupt_restart_shutdown(root, open_console, eg, offered, negotiated):
    conn = remote(eg, kernel_env={"KERNEL_USERNAME": "alice"}, protocols=offered)
    console = open_console(conn)
    assert conn.link.protocol == negotiated  # None: the JSON framing
    assert eg.has_kernel(conn.kernel_id)
    assert console.status()[0] == f"Python 3 (ipykernel) on 127.0.0.1:{eg.port}"
    shown = run_and_wait(root, console, "import os; os.environ['KERNEL_USERNAME'], 6 * 7")
    assert "Out[1]: ('alice', 42)" in shown

    type_text(console.text, "while True: pass")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: console.kernel_state == "busy", 10, "busy")
    time.sleep(0.3)
    press(console.text, "c", state=4)  # Ctrl+C: REST interrupt
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 3, 30, "interrupt")
    assert "KeyboardInterrupt" in console.transcript()

    press(console.text, "period", state=4)  # Ctrl+.: REST restart
    wait_for(root, lambda: "Kernel restarted." in console.transcript(), 60, "restart")
    assert "Out[1]: False" in run_and_wait(root, console, "'os' in dir()")
    console.shutdown()
    assert not eg.has_kernel(conn.kernel_id)  # ours: shut down


def test_attach_by_kernel_id_leaves_the_kernel_running(root, open_console, eg):
    kernel_id = eg.start_kernel(env={"KERNEL_USERNAME": "bob"})
    try:
        console = open_console(remote(eg, kernel_id=kernel_id))
        assert console.conn.link.protocol == wsproto.V1  # what tkconsole offers by default
        shown = run_and_wait(root, console, "import os; os.environ['KERNEL_USERNAME']")
        assert "'bob'" in shown
        console.shutdown()
        assert eg.has_kernel(kernel_id)
    finally:
        eg.delete_kernel(kernel_id)


def test_command_line_kernel_env(display, eg, tmp_path):
    transcript = tmp_path / "transcript.txt"
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--server", eg.url, "--token", eg.token,
         "--kernel-env", "KERNEL_USERNAME=carol", "--kernel-env", "KERNEL_GREETING=a=b c",
         "--execute", "import os; os.environ['KERNEL_USERNAME'], os.environ['KERNEL_GREETING']",
         "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "('carol', 'a=b c')" in transcript.read_text()


def test_connect_dialog_kernel_env(root, connector, eg):
    dialog = ConnectDialog(root, connector)
    dialog.tabs.select(2)
    dialog.url.delete(0, "end")
    type_text(dialog.url, eg.url)
    type_text(dialog.token, eg.token)
    dialog.list_server()
    wait_for(root, lambda: "does not list" in dialog.message.cget("text"), 20, "the note")
    assert "python3" in dialog.server_spec.cget("values")  # the specs came all the same
    dialog.server_spec.set("python3")
    type_text(dialog.kernel_env, "KERNEL_USERNAME=dora; KERNEL_GREETING=hi")
    dialog.start_remote()
    console = opened_console(root, connector, 1)
    code = "import os; os.environ['KERNEL_USERNAME'], os.environ['KERNEL_GREETING']"
    assert "('dora', 'hi')" in run_and_wait(root, console, code)


# ---------------------------------------------------------------- clear refusals
def test_listing_refused_is_one_clear_line(root, eg):
    listing = Connector(recent_path=None).list_server(eg.url, eg.token).result(30)
    assert listing["specs"]  # the kernelspecs still come
    assert listing["note"] == (
        f"127.0.0.1:{eg.port} does not list its running kernels (an Enterprise Gateway "
        "needs EG_LIST_KERNELS=True, a Kernel Gateway "
        "--JupyterWebsocketPersonality.list_kernels=True)"
    )


def test_refused_env_value_is_one_clear_line(root, open_console, eg):
    conn = remote(eg, kernel_env={"KERNEL_USERNAME": "alice", "KERNEL_NOTE": "x" * 5000})
    line = failure(root, open_console(conn, wait=False))
    assert line == (
        f"Could not connect to the kernel: the server at {eg.url} refused to start the "
        "kernel: Environment variable 'KERNEL_NOTE' exceeds maximum length"
    )


def test_refused_user_is_one_clear_line(root, open_console, eg):
    conn = remote(eg, kernel_env={"KERNEL_USERNAME": EG_REFUSED_USER})
    line = failure(root, open_console(conn, wait=False))
    assert f"refused (HTTP 403): User '{EG_REFUSED_USER}' is not authorized" in line


def test_resource_limit_is_one_clear_line(root, open_console, eg_strict):
    kernel_id = eg_strict.start_kernel(env={"KERNEL_USERNAME": "alice"})  # the one allowed
    try:
        line = failure(root, open_console(remote(eg_strict), wait=False))
        assert line == (
            f"Could not connect to the kernel: the server at {eg_strict.url} runs as many "
            "kernels as it allows (HTTP 403 Resource Limit): shut one down there, or ask its "
            "administrator"
        )
    finally:
        if eg_strict.has_kernel(kernel_id):
            eg_strict.delete_kernel(kernel_id)


def test_culled_kernel_is_one_clear_line(root, open_console, eg_strict):
    console = open_console(remote(eg_strict, kernel_env={"KERNEL_USERNAME": "alice"}))
    old = console.conn.kernel_id
    run_and_wait(root, console, "x = 1")
    where = f"The kernel {old} is gone from 127.0.0.1:{eg_strict.port} (shut down there, or culled"
    wait_for(root, lambda: where in console.transcript(), 30, "the culled notice")
    assert "Traceback" not in console.transcript()


# ---------------------------------------------------------------- slow launches
def test_slow_launch_shows_progress(root, open_console, eg):
    conn = remote(eg, kernel_name="slow", kernel_env={"KERNEL_USERNAME": "alice"})
    console = open_console(conn, wait=False)
    states: list[str] = []
    console.bind("<<ConsoleStatus>>", lambda _e: states.append(console.status()[2]), add="+")
    wait_for(root, console.is_idle, 60, "the first prompt")
    progress = [re.fullmatch(r"starting kernel… (\d+) s", state) for state in states]
    counted = [int(m[1]) for m in progress if m]
    assert len(counted) >= 2 and counted == sorted(counted)  # the seconds count up
    assert states[-1] == "connected"
    assert "Out[1]: 2" in run_and_wait(root, console, "1 + 1")


def test_launch_timeout_is_one_clear_line(root, open_console, eg):
    conn = remote(
        eg, kernel_name="slow", kernel_env={"KERNEL_USERNAME": "alice"}, launch_timeout=1.0
    )
    line = failure(root, open_console(conn, wait=False))
    assert line == (
        f"Could not connect to the kernel: the kernel did not start on 127.0.0.1:{eg.port} "
        "within 1 s (the [kernel] launch_timeout setting)"
    )


def test_launch_timeout_setting_reaches_the_command_line(display, eg, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.toml").write_text("[kernel]\nlaunch_timeout = 1\n")
    transcript = tmp_path / "transcript.txt"
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--server", eg.url, "--token", eg.token,
         "--kernel", "slow", "--kernel-env", "KERNEL_USERNAME=alice",
         "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={**os.environ, "TKCONSOLE_CONFIG_DIR": str(config)},
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    assert "did not start on 127.0.0.1" in transcript.read_text()
    assert "within 1 s (the [kernel] launch_timeout setting)" in transcript.read_text()
