"""Core metrics: start to first prompt, ``1+1``, the 100k-line flood, idle CPU, memory.

Each is measured for tkconsole and for a bare jupyter_client client in the
same run, each side in a process of its own (``common.run_child``).
"""

from __future__ import annotations

import statistics
import time

from . import output
from .common import (
    after_each_render,
    bare_run,
    emit,
    gui_child,
    peak_rss_mb,
    rss_mb,
    timed_run,
    wanted_case,
    when_prompt,
)

FLOOD = "for i in range(100000): print(i)"
ROUND_TRIPS = 50
IDLE_SECONDS = 10.0

METRICS = [  # key, name, unit, scale, compare
    ("startup", "start_to_prompt", "s", 1, "ratio"),
    ("startup_embedded", "start_to_prompt_embedded", "s", 1, "ratio"),
    ("roundtrip", "roundtrip_1plus1", "ms", 1000, "diff"),
    ("flood", "flood_100k_lines", "s", 1, "ratio"),
    ("flood_lines", "flood_lines_kept", "lines", 1, None),
    ("flood_stall", "flood_longest_stall", "ms", 1000, None),
    ("flood_idle_to_prompt", "flood_idle_to_prompt", "ms", 1000, None),
    ("idle_cpu", "idle_cpu_10s", "%", 1, None),
    ("idle_cpu_after_flood", "idle_cpu_10s_after_flood", "%", 1, None),
    ("rss_start", "rss_after_start", "MB", 1, None),
    ("rss_start_embedded", "rss_after_start_embedded", "MB", 1, None),
    ("rss_peak", "rss_peak", "MB", 1, None),
]


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
        if wanted_case("idle"):
            cpu = time.process_time()
            time.sleep(IDLE_SECONDS)
            result["idle_cpu"] = 100 * (time.process_time() - cpu) / IDLE_SECONDS
        if wanted_case("roundtrip"):
            trips = [_bare_roundtrip(kc) for _ in range(ROUND_TRIPS)]
            result["roundtrip"] = statistics.median(trips)
        if wanted_case("flood"):
            start = time.perf_counter()
            result["flood_lines"] = bare_run(kc, FLOOD)
            result["flood"] = time.perf_counter() - start
        result.update(output.bare_cases(kc))
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


# --------------------------------------------------------------------- gui
def embedded(t0: float, _full: bool) -> None:
    """A Tk program that imports tkconsole and packs a ``ConsoleWidget``: to its prompt."""
    import tkinter as tk

    from tkconsole import ConsoleWidget

    root = tk.Tk()
    console = ConsoleWidget(root)
    console.pack(fill="both", expand=True)
    result: dict = {}

    def first_prompt(_event) -> None:
        if not result:
            result["startup_embedded"] = time.time() - t0
            result["rss_start_embedded"] = rss_mb()
            root.after_idle(root.destroy)

    console.bind("<<ConsolePrompt>>", first_prompt, add="+")
    root.mainloop()
    emit(result)


def gui(t0: float, full: bool) -> None:
    gui_child(t0, [], _gui_steps if full else lambda _w, _r: iter(()))


def _gui_steps(window, result: dict):
    console, root = window.console, window.root
    root.after(1000, window._advance)  # settle
    yield
    if wanted_case("idle"):
        yield from _idle_cpu(root, window, result, "idle_cpu")
    if wanted_case("roundtrip"):
        times: list[float] = []
        yield from roundtrip_steps(window, times)
        result["roundtrip"] = statistics.median(times)
    if wanted_case("flood"):
        yield from timed_run(window, FLOOD, result, "flood")
        result["flood_lines"] = _count_flood_lines(console.transcript())
        if wanted_case("idle"):
            yield from _idle_cpu(root, window, result, "idle_cpu_after_flood")
    yield from output.gui_cases(window, result)
    result["rss_peak"] = peak_rss_mb()


def _idle_cpu(root, window, result: dict, key: str):
    """A step: the GUI's CPU use over IDLE_SECONDS of doing nothing."""
    cpu = time.process_time()
    root.after(int(IDLE_SECONDS * 1000), window._advance)
    yield
    result[key] = 100 * (time.process_time() - cpu) / IDLE_SECONDS


def roundtrip_steps(window, times: list[float]):
    """``1+1`` ROUND_TRIPS times; appends each time from execute to ``Out`` drawn."""
    console, root = window.console, window.root
    for _ in range(ROUND_TRIPS):
        start = time.perf_counter()
        target = f"Out[{console.prompt_number}]: 2"

        def drawn(start=start, target=target) -> bool:
            if target not in console.text.get("end-3l linestart", "end"):
                return False
            root.update_idletasks()
            times.append(time.perf_counter() - start)
            return True

        after_each_render(console, drawn)
        when_prompt(console, window._advance)
        console.execute("1+1")
        yield


def _count_flood_lines(text: str) -> int:
    body = text[text.rindex(FLOOD) + len(FLOOD) :]
    return sum(1 for line in body.splitlines() if line.isdigit())
