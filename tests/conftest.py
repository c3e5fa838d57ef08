"""Shared fixtures: a real X display (Xvfb), one Tk root, real kernels.

Tests under ``tests/unit/`` run with no display and may not start a kernel,
a server or a display: one that tries fails loudly, so the fast part stays fast.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]

# Tests never touch the real home: settings, history and connection files (ours,
# those of any tkconsole process a test starts, and the IPython kernels' own)
# live in a throwaway folder.
SANDBOX = Path(tempfile.mkdtemp(prefix="tkconsole-tests-"))
os.environ["TKCONSOLE_CONFIG_DIR"] = str(SANDBOX / "config")
os.environ["TKCONSOLE_DATA_DIR"] = str(SANDBOX / "data")
os.environ["IPYTHONDIR"] = str(SANDBOX / "ipython")
os.environ["JUPYTER_RUNTIME_DIR"] = str(SANDBOX / "runtime")  # kernels' connection files
# nor the developer's keyring: tokens go to the sandbox's file (test_tokens.py runs its own)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
atexit.register(shutil.rmtree, SANDBOX, True)

from tkconsole.models.keymap import CHAR_KEYSYMS  # noqa: E402 (after the env set-up)

# Property tests judge answers, not speed: on a loaded 2-core machine generating
# inputs can be slow, which is no fault of the code under test.
settings.register_profile(
    "tkconsole", deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
settings.load_profile("tkconsole")

KEYSYMS = {**CHAR_KEYSYMS, "\n": "Return", "\t": "Tab"}

UNIT = ROOT / "tests" / "unit"
# Programs a unit test may not start: a display, a kernel, a server, an ssh daemon.
NOT_IN_UNIT = ("Xvfb", "sshd", "ipykernel", "jupyter_server", "jupyter-server", "kernelgateway",
               "enterprisegateway", "jupyter server", "jupyter-kernel")  # fmt: skip


def _is_unit(item: pytest.Item) -> bool:
    return UNIT in item.path.parents


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture: a unit test that asks for the display fails at once."""
    wanted = {"display", "root"} & set(getattr(item, "fixturenames", ()))
    if _is_unit(item) and wanted:
        pytest.fail(
            f"a unit test needs {' and '.join(sorted(wanted))}: it belongs in tests/integration/",
            pytrace=False,
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """A unit test sees no display (Tk cannot start) and cannot spawn a kernel or server."""
    if not _is_unit(item):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DISPLAY", raising=False)
        if "tkinter" in sys.modules:  # an integration test's root must not serve as default
            patch.setattr(sys.modules["tkinter"], "_default_root", None)
        spawn = subprocess.Popen._execute_child  # type: ignore[attr-defined]

        def refuse_servers(self, args, *rest, **kwargs):
            line = args if isinstance(args, str | bytes) else " ".join(map(str, args))
            started = [name for name in NOT_IN_UNIT if name in str(line)]
            if started:
                raise RuntimeError(f"a unit test started {started[0]}: it belongs in integration/")
            return spawn(self, args, *rest, **kwargs)

        patch.setattr(subprocess.Popen, "_execute_child", refuse_servers)
        yield


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    if not os.environ.get("DISPLAY") and not shutil.which("Xvfb"):
        pytest.exit("Xvfb is not installed: run the README test command", returncode=3)
    proc = None
    if not os.environ.get("DISPLAY"):
        proc = _start_xvfb()
    yield os.environ["DISPLAY"]
    if proc is not None:
        proc.terminate()
        proc.wait(5)


def _start_xvfb() -> subprocess.Popen:
    """A private Xvfb; it picks a free display number and writes it to a pipe."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        os.environ["DISPLAY"] = ":" + pipe.readline().strip()
    return proc


@pytest.fixture(scope="session")
def root(display: str):
    from tkconsole.ui import boot  # ttkbootstrap as the app imports it: its theme engine first

    app = boot.App(title="tkconsole tests", theme="bootstrap-light", size=(900, 600))
    app.update()
    yield app
    app.destroy()


def write_kernelspec(kernels: Path, name: str, argv: list[str]) -> None:
    """A kernelspec folder ``kernels/name`` whose kernel runs ``argv``."""
    (kernels / name).mkdir(parents=True)
    spec = {"argv": argv, "display_name": name, "language": "python"}
    (kernels / name / "kernel.json").write_text(json.dumps(spec))


def pump(root, seconds: float = 0.02) -> None:
    end = time.monotonic() + seconds
    while True:
        root.update()
        if time.monotonic() >= end:
            return
        time.sleep(0.005)


def wait_for(root, predicate: Callable[[], object], timeout: float = 30.0, what: str = ""):
    """Run the Tk loop until ``predicate()`` is truthy; fail with context if not."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        root.update()
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what or predicate}{_screen_tail(root)}")


