"""CurveZMQ between the console and local kernels, and where their connection files go.

Real ipykernel processes; a raw zmq SUB socket plays the eavesdropper on
the loopback ports.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zmq
from conftest import ROOT, run_and_wait, wait_for
from fake_kernel import FakeKernel
from jupyter_client import KernelManager
from jupyter_core.paths import jupyter_runtime_dir

from tkconsole.models.settings import KernelSettings, Settings
from tkconsole.ui.statusbar import StatusBar


def settings(encryption: str) -> Settings:
    return Settings(kernel=KernelSettings(encryption=encryption))


def connection_info(console) -> dict:
    return json.loads(Path(console.conn.manager.connection_file).read_text())


def eavesdrop(root, console, port: int, code: str) -> list:
    """What a SUB socket without keys hears on ``port`` while ``code`` runs."""
    sub = zmq.Context.instance().socket(zmq.SUB)
    sub.linger = 0
    sub.subscribe(b"")
    sub.connect(f"tcp://127.0.0.1:{port}")
    try:
        time.sleep(0.5)  # let the subscription reach the kernel (late joiner)
        run_and_wait(root, console, code)
        heard = []
        while sub.poll(500):
            heard.append(sub.recv_multipart())
        return heard
    finally:
        sub.close()


def test_launched_kernel_is_encrypted_and_runs_code(root, make_console):
    console = make_console()
    info = connection_info(console)
    assert info["curve_publickey"] and info["curve_secretkey"]
    assert console.conn.encrypted
    shown = run_and_wait(root, console, "6 * 7")
    assert "Out[1]: 42" in shown
    bar = StatusBar(console.master, console)
    assert bar.lock.cget("text") == "encrypted"


def test_eavesdropper_hears_nothing_from_an_encrypted_kernel(root, make_console):
    console = make_console()
    heard = eavesdrop(root, console, connection_info(console)["iopub_port"], "print('secret')")
    assert heard == []
    assert "secret\n" in console.transcript()  # while the console itself got it


def test_eavesdropper_hears_an_unencrypted_kernel(root, make_console):
    """The control: the same SUB socket reads a kernel started with encryption off."""
    console = make_console(settings=settings("off"))
    info = connection_info(console)
    assert "curve_secretkey" not in info and not console.conn.encrypted
    heard = eavesdrop(root, console, info["iopub_port"], "print('secret')")
    assert any(b"secret" in b"".join(frames) for frames in heard)
    bar = StatusBar(console.master, console)
    assert bar.lock.cget("text") == ""


@pytest.fixture
def encrypted_kernel(tmp_path):
    """A kernel started by the test (not by tkconsole), with CurveZMQ keys."""
    manager = KernelManager(
        kernel_name="python3",
        connection_file=str(tmp_path / "kernel-curve.json"),
        transport_encryption="auto",
    )
    manager.start_kernel()
    yield manager
    manager.shutdown_kernel(now=True)


def test_existing_encrypted_kernel(root, make_console, encrypted_kernel):
    info = json.loads(Path(encrypted_kernel.connection_file).read_text())
    assert info["curve_secretkey"]
    console = make_console(connection_file=encrypted_kernel.connection_file)
    assert console.conn.encrypted
    shown = run_and_wait(root, console, "'over curve'")
    assert "'over curve'" in shown
    # the heartbeat speaks curve too: a keyless one would report "not responding" after 3 s
    time.sleep(4)
    assert console.status()[2] == "connected"


@pytest.fixture
def plain_spec(tmp_path, monkeypatch):
    """A kernelspec for ipykernel that does not declare CurveZMQ support."""
    folder = tmp_path / "kernels" / "plain"
    folder.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Plain Python",
        "language": "python",
    }
    (folder / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return "plain"


def test_required_refuses_a_kernelspec_without_curve(root, make_console, plain_spec):
    console = make_console(wait=False, kernel_name=plain_spec, settings=settings("required"))
    wait_for(root, console.is_failed, 30, "the refusal")
    lines = [line for line in console.transcript().splitlines() if "Could not connect" in line]
    assert lines == [
        "Could not connect to the kernel: kernelspec 'plain' does not declare CurveZMQ "
        'support, and the settings say [kernel] encryption = "required"'
    ]
    assert "Traceback" not in console.transcript()


def test_required_refuses_a_connection_file_without_keys(root, make_console, tmp_path):
    kernel = FakeKernel(tmp_path)  # a plain connection file
    try:
        path = str(kernel.connection_file)
        console = make_console(wait=False, connection_file=path, settings=settings("required"))
        wait_for(root, console.is_failed, 30, "the refusal")
        assert (
            f"Could not connect to the kernel: {path} holds no CurveZMQ keys, and the settings "
            'say [kernel] encryption = "required"'
        ) in console.transcript()
    finally:
        kernel.stop()


def test_auto_runs_a_kernelspec_without_curve_unencrypted(root, make_console, plain_spec):
    console = make_console(kernel_name=plain_spec)
    assert not console.conn.encrypted
    assert "Out[1]: 2" in run_and_wait(root, console, "1 + 1")


def run_cli(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tkconsole", *args, "--exit-after"],
        capture_output=True, text=True, timeout=90, cwd=ROOT, env={**os.environ, **(env or {})},
    )  # fmt: skip


WARNING = "running over TCP without encryption"


def test_no_plain_text_warning_from_ipykernel(display, tmp_path):
    result = run_cli(tmp_path, "--execute", "1 + 1")
    assert result.returncode == 0, result.stderr
    assert WARNING not in result.stderr
    config = tmp_path / "config"  # the control: with encryption off, ipykernel warns
    config.mkdir()
    (config / "settings.toml").write_text('[kernel]\nencryption = "off"\n')
    result = run_cli(tmp_path, "--execute", "1 + 1", env={"TKCONSOLE_CONFIG_DIR": str(config)})
    assert result.returncode == 0, result.stderr
    assert WARNING in result.stderr


# ---------------------------------------------------------------- findable kernels
def test_launched_kernel_is_findable_from_another_process(root, make_console, tmp_path):
    console = make_console()
    run_and_wait(root, console, "shared = 'from the first console'")
    path = Path(console.conn.manager.connection_file)
    assert path.parent == Path(jupyter_runtime_dir())
    assert path.name == f"kernel-{console.conn.manager.kernel_id}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    transcript = tmp_path / "transcript.txt"
    result = run_cli(
        tmp_path, "--existing", path.name, "--execute", "shared",
        "--save-transcript", str(transcript),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "'from the first console'" in transcript.read_text()
    console.shutdown()
    assert not path.exists()  # removed with the kernel
