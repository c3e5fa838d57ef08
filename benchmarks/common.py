"""What every benchmark case shares: child processes, timing steps, memory, Xvfb.

Each side of a measurement (tkconsole, the bare jupyter_client client) runs
in a process of its own, started as ``python -m benchmarks --child NAME``,
and reports one ``RESULT {json}`` line on stdout.  GUI children drive the
app through *steps*: generators whose every ``yield`` waits until
``window._advance`` is called (by a prompt, a timer, a drawn result).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # children run from here: `-m benchmarks` works
CASES_ENV = "TKCONSOLE_BENCH_CASES"  # comma-separated case names the children run; unset: all


def wanted_case(name: str) -> bool:
    """Whether this run measures ``name`` (``--cases``, passed to children by environment)."""
    chosen = os.environ.get(CASES_ENV, "")
    return not chosen or name in chosen.split(",")


def rss_mb() -> float:
    """Current resident set size of this process."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def child_env() -> dict[str, str]:
    """The environment of GUI children: settings and state of their own.

    The person's settings and history stay untouched, and no saved session
    (which the previous child's window leaves) makes a child ask to reopen it.
    """
    global _CHILD_HOME
    if _CHILD_HOME is None:
        _CHILD_HOME = tempfile.mkdtemp(prefix="tkconsole-bench-")
        config = Path(_CHILD_HOME, "config")
        config.mkdir()
        (config / "settings.toml").write_text('[session]\nrestore = "off"\n')
    env = dict(os.environ)
    env["TKCONSOLE_CONFIG_DIR"] = str(Path(_CHILD_HOME, "config"))
    env["TKCONSOLE_DATA_DIR"] = str(Path(_CHILD_HOME, "data"))
    return env


_CHILD_HOME: str | None = None


def run_child(kind: str, full: bool) -> dict:
    """Run one side in a fresh process; its RESULT line as a dict."""
    env = child_env()
    t0 = time.time()
    cmd = [sys.executable, "-m", "benchmarks", "--child", kind, "--t0", repr(t0)]
    if full:
        cmd.append("--full")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT, env=env)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} child failed:\n{out.stderr[-3000:]}")


# --------------------------------------------------------------------- bare client
def bare_run(kc, code: str) -> int:
    """Execute and consume iopub until idle; returns the lines received."""
    msg_id = kc.execute(code)
    lines = 0
    while True:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            lines += msg["content"]["text"].count("\n")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            kc.get_shell_msg(timeout=10)
            return lines


# --------------------------------------------------------------------- GUI steps
class StallMeter:
    """The longest gap between 1 ms timer callbacks: how long Tk was frozen."""

    def __init__(self, root) -> None:
        self.root = root
        self.longest = 0.0
        self._last = 0.0
        self._running = False

    def start(self) -> None:
        self.longest, self._last, self._running = 0.0, time.perf_counter(), True
        self.root.after(1, self._tick)

    def stop(self) -> float:
        self._running = False
        return self.longest

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now
        if self._running:
            self.root.after(1, self._tick)


def when_prompt(console, callback: Callable[[], None]) -> None:
    """Call ``callback`` once, when the console next shows a prompt."""

    def fire(_event) -> None:
        console.unbind("<<ConsolePrompt>>", bind_id)
        console.after_idle(callback)

    bind_id = console.bind("<<ConsolePrompt>>", fire, add="+")


def after_each_render(console, callback: Callable[[], bool]) -> None:
    """Run ``callback`` after every drawing step of ``console`` until it returns True.

    It wraps the instance's ``render`` (what the pump calls), so production
    code carries no hook for benchmarks.
    """
    render = console.render

    def observed(deadline: float) -> bool:
        more = render(deadline)
        if callback():
            del console.render  # back to the class's method
        return more

    console.render = observed


class IdleToPrompt:
    """Time from the kernel's idle status reaching the console to the next
    prompt drawn.  It wraps the instance's ``receive`` (what the pump calls)
    and listens for ``<<ConsolePrompt>>``: production code carries no hook."""

    def __init__(self, console) -> None:
        self.console = console
        self.idle_at: float | None = None
        self.delay: float | None = None
        receive = console.receive

        def observed(channel: str, msg: dict) -> None:
            receive(channel, msg)
            content = msg.get("content") or {}
            if msg.get("msg_type") == "status" and content.get("execution_state") == "idle":
                self.idle_at = time.perf_counter()

        console.receive = observed
        self._bind = console.bind("<<ConsolePrompt>>", self._prompt, add="+")

    def _prompt(self, _event) -> None:
        if self.idle_at is not None and self.delay is None:
            self.delay = time.perf_counter() - self.idle_at

    def stop(self) -> float | None:
        del self.console.receive  # back to the class's method
        self.console.unbind("<<ConsolePrompt>>", self._bind)
        return self.delay


def timed_run(window, code: str, result: dict, name: str):
    """A step: run ``code`` to its next prompt; record ``name`` (s),
    ``name_idle_to_prompt``, from the kernel's idle status to the prompt,
    ``name_all_coloured`` when colours of lines out of view were still being
    added after the prompt (when they all were), and ``name_stall``, the
    longest Tk event-loop stall until then."""
    meter = StallMeter(window.root)
    meter.start()
    idle = IdleToPrompt(window.console)
    start = time.perf_counter()
    when_prompt(window.console, window._advance)
    window.console.execute(code)
    yield
    window.root.update_idletasks()
    result[name] = time.perf_counter() - start
    delay = idle.stop()
    if delay is not None:
        result[f"{name}_idle_to_prompt"] = delay
    lazy = window.console.writer.lazy  # colours of lines out of view, added after the prompt
    if lazy.pending():
        while lazy.pending():
            window.root.after(1, window._advance)
            yield
        result[f"{name}_all_coloured"] = time.perf_counter() - start
    result[f"{name}_stall"] = meter.stop()  # colouring the rest counts too


def gui_child(t0: float, argv: list[str], steps) -> None:
    """The app as launched with ``argv``, driven through ``steps(window, result)``.

    ``startup`` (from ``t0``, the parent's clock at spawn) and ``rss_start``
    are recorded at the first prompt.
    """
    from tkconsole.app import launch

    window = launch(argv)
    console, root = window.console, window.root
    result: dict = {}
    walk = iter(steps(window, result))

    def advance(*_args) -> None:
        try:
            next(walk)
        except StopIteration:
            window.close()

    def first_prompt(_event) -> None:
        if "startup" not in result:
            result["startup"] = time.time() - t0
            result["rss_start"] = rss_mb()
            console.unbind("<<ConsolePrompt>>", bind_id)
            root.after(200, advance)

    bind_id = console.bind("<<ConsolePrompt>>", first_prompt, add="+")
    window._advance = advance
    root.mainloop()
    emit(result)


# --------------------------------------------------------------------- display
def ensure_display() -> subprocess.Popen | None:
    """A private Xvfb display unless one is set."""
    if os.environ.get("DISPLAY"):
        return None
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


@contextmanager
def private_display() -> Iterator[None]:
    """Xvfb for the length of a benchmark run, unless a display is set."""
    xvfb = ensure_display()
    try:
        yield
    finally:
        if xvfb is not None:
            xvfb.terminate()
