"""Transport behaviour: shared loop thread, hostile messages, existing kernels."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest
from conftest import ROOT, run_and_wait, wait_for
from fake_kernel import FakeKernel
from jupyter_client import KernelManager


def test_bad_signatures_are_dropped_and_good_messages_shown(root, make_console, tmp_path):
    kernel = FakeKernel(tmp_path)
    try:
        console = make_console(connection_file=str(kernel.connection_file))
        assert "fake kernel" in console.transcript()
        for _ in range(2):  # the stream keeps delivering after each bad batch
            shown = run_and_wait(root, console, "anything")
        assert shown.count("good output\n") == 2
        assert shown.count("first copy\n") == 2  # the replayed copy was dropped
        assert "BAD SIGNATURE" not in shown
        assert "garbage" not in shown
    finally:
        kernel.stop()


def loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "tkconsole-loop"]


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_two_consoles_share_one_loop_thread(root, make_console):
    first = make_console()
    threads_with_one = os_threads()
    second = make_console()
    assert len(loop_threads()) == 1
    assert os_threads() == threads_with_one  # the second kernel added no thread
    assert first.conn.loop is second.conn.loop
    shown_a = run_and_wait(root, first, "'a' * 3")
    shown_b = run_and_wait(root, second, "'b' * 3")
    assert "'aaa'" in shown_a and "'bbb'" not in shown_a
    assert "'bbb'" in shown_b


@pytest.fixture
def own_kernel(tmp_path):
    """A kernel started by the test, not by tkconsole."""
    manager = KernelManager(
        kernel_name="python3", connection_file=str(tmp_path / "kernel-own.json")
    )
    manager.start_kernel()
    yield manager
    manager.shutdown_kernel(now=True)


def test_existing_kernel_via_widget(root, make_console, own_kernel):
    client = own_kernel.client()
    client.start_channels()
    client.wait_for_ready(30)
    client.execute_interactive("shared = 41", timeout=30)
    client.stop_channels()
    console = make_console(connection_file=own_kernel.connection_file)
    assert console.transcript().rstrip().endswith("In [2]:")  # continues the kernel's count
    shown = run_and_wait(root, console, "shared + 1")
    assert "Out[2]: 42" in shown


def test_existing_kernel_via_command_line(display, own_kernel, tmp_path):
    transcript = tmp_path / "transcript.txt"
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--existing", own_kernel.connection_file,
         "--execute", "6 * 7", "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True, text=True, timeout=90, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Out[1]: 42" in transcript.read_text()
    assert own_kernel.is_alive()  # a kernel we did not start is left running


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no kernel connection file found"),
        ("{not json", "is not valid JSON"),
        ('{"shell_port": 1}', "lacks valid iopub_port"),
    ],
)
def test_bad_connection_file_gives_one_line_and_status_2(tmp_path, content, message):
    path = tmp_path / "kernel-bad.json"
    if content is not None:
        path.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--existing", str(path)],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env={**os.environ, "DISPLAY": ""},
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_hung_kernel_is_reported_and_recovers(root, make_console, own_kernel):
    console = make_console(connection_file=own_kernel.connection_file)
    pid = own_kernel.provisioner.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        wait_for(root, lambda: "not responding" in console.transcript(), 15, "the notice")
        assert console.status()[2] == "not responding"
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for(root, lambda: console.status()[2] == "connected", 15, "recovery")
    shown = run_and_wait(root, console, "'alive'")
    assert "'alive'" in shown.splitlines()[-3]
