"""Why the window stalled: ``python -m benchmarks.stall_trace [CASE ...]``.

Runs the app (private Xvfb, its own settings) through ``1+1`` and then each
case (a name from ``benchmarks.output.CASES`` or code), and for every gap
over ``--over`` ms between 1 ms Tk timer callbacks prints where the Tk
thread was meanwhile:

- ``cpu``: time it ran (``time.thread_time``), ticks: the pump's share;
- ``runq``: time it was runnable but not running (``schedstat``: the
  machine's other work);
- a sampler process reading the thread's current system call every
  0.3 ms: ``gil`` (a futex inside libpython: another thread holds the GIL),
  ``x`` (``poll``: Xlib waits for the X server), ``tcl`` (another futex:
  Tcl waiting for events), ``run`` (running or runnable);
- the cyclic GC's collections that overlapped the gap, by thread.

Linux only (``/proc``).  Not part of ``python -m benchmarks``.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import output
from .common import gui_child, private_display, timed_run

T = time.perf_counter


def schedstat() -> tuple[float, float]:
    """(seconds run, seconds waited on a run queue) of the calling thread."""
    with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as f:
        run, wait, _ = f.read().split()
    return int(run) / 1e9, int(wait) / 1e9


def sample(pid: int, tid: int, out: str, stop: str) -> None:
    """The sampler process: (time, state, syscall, first argument) rows."""
    base = f"/proc/{pid}/task/{tid}/"
    rows = []
    while not os.path.exists(stop):
        try:
            with open(base + "syscall") as f:
                call = f.read().split()
            with open(base + "stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            break
        rows.append((T(), state, call[0], call[1] if len(call) > 1 else ""))
        time.sleep(0.0003)
    Path(out).write_text(json.dumps(rows))


class Trace:
    """Meter gaps, pump ticks and GC collections of one process, with times."""

    def __init__(self) -> None:
        self.events: list[tuple] = []
        self.on = False
        self._gc_start: dict[str, float] = {}
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict) -> None:
        name = threading.current_thread().name
        if phase == "start":
            self._gc_start[name] = T()
        elif self.on and name in self._gc_start:
            start = self._gc_start.pop(name)
            self.events.append((start, "gc", T() - start, info["generation"], name))

    def attach(self, window) -> None:
        from tkconsole.ui import pump

        tick = pump._pump._work

        def traced(start: float):
            t0, c0, s0 = T(), time.thread_time(), schedstat()
            queued = pump._pump.queue.qsize()
            result = tick(start)
            if self.on:
                cpu, runq = time.thread_time() - c0, schedstat()[1] - s0[1]
                self.events.append((t0, "tick", T() - t0, cpu, runq, queued))
            return result

        pump._pump._work = traced
        root, last = window.root, [T(), time.thread_time(), schedstat()[1]]

        def meter() -> None:
            now, cpu, runq = T(), time.thread_time(), schedstat()[1]
            if self.on:
                self.events.append((now, "gap", now - last[0], cpu - last[1], runq - last[2]))
            last[:] = now, cpu, runq
            root.after(1, meter)

        root.after(1, meter)


def classify(row: tuple) -> str:
    _t, state, call, arg = row
    if state == "R":
        return "run"
    if call == "202":
        address = int(arg, 16)
        return "gil" if any(address in span for span in LIBPYTHON) else "tcl"
    return {"7": "x", "230": "sleep"}.get(call, call)


LIBPYTHON: list[range] = []


def libpython_spans() -> list[range]:
    """Where libpython (or a static python executable) is mapped: the GIL lives there."""
    spans, exe = [], os.path.realpath(sys.executable)
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) > 5 and ("libpython" in parts[5] or parts[5] == exe):
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                spans.append(range(lo, hi))
    return spans


def report(name: str, result: dict, events: list[tuple], samples: list, over: float) -> None:
    print(f"\n{name}: {result.get('case', 0):.2f} s, longest stall "
          f"{result.get('case_stall', 0) * 1000:.0f} ms")  # fmt: skip
    ticks = [e for e in events if e[1] == "tick"]
    if ticks:
        wall, cpu, runq = (sum(e[i] for e in ticks) * 1000 for i in (2, 3, 4))
        print(f"  {len(ticks)} ticks: {wall:.0f} ms, cpu {cpu:.0f}, runq {runq:.0f}, "
              f"blocked {wall - cpu - runq:.0f}")  # fmt: skip
    shares = collections.Counter(map(classify, samples))
    total = sum(shares.values()) or 1
    print("  Tk thread samples:", {k: f"{v / total:.0%}" for k, v in shares.most_common()})
    for gap in (e for e in events if e[1] == "gap" and e[2] > over):
        end, start = gap[0], gap[0] - gap[2]
        inside = [e for e in ticks if start <= e[0] <= end]
        seen = collections.Counter(classify(s) for s in samples if start < s[0] < end)
        gcs = [f"gen{e[3]} {e[2] * 1000:.1f}ms {e[4]}" for e in events
               if e[1] == "gc" and start <= e[0] + e[2] and e[0] <= end]  # fmt: skip
        busy = sum(e[2] for e in inside) * 1000
        queue = max((e[5] for e in inside), default=0)
        print(f"  gap {gap[2] * 1000:5.0f} ms: cpu {gap[3] * 1000:.1f}, runq {gap[4] * 1000:.1f}, "
              f"ticks {len(inside)} ({busy:.1f} ms, queue {queue}), samples {dict(seen)}, "
              f"gc {gcs}")  # fmt: skip


def main() -> None:
    global LIBPYTHON
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=["cr_bar_20k_steps"])
    parser.add_argument("--over", type=float, default=33, help="ms; gaps to explain")
    args = parser.parse_args()
    sys.argv = sys.argv[:1]  # the app parses its own
    LIBPYTHON = libpython_spans()
    trace, tmp = Trace(), tempfile.mkdtemp(prefix="stall-trace-")
    os.environ.setdefault("TKCONSOLE_CONFIG_DIR", tmp)
    os.environ.setdefault("TKCONSOLE_DATA_DIR", tmp)
    Path(tmp, "settings.toml").write_text('[session]\nrestore = "off"\n')

    def steps(window, result):
        trace.attach(window)
        yield from timed_run(window, "1+1", result, "warm")
        for name in args.cases:
            code = output.CASES.get(name, name)
            out, stop = Path(tmp, "samples.json"), Path(tmp, "stop")
            stop.unlink(missing_ok=True)
            tid = threading.get_native_id()
            call = f"sample({os.getpid()}, {tid}, {str(out)!r}, {str(stop)!r})"
            code_ = f"from benchmarks.stall_trace import sample; {call}"
            sampler = subprocess.Popen([sys.executable, "-c", code_])
            trace.events.clear()
            trace.on = True
            case: dict = {}
            yield from timed_run(window, code, case, "case")
            trace.on = False
            stop.touch()
            sampler.wait()
            report(
                name[:40], case, list(trace.events), json.loads(out.read_text()), args.over / 1000
            )

    with private_display():
        gui_child(time.time(), [], steps)


if __name__ == "__main__":
    main()
