"""The PyInstaller bundle: built from a clean checkout, run like a user would.

The slow tests build ``dist/tkconsole`` once from a ``git clone`` of HEAD
(so uncommitted work is not in it) with ``packaging/build.py``, then run the
executable under Xvfb; kernels' output reaches the log of a windowed build.
The pieces without a build: tests/unit/test_frozen.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, write_kernelspec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from tkconsole.kernel import bundle
from tkconsole.kernel.bundle import BundleKernelSpecManager
from tkconsole.models import frozen_build
from tkconsole.models.frozen_build import KERNEL_MODE

sys.path.insert(0, str(ROOT / "packaging"))

# ------------------------------------------------------ windowed builds' output


def test_windowed_build_sends_kernel_output_to_the_log(tmp_path, monkeypatch):
    log = tmp_path / "logs" / "kernels.log"
    monkeypatch.setattr(bundle, "is_windowed", lambda: True)
    monkeypatch.setattr(bundle, "kernel_log_path", lambda: log)
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", "win32")
        assert bundle.launch_options()["creationflags"] == bundle.CREATE_NO_WINDOW

    code = (
        "import sys, time; print('to stdout'); print('to stderr', file=sys.stderr); time.sleep(60)"
    )
    write_kernelspec(tmp_path / "kernels", "chatty", [sys.executable, "-c", code])
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    manager = KernelManager(kernel_name="chatty", kernel_spec_manager=specs)
    manager.start_kernel(**bundle.launch_options())
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if log.is_file() and {"to stdout", "to stderr"} <= set(log.read_text().splitlines()):
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"kernel output never reached the log: {log}")
    finally:
        manager.shutdown_kernel(now=True)


def test_kernel_without_standard_streams_writes_to_the_log(tmp_path):
    log = tmp_path / "kernels.log"
    code = (
        "import sys, pathlib; from tkconsole import frozen;"
        f"frozen.kernel_log_path = lambda: pathlib.Path({str(log)!r});"
        "sys.stdout = sys.stderr = None; frozen._give_missing_streams_a_log();"
        "print('hello'); print('oops', file=sys.stderr)"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert log.read_text() == "hello\noops\n"
    assert frozen_build.kernel_log_path().name == "kernels.log"


# ------------------------------------------------------------ the real bundle


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    """``dist/tkconsole/tkconsole`` built by packaging/build.py from a clone of HEAD."""
    checkout = tmp_path_factory.mktemp("bundle") / "checkout"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(checkout)], check=True)
    built = subprocess.run(
        [sys.executable, "packaging/build.py"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    exe = checkout / "dist" / "tkconsole" / "tkconsole"
    assert exe.is_file()
    return exe


def run_app(exe: Path, *args: str, env: dict | None = None, timeout: float = 120) -> str:
    """Run the app with ``--save-transcript ... --exit-after``; return the transcript."""
    transcript = exe.parent.parent / f"transcript-{time.monotonic_ns()}.txt"
    ran = subprocess.run(
        [str(exe), *args, "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    return transcript.read_text(encoding="utf-8")


CHILD = (
    "print(subprocess.run([sys.executable, '-c', 'print(\"child says\", 42 * 42)'],"
    " capture_output=True, text=True).stdout)"
)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundle_runs_code_whose_sys_executable_is_python(app, display):
    shown = run_app(
        app, "--execute", "import subprocess, sys", "--execute", CHILD, "--execute", "40+2"
    )
    assert "child says 1764" in shown  # the child ran Python, not a second window
    assert re.search(r"^Out\[\d+\]: 42$", shown, re.M), shown
    assert "Kernel died" not in shown


def bundle_processes(exe: Path) -> list[psutil.Process]:
    """Every process on the machine running the bundle's executable."""
    found = []
    for proc in psutil.process_iter(["exe"]):
        if proc.info["exe"] and os.path.realpath(proc.info["exe"]) == os.path.realpath(exe):
            found.append(proc)
    return found


