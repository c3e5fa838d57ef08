"""Benchmarks: ``python -m tkconsole.bench``.

Each metric is measured for tkconsole and for a bare jupyter_client client
in the same run (same machine state, same kernel), each side in a process
of its own, and printed as one line:

    name value unit  bare value unit  ratio r

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from . import bench_remote, bench_typing

FLOOD = "for i in range(100000): print(i)"
ROUND_TRIPS = 50
IDLE_SECONDS = 10.0


def rss_mb() -> float:
    """Current resident set size of this process."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


# --------------------------------------------------------------------- bare
def bare_child(t0: float, full: bool) -> None:
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(60)
    result = {"startup": time.time() - t0, "rss_start": rss_mb()}
    if full:
        cpu = time.process_time()
        time.sleep(IDLE_SECONDS)
        result["idle_cpu"] = 100 * (time.process_time() - cpu) / IDLE_SECONDS
        result["roundtrip"] = statistics.median(_bare_roundtrip(kc) for _ in range(ROUND_TRIPS))
        start = time.perf_counter()
        lines = _bare_run(kc, FLOOD)
        result["flood"] = time.perf_counter() - start
        result["flood_lines"] = lines
        from .bench_output import bare_cases

        result.update(bare_cases(kc))
        result["rss_peak"] = peak_rss_mb()
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    emit(result)


def _bare_roundtrip(kc) -> float:
    start = time.perf_counter()
    msg_id = kc.execute("1+1")
    elapsed = None
    while True:
        msg = kc.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result" and elapsed is None:
            elapsed = time.perf_counter() - start
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            kc.get_shell_msg(timeout=10)
            return elapsed


def _bare_run(kc, code: str) -> int:
    """Execute and consume iopub until idle; returns the lines received."""
    msg_id = kc.execute(code)
    lines = 0
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            lines += msg["content"]["text"].count("\n")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            kc.get_shell_msg(timeout=10)
            return lines


# --------------------------------------------------------------------- gui
class StallMeter:
    """The longest gap between 1 ms timer callbacks: how long Tk was frozen."""

    def __init__(self, root) -> None:
        self.root = root
        self.longest = 0.0
        self._last = None
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


def gui_child(t0: float, full: bool, argv: list[str] | None = None, steps=None) -> None:
    """The app as launched with ``argv``, driven through ``steps`` (default: the full run)."""
    from .app import launch

    window = launch(argv or [])
    console, root = window.console, window.root
    result: dict = {}
    steps = iter((steps or _gui_steps)(window, result, full))

    def advance(*_args) -> None:
        try:
            next(steps)
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


def _gui_steps(window, result: dict, full: bool):
    """A generator: each ``yield`` waits until ``window._advance`` is called."""
    console, root = window.console, window.root
    if not full:
        return
    root.after(1000, window._advance)  # settle, then measure idle CPU
    yield
    cpu = time.process_time()
    root.after(int(IDLE_SECONDS * 1000), window._advance)
    yield
    result["idle_cpu"] = 100 * (time.process_time() - cpu) / IDLE_SECONDS
    times: list[float] = []
    yield from roundtrip_steps(window, times)
    result["roundtrip"] = statistics.median(times)

    yield from timed_run(window, FLOOD, result, "flood")
    text = console.transcript()
    result["flood_lines"] = text.count("\n99999\n") and _count_flood_lines(text)

    cpu = time.process_time()
    root.after(int(IDLE_SECONDS * 1000), window._advance)
    yield
    result["idle_cpu_after_flood"] = 100 * (time.process_time() - cpu) / IDLE_SECONDS
    from .bench_output import gui_cases

    yield from gui_cases(window, result)
    result["rss_peak"] = peak_rss_mb()


def roundtrip_steps(window, times: list[float]):
    """``1+1`` ROUND_TRIPS times; appends each time from execute to ``Out`` drawn."""
    console, root = window.console, window.root
    for _ in range(ROUND_TRIPS):
        start = time.perf_counter()
        target = f"Out[{console.prompt_number}]: 2"

        def drawn(start=start, target=target) -> None:
            if target in console.text.get("end-3l linestart", "end"):
                root.update_idletasks()
                times.append(time.perf_counter() - start)
                console.writer.on_render = None

        console.writer.on_render = drawn
        _when_prompt(console, window._advance)
        console.execute("1+1")
        yield


