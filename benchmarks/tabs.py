"""Tab benchmarks: ``python -m benchmarks.tabs`` (also part of ``python -m benchmarks``).

- a new tab to its first prompt, against a bare jupyter_client client's
  kernel start to ``wait_for_ready`` (target: within 1.15x);
- ten tabs open: still one loop thread, and the GUI process's growth per
  tab (target: under 5 MB; the kernels are processes of their own);
- switching tabs: select and redraw (target: under 50 ms).

Each side runs in a process of its own under a private Xvfb.  ``run()``
returns ``(metric, value, target)`` rows.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from .common import ROOT, private_display, rss_mb

STARTS = 5  # new tabs (and bare starts) timed
TABS = 10
SWITCHES = 40
OUTPUT = "print('\\n'.join(f'line {i} ' * 4 for i in range(300)))"  # something to redraw


def _wait(root, predicate, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("benchmark step timed out")
        root.update()
        time.sleep(0.001)


def gui_child() -> dict:
    """Open tabs in the real window and time them; one dict of results."""
    from tkconsole.connector import Connector
    from tkconsole.kernel.loop import THREAD_NAME
    from tkconsole.ui.mainwindow import MainWindow

    connector = Connector(recent_path=Path(os.environ["TKCONSOLE_CONFIG_DIR"]) / "recent.json")
    window = MainWindow(connector)
    connector.serve(window)
    root = window.root
    first = window.open_kernel("python3")
    _wait(root, first.console.is_idle)
    root.after(300)  # let the first tab settle before timing the next ones
    starts = []
    for _ in range(STARTS):
        start = time.perf_counter()
        tab = window.open_kernel("python3")
        _wait(root, tab.console.is_idle)
        starts.append(time.perf_counter() - start)
    for tab in window.tabs.all():
        tab.console.execute(OUTPUT)
    _wait(root, lambda: all(t.console.is_idle() for t in window.tabs.all()))
    root.update()
    base = rss_mb()
    opened = len(window.tabs.all())
    while len(window.tabs.all()) < opened + TABS:
        tab = window.open_kernel("python3")
        _wait(root, tab.console.is_idle)
        tab.console.execute(OUTPUT)
        _wait(root, tab.console.is_idle)
    root.update()
    growth = (rss_mb() - base) / TABS
    loops = sum(t.name == THREAD_NAME for t in threading.enumerate())
    switches = []
    count = len(window.tabs.all())
    for i in range(SWITCHES):
        start = time.perf_counter()
        window.tabs.select(i % count)
        root.update()
        switches.append(time.perf_counter() - start)
    result = {
        "new_tab": statistics.median(starts),
        "tabs": len(window.tabs.all()),
        "loop_threads": loops,
        "rss_per_tab": growth,
        "switch": statistics.median(switches),
        "switch_max": max(switches),
    }
    window.close()
    return result


def bare_child() -> dict:
    """A bare client's kernel start: start_kernel to wait_for_ready."""
    from jupyter_client import KernelManager

    times = []
    for _ in range(STARTS):
        start = time.perf_counter()
        km = KernelManager(kernel_name="python3")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(60)
        times.append(time.perf_counter() - start)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {"start": statistics.median(times)}


def _child(kind: str) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.tabs", "--child", kind]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} child failed:\n{out.stderr[-3000:]}")


def run() -> list[tuple[str, str, str]]:
    """The rows: (metric, measured value, target)."""
    import tempfile

    with tempfile.TemporaryDirectory() as sandbox, private_display():
        os.environ.setdefault("TKCONSOLE_CONFIG_DIR", str(Path(sandbox) / "config"))
        os.environ.setdefault("TKCONSOLE_DATA_DIR", str(Path(sandbox) / "data"))
        bare = _child("bare")
        gui = _child("gui")
    ratio = gui["new_tab"] / bare["start"]
    return [
        ("new tab to first prompt", f"{gui['new_tab']:.3f} s (bare start {bare['start']:.3f} s, "
         f"{ratio:.2f}x)", "<= 1.15x"),
        (f"{gui['tabs']} tabs open: loop threads", str(gui["loop_threads"]), "1"),
        ("GUI memory per tab", f"{gui['rss_per_tab']:.2f} MB", "< 5 MB"),
        ("tab switch redraw", f"{1000 * gui['switch']:.1f} ms median, "
         f"{1000 * gui['switch_max']:.1f} ms max", "< 50 ms"),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        result = gui_child() if args[1] == "gui" else bare_child()
        print("RESULT " + json.dumps(result), flush=True)
        return 0
    for name, value, target in run():
        print(f"{name}: {value}  (target {target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