def listening_ports(proc: psutil.Process) -> int:
    try:
        return sum(c.status == psutil.CONN_LISTEN for c in proc.net_connections("tcp"))
    except psutil.Error:
        return 0


def close_window_of(root, pid: int) -> None:
    """Ask the app's window to close exactly as its title bar's close button does."""
    from tkinter import TclError

    for interp in root.tk.splitlist(root.tk.call("winfo", "interps")):
        try:
            if int(root.tk.call("send", interp, "pid")) != pid:
                continue
        except TclError:
            continue  # a stale registration
        # closing asks whether to shut the kernel down: answer as a click would
        answer = "after 300 {catch {.question.body.buttons.shutdown invoke}}"
        root.tk.call("send", "-async", interp, answer)
        root.tk.call("send", "-async", interp, "eval [wm protocol . WM_DELETE_WINDOW]")
        root.update()  # flush: the request sits in Xlib's buffer until then
        return
    pytest.fail(f"no Tk application with pid {pid} on the display")


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundle_runs_one_gui_and_one_kernel_and_closes_cleanly(app, root, tmp_path):
    log = open(tmp_path / "gui.log", "w")  # noqa: SIM115
    gui = subprocess.Popen([str(app)], stdout=log, stderr=subprocess.STDOUT)
    try:
        kernel = None
        deadline = time.monotonic() + 60
        while kernel is None and time.monotonic() < deadline:
            for child in psutil.Process(gui.pid).children(recursive=True):
                if KERNEL_MODE in child.cmdline() and listening_ports(child) >= 5:
                    kernel = child  # ipykernel has bound its five channels
            time.sleep(0.2)
        assert kernel is not None, "the bundled kernel never started"
        settle = time.monotonic() + 3  # a launch loop would show up within this
        while time.monotonic() < settle:
            assert {p.pid for p in bundle_processes(app)} == {gui.pid, kernel.pid}
            assert psutil.Process(gui.pid).children(recursive=True) == [kernel]
            time.sleep(0.2)

        close_window_of(root, gui.pid)
        assert gui.wait(30) == 0
        _, alive = psutil.wait_procs([kernel], timeout=15)
        assert not alive, "closing the window left the kernel running"
        assert bundle_processes(app) == []
    finally:
        if gui.poll() is None:
            gui.kill()
        log.close()