def _screen_tail(root) -> str:
    """The end of every console's transcript, to say what was shown instead."""
    from tkconsole.ui.console import Console

    tails = []
    stack = [root]
    while stack:
        widget = stack.pop()
        if isinstance(widget, Console):
            tails.append(widget.transcript()[-400:])
        stack.extend(widget.winfo_children())
    return "".join(f"\n--- console shows ---\n{tail}" for tail in tails)


def focus(widget) -> None:
    """Under Xvfb there is no window manager: force focus before key events."""
    root = widget.winfo_toplevel()
    root.update()
    widget.focus_force()
    root.update()


def type_text(widget, text: str) -> None:
    """Type like a person: one KeyPress per character (newline = Return)."""
    top = widget.winfo_toplevel()
    focus(widget)
    for char in text:
        widget.event_generate("<KeyPress>", keysym=KEYSYMS.get(char, char))
    top.update()


def press(widget, keysym: str, **state) -> None:
    focus(widget)
    widget.event_generate(f"<KeyPress-{keysym}>", **state)
    widget.winfo_toplevel().update()


def at_prompt(console) -> bool:
    return console.is_idle()


@pytest.fixture
def make_console(root) -> Iterator[Callable[..., object]]:
    """Build ConsoleWidgets in fresh Toplevels; shut their kernels down after."""
    import tkinter as tk

    from tkconsole import ConsoleWidget
    from tkconsole.ui.console import Console

    made = []

    def factory(wait: bool = True, connection=None, **kwargs):
        """``connection``: the plain Console on that connection object instead."""
        top = tk.Toplevel(root)
        top.geometry("900x600+0+0")
        console = ConsoleWidget(top, **kwargs) if connection is None else Console(top, connection)
        console.pack(fill="both", expand=True)
        made.append((top, console))
        if wait:
            wait_for(root, console.is_idle, 60, "the first prompt")
        return console

    yield factory
    for top, console in made:
        console.shutdown()
        top.destroy()


def run_and_wait(root, console, code: str, timeout: float = 30.0) -> str:
    """Type ``code`` at the prompt, press Shift+Return, wait for the next prompt."""
    wait_for(root, console.is_idle, timeout, "a prompt")
    before = console.prompt_number
    type_text(console.text, code)
    press(console.text, "Return", state=1)  # Shift+Return always executes
    wait_for(
        root,
        lambda: console.is_idle() and console.prompt_number > before,
        timeout,
        f"{code!r} to finish",
    )
    return console.transcript()


def execute_and_wait(root, console, code: str, timeout: float = 60.0) -> str:
    """``console.execute(code)`` (as a program would), then wait for the next prompt."""
    before = console.prompt_number
    console.execute(code)
    wait_for(root, lambda: console.is_idle() and console.prompt_number > before, timeout, code)
    return console.transcript()


def views(widget, cls) -> list:
    """Every descendant of ``widget`` that is a ``cls``, oldest first."""
    found, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, cls):
            found.append(w)
        stack.extend(w.winfo_children())
    return sorted(found, key=lambda v: getattr(v, "serial", 0))


def answer_input(root, console) -> None:
    """``input()`` in the kernel: the prompt shows, a typed answer reaches it."""
    type_text(console.text, "name = input('name? ')")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: console.transcript().endswith("name? "), 20, "the input prompt")
    type_text(console.text, "Ada\n")
    shown = run_and_wait(root, console, "name.upper()")
    assert "name? Ada\n" in shown and "'ADA'" in shown


def reported(program: str, config: Path, prefix: str) -> Any:
    """Run ``program`` in a fresh process with settings of its own; the JSON
    it printed after ``prefix``."""
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text('[session]\nrestore = "off"\n')
    env = {**os.environ, "TKCONSOLE_CONFIG_DIR": str(config)}
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env,
    )  # fmt: skip
    lines = [line for line in result.stdout.splitlines() if line.startswith(prefix + " ")]
    assert lines, result.stderr[-3000:]
    return json.loads(lines[0][len(prefix) + 1 :])


def screenshot(widget, path: Path) -> Path:
    """Grab the widget's window from the X server into a PNG."""
    from PIL import ImageGrab

    widget.update()
    x, y = widget.winfo_rootx(), widget.winfo_rooty()
    w, h = widget.winfo_width(), widget.winfo_height()
    image = ImageGrab.grab(bbox=(x, y, x + w, y + h), xdisplay=os.environ["DISPLAY"])
    image.save(path)
    return path
