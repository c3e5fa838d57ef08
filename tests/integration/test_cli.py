"""The command line's refusals and exit codes, run as a person runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT, press, pump, type_text, wait_for
from jupyter_client import KernelManager
from test_app_window import answer_next_question


def run(args: list[str], env: dict | None = None, timeout: float = 120):
    return subprocess.run(
        [sys.executable, "-m", "tkconsole", *args], capture_output=True, text=True,
        timeout=timeout, cwd=ROOT, env={**os.environ, **(env or {})},
    )  # fmt: skip


def one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if "IPKernelApp" not in line]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--kernel", "no-such-kernel"], {}, "no kernelspec named 'no-such-kernel'"),
        (["--theme", "nosuch"], {}, "unknown theme 'nosuch'"),
        ([], {"DISPLAY": "", "WAYLAND_DISPLAY": ""}, "no display"),
    ],
)
def test_refusals_give_one_line_and_status_2_before_any_window(display, args, env, message):
    result = run(args, env, timeout=60)
    assert result.returncode == 2
    assert message in one_line(result)


@pytest.fixture
def broken_kernelspec(tmp_path):
    """A kernelspec whose program does not exist: the kernel can never start."""
    folder = tmp_path / "jupyter" / "kernels" / "broken"
    folder.mkdir(parents=True)
    spec = {"argv": [str(tmp_path / "no-such-program"), "{connection_file}"],
            "display_name": "Broken", "language": "python"}  # fmt: skip
    (folder / "kernel.json").write_text(json.dumps(spec))
    return {"JUPYTER_PATH": str(tmp_path / "jupyter")}


def test_exit_after_status_0_when_every_input_ran(display, tmp_path):
    out = tmp_path / "session.ipynb"
    result = run(["--execute", "6 * 7", "--save-transcript", str(out), "--exit-after"])
    assert result.returncode == 0, result.stderr
    nbformat.validate(nbformat.read(out, as_version=4))


def test_save_transcript_notebook_holds_the_cells(display, tmp_path):
    out = tmp_path / "session.ipynb"
    result = run(["--execute", "6 * 7", "--save-transcript", str(out), "--exit-after"])
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(out, as_version=4)
    assert nb.cells[0].source == "6 * 7" and nb.cells[0].execution_count == 1
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == "42"


def test_exit_after_status_1_when_an_input_raised(display):
    result = run(["--execute", "1/0", "--exit-after"])
    assert result.returncode == 1, result.stderr


def test_allow_errors_keeps_status_0(display):
    result = run(["--execute", "1/0", "--exit-after", "--allow-errors"])
    assert result.returncode == 0, result.stderr


def test_exit_after_status_2_when_the_kernel_cannot_start(display, broken_kernelspec):
    result = run(["--kernel", "broken", "--execute", "1", "--exit-after"], broken_kernelspec)
    assert result.returncode == 2, result.stderr


@pytest.fixture
def own_kernel(tmp_path):
    manager = KernelManager(kernel_name="python3", connection_file=str(tmp_path / "kernel-o.json"))
    manager.start_kernel()
    yield manager
    manager.shutdown_kernel(now=True)


@pytest.mark.parametrize(("answer", "alive"), [("close", True), ("shutdown", False)])
def test_exit_in_a_console_on_someone_elses_kernel_asks(
    root, make_console, own_kernel, answer, alive
):
    console = make_console(connection_file=own_kernel.connection_file)
    exits = []
    console.bind("<<ConsoleExit>>", lambda _e: exits.append(1), add="+")
    cancelled = answer_next_question(root, "cancel")
    type_text(console.text, "exit")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: cancelled, 20, "the question")
    pump(root, 5.0)  # ipykernel 7 ends its loop 0.1 s after `exit` runs: long past that
    assert not exits and own_kernel.is_alive()  # cancel: nothing was sent
    assert console.prompt_number == 1 and console.text.input_text() == ""
    asked = answer_next_question(root, answer)
    type_text(console.text, "exit")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: exits, 20, "<<ConsoleExit>>")
    assert asked == ["Close console"]
    if alive:
        pump(root, 5.0)
        assert own_kernel.is_alive() and "Kernel left running." in console.transcript()
    else:
        wait_for(root, lambda: not own_kernel.is_alive(), 20, "the kernel to end")