RICH = (
    "from tkconsole.models.svgimage import latex_to_png, svg_to_png; "
    "from tkconsole.models.markdown import render_markdown; "
    "svg = \"<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'><rect/></svg>\"; "
    "print(len(latex_to_png(r'$\\frac{\\sqrt\\pi}{2}$', 20, 'black')) > 100, "
    "len(svg_to_png(svg)) > 50, render_markdown('$x$')[0][1] == {'math'})"
)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundle_typesets_math_and_draws_svg(app, tmp_path):
    # ziamath's and ziafont's fonts, latex2mathml's table, resvg-py, markdown-it
    ran = subprocess.run([str(app), "-c", RICH], capture_output=True, text=True, timeout=120)
    assert ran.stdout == "True True True\n", ran.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundle_executable_is_a_python_interpreter(app, tmp_path):
    (tmp_path / "greet.py").write_text("import sys\nprint('hello', sys.argv[1:])\n")
    (tmp_path / "pool.py").write_text(
        "import multiprocessing as mp\n"
        "def square(x):\n    return x * x\n"
        "if __name__ == '__main__':\n"
        "    with mp.get_context('spawn').Pool(2) as pool:\n"
        "        print(pool.map(square, [1, 2, 3]))\n"
    )

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(app), *args], cwd=tmp_path, input=stdin, capture_output=True, text=True, timeout=60
        )

    assert run("-c", "import sys; print(sys.argv)", "a").stdout == "['-c', 'a']\n"
    assert run("-m", "greet", "b").stdout == "hello ['b']\n"
    assert run(str(tmp_path / "greet.py"), "c").stdout == "hello ['c']\n"
    assert run("-m", "json.tool", stdin='{"a": [1]}').stdout.split() == [
        "{",
        '"a":',
        "[",
        "1",
        "]",
        "}",
    ]
    assert run("-c", "import sqlite3, decimal, csv, tkinter; print('ok')").stdout == "ok\n"
    assert run("-V").stdout.startswith("Python 3.")
    assert run(str(tmp_path / "pool.py")).stdout == "[1, 4, 9]\n"  # workers re-run the app
    assert run("-c", "raise SystemExit(4)").returncode == 4
    failed = run("-c", "1/0")
    assert failed.returncode == 1 and failed.stderr.endswith(
        "ZeroDivisionError: division by zero\n"
    )


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundle_launches_machine_kernelspecs_but_not_their_python3(app, display, tmp_path):
    """A venv kernel runs with its own Python; the machine's python3 spec is not the default."""
    host = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    write_kernelspec(tmp_path / "kernels", "python3", host)
    write_kernelspec(tmp_path / "kernels", "hostpy", host)
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path)}
    show = "import sys; print('runs', sys.executable)"

    default = run_app(app, "--execute", show, env=env)
    assert f"runs {app}\n" in default
    venv = run_app(app, "--kernel", "hostpy", "--execute", show, env=env)
    assert f"runs {sys.executable}\n" in venv


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundle_attaches_to_an_existing_kernel(app, display, tmp_path):
    manager = KernelManager(
        connection_file=str(tmp_path / "kernel-existing.json"), transport_encryption="auto"
    )  # with CurveZMQ keys, which the app's channels and heartbeat must use
    manager.start_kernel()
    try:
        shown = run_app(
            app,
            "--existing",
            str(tmp_path / "kernel-existing.json"),
            "--execute",
            "import os; print('pid', os.getpid())",
        )
        assert f"pid {manager.provisioner.process.pid}\n" in shown
        assert manager.is_alive()  # leaving did not stop a kernel the app did not start
    finally:
        manager.shutdown_kernel(now=True)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundled_kernel_runs_encrypted(app, display):
    code = (
        "from ipykernel.kernelapp import IPKernelApp; "
        "print('curve', IPKernelApp.instance().curve_secretkey is not None)"
    )
    assert "curve True\n" in run_app(app, "--execute", code)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundled_kernel_debugger_stops_at_a_breakpoint(app):
    """debugpy runs inside the frozen kernel: adapter subprocess, pydevd, breakpoints."""
    specs = BundleKernelSpecManager(executable=str(app))
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    sequence = iter(range(1, 100))

    def dap(command: str, **arguments) -> dict:
        content = {"type": "request", "seq": next(sequence), "command": command}
        client.control_channel.send(
            client.session.msg("debug_request", {**content, "arguments": arguments})
        )
        reply = client.control_channel.get_msg(timeout=30)["content"]
        assert reply["success"], reply
        return reply.get("body", {})

    try:
        client.wait_for_ready(60)
        dap(
            "initialize", clientID="test", adapterID="python", pathFormat="path", linesStartAt1=True
        )
        dap("attach", justMyCode=False)
        code = "a = 1\nb = 2\n"
        cell = dap("dumpCell", code=code)["sourcePath"]
        dap("setBreakpoints", source={"path": cell}, breakpoints=[{"line": 2}])
        dap("configurationDone")
        client.execute(code)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                msg = client.iopub_channel.get_msg(timeout=1)
            except Exception:
                continue
            if msg["msg_type"] == "debug_event" and msg["content"]["event"] == "stopped":
                thread = msg["content"]["body"]["threadId"]
                frames = dap("stackTrace", threadId=thread)["stackFrames"]
                assert (frames[0]["source"]["path"], frames[0]["line"]) == (cell, 2)
                dap("continue", threadId=thread)
                return
        pytest.fail("the debugger never stopped at the breakpoint")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_bundle_stays_under_100_mb(app):
    folder = app.parent
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    largest = sorted(files, key=lambda p: p.stat().st_size)[-8:]
    assert total < 100e6, [(str(p.relative_to(folder)), p.stat().st_size) for p in largest]
