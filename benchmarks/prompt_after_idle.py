"""The prompt right after idle: the 100k-line flood, 20 times over.

``python -m benchmarks --only prompt_after_idle`` runs the flood
``RUNS`` times in one tkconsole process (a fresh prompt each time, the
scrollback full from the second run on) and in one bare jupyter_client
client, and reports the medians, the ratio, and for tkconsole the time
from the kernel's idle status reaching the console to the next prompt:
its worst case and in how many runs it stayed within ``TARGET_S``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from .common import bare_run, emit, gui_child, run_child, timed_run
from .core import FLOOD

RUNS = 20
TARGET_S = 0.050


def gui_child_flood(t0: float, _full: bool) -> None:
    def steps(window, result: dict):
        times: list[float] = []
        delays: list[float] = []
        stalls: list[float] = []
        window.root.after(500, window._advance)
        yield
        for _ in range(RUNS):
            one: dict = {}
            yield from timed_run(window, FLOOD, one, "flood")
            times.append(one["flood"])
            delays.append(one.get("flood_idle_to_prompt", float("inf")))
            stalls.append(one["flood_stall"])
        result.update(times=times, delays=delays, stalls=stalls)

    gui_child(t0, [], steps)


def bare_child_flood(_t0: float, _full: bool) -> None:
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(60)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        bare_run(kc, FLOOD)
        times.append(time.perf_counter() - start)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    emit({"times": times})


CHILDREN: dict[str, Callable[[float, bool], None]] = {
    "flood20": gui_child_flood,
    "flood20_bare": bare_child_flood,
}


def run() -> list[tuple[str, str, str]]:
    bare = run_child("flood20_bare", True)
    gui = run_child("flood20", True)
    ours, base = statistics.median(gui["times"]), statistics.median(bare["times"])
    delays = gui["delays"]
    within = sum(d <= TARGET_S for d in delays)
    return [
        (f"flood_100k_x{RUNS}_median", f"{ours:.3f} s", f"{base:.3f} s (ratio {ours / base:.3f}x)"),
        (
            "flood_idle_to_prompt",
            f"median {statistics.median(delays) * 1000:.1f} ms, worst {max(delays) * 1000:.1f} ms,"
            f" {within}/{len(delays)} within {TARGET_S * 1000:.0f} ms",
            "",
        ),
        ("flood_longest_stall_worst", f"{max(gui['stalls']) * 1000:.1f} ms", ""),
    ]