def timed_run(window, code: str, result: dict, name: str):
    """A step: run ``code`` to its next prompt; record ``name`` (s) and
    ``name_stall``, the longest Tk event-loop stall meanwhile."""
    meter = StallMeter(window.root)
    meter.start()
    start = time.perf_counter()
    _when_prompt(window.console, window._advance)
    window.console.execute(code)
    yield
    window.root.update_idletasks()
    result[name] = time.perf_counter() - start
    result[f"{name}_stall"] = meter.stop()


@contextmanager
def private_display() -> Iterator[None]:
    """Xvfb for the length of a benchmark run, unless a display is set."""
    xvfb = ensure_display()
    try:
        yield
    finally:
        if xvfb is not None:
            xvfb.terminate()


def _count_flood_lines(text: str) -> int:
    body = text[text.rindex(FLOOD) + len(FLOOD) :]
    return sum(1 for line in body.splitlines() if line.isdigit())


def _when_prompt(console, callback) -> None:
    def fire(_event) -> None:
        console.unbind("<<ConsolePrompt>>", bind_id)
        console.after_idle(callback)

    bind_id = console.bind("<<ConsolePrompt>>", fire, add="+")


# --------------------------------------------------------------------- driver
def run_child(kind: str, full: bool) -> dict:
    t0 = time.time()
    cmd = [sys.executable, "-m", "tkconsole.bench", "--child", kind, "--t0", repr(t0)]
    if full:
        cmd.append("--full")
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} child failed:\n{out.stderr[-3000:]}")


def ensure_display() -> subprocess.Popen | None:
    """A private Xvfb display unless one is set (the tests use this too)."""
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


METRICS = [  # key, name, unit, scale, compare
    ("startup", "start_to_prompt", "s", 1, "ratio"),
    ("roundtrip", "roundtrip_1plus1", "ms", 1000, "diff"),
    ("flood", "flood_100k_lines", "s", 1, "ratio"),
    ("flood_lines", "flood_lines_kept", "lines", 1, None),
    ("flood_stall", "flood_longest_stall", "ms", 1000, None),
    ("remote_roundtrip", "remote_roundtrip_1plus1", "ms", 1000, "diff"),
    ("remote_roundtrip_tuned", "remote_roundtrip_1plus1_vs_quickack_bare", "ms", 1000, "diff"),
    ("idle_cpu", "idle_cpu_10s", "%", 1, None),
    ("idle_cpu_after_flood", "idle_cpu_10s_after_flood", "%", 1, None),
    ("rss_start", "rss_after_start", "MB", 1, None),
    ("rss_peak", "rss_peak", "MB", 1, None),
]


def report(gui: dict, bare: dict) -> list[str]:
    from .bench_output import metrics

    lines = []
    for key, name, unit, scale, compare in METRICS + metrics() + bench_typing.METRICS:
        if key not in gui:
            continue
        value = gui[key] * scale
        line = f"{name} {value:.4g} {unit}"
        if key in bare:
            base = bare[key] * scale
            line += f"  bare {base:.4g} {unit}"
            if compare == "ratio" and base:
                line += f"  ratio {value / base:.3f}x"
            elif compare == "diff":
                line += f"  diff {value - base:+.3g} {unit}"
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tkconsole.bench")
    children = {**bench_remote.CHILDREN, **bench_typing.CHILDREN}
    parser.add_argument("--child", choices=["gui", "bare", *children])
    parser.add_argument("--t0", type=float)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--startups", type=int, default=5, help="start-up runs per side")
    args = parser.parse_args(argv)
    if args.child in children:
        children[args.child](args.t0, args.full)
        return 0
    if args.child:
        (gui_child if args.child == "gui" else bare_child)(args.t0, args.full)
        return 0
    with private_display():
        starts: dict[str, list[float]] = {"gui": [], "bare": []}
        for _ in range(args.startups):
            for kind in ("bare", "gui"):
                starts[kind].append(run_child(kind, full=False)["startup"])
        bare = run_child("bare", full=True)
        gui = run_child("gui", full=True)
        bare["startup"] = statistics.median(starts["bare"])
        gui["startup"] = statistics.median(starts["gui"])
        remote_gui, remote_bare = bench_remote.measure(run_child)
        gui.update(remote_gui)
        bare.update(remote_bare)
        gui.update(run_child("typing", True))
        for line in report(gui, bare):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
