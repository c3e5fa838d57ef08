"""Soak: long mixed work in one window, and the counts that must stay flat.

``python -m benchmarks --only soak`` (20 minutes; ``--soak-minutes N`` or
``python -m benchmarks.soak --minutes N``).  One window does, round after
round: a print flood, images, a long traceback, ipywidgets created and
closed, tqdm bars, and a tab opened and closed (100 over the run, every
other one on a new kernel), then clears the screen as a person would.  After
each round it counts what a leak would grow: the process's RSS, Tk images,
text tags, widgets, pending ``after`` callbacks and threads.  The first
rounds are warm-up (imports, caches, the first kernel's widgets); the report
gives each count at the start (after warm-up), the end and its peak.

``tests/integration/test_soak.py`` runs a short variant and asserts the
counts; times are only measured here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .common import ROOT, emit, private_display, rss_mb

MINUTES = 20.0
TABS = 100
WARM_UP_ROUNDS = 3  # the third builds a few ttk style images once (a new kernel's tab)
IMAGE = (
    "from PIL import Image; from IPython.display import display; import io\n"
    "for shade in range(0, 250, 50):\n"
    "    buffer = io.BytesIO(); Image.new('RGB', (120, 80), (shade, 90, 160)).save(buffer, 'png')\n"
    "    display(Image.open(io.BytesIO(buffer.getvalue())))"
)
WORK = (  # (name, code): one round runs them all, in order
    ("flood", "for i in range(20000): print('line', i)"),
    ("images", IMAGE),
    ("traceback", "def deep(n):\n    return deep(n - 1) if n else 1 / 0\ndeep(60)"),
    ("widgets", "import ipywidgets as w\nfrom IPython.display import display\n"
     "parts = [w.IntSlider(i), w.Text('t'), w.Checkbox(True), w.IntProgress(3, max=9)]\n"
     "box = w.VBox(parts); display(box)\n"
     "w.Widget.close_all()  # the bars left by tqdm too, and every Layout and Style model"),
    ("tqdm", "from tqdm.auto import tqdm\nfor _ in tqdm(range(300)): pass"),
    ("tqdm-text", "from tqdm import tqdm\nfor _ in tqdm(range(300)): pass"),
)  # fmt: skip
COUNTS = ("rss_mb", "record_mb", "models", "images", "tags", "widgets", "after", "threads")


def counts(root: Any, consoles: list[Any]) -> dict[str, float]:
    """What a leak would grow, counted over the whole Tk interpreter and process.

    ``record_mb``: the session records of ``consoles`` (every cell's outputs,
    kept on purpose for Save as…), which grow with the work by design.
    """
    widgets, tags = 0, 0
    stack = [root]
    while stack:
        widget = stack.pop()
        widgets += 1
        if widget.winfo_class() == "Text":
            tags += len(widget.tag_names())
        stack.extend(widget.winfo_children())
    models = sum(len(console.widgets.manager.models) for console in consoles)
    cells = [cell for console in consoles for cell in console.record.cells]
    record = sum(len(json.dumps(cell.outputs)) for cell in cells)
    return {
        "rss_mb": round(rss_mb(), 1),
        "record_mb": round(record / 2**20, 1),
        "models": models,  # ipywidgets models the kernel holds open
        "images": len(root.tk.splitlist(root.tk.call("image", "names"))),
        "tags": tags,
        "widgets": widgets,
        "after": len(root.tk.splitlist(root.tk.call("after", "info"))),
        "threads": threading.active_count(),
    }


def _tag_names(root: Any) -> set[str]:
    names: set[str] = set()
    stack = [root]
    while stack:
        widget = stack.pop()
        if widget.winfo_class() == "Text":
            names.update(f"{widget}:{tag}" for tag in widget.tag_names())
        stack.extend(widget.winfo_children())
    return names


class Soak:
    """Rounds of mixed work in ``window``; ``samples`` holds the counts after each."""

    def __init__(self, window: Any, step: Callable[[], None] | None = None) -> None:
        self.window = window
        self.root = window.root
        self.step = step or self.root.update
        self.samples: list[dict[str, float]] = []
        self.tag_names: list[set[str]] = []  # after each round: to name the tags that grew
        self.image_names: list[set[str]] = []  # and the images
        self.tabs_opened = 0

    def wait(self, predicate: Callable[[], object], timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > end:
                raise TimeoutError("soak step timed out")
            self.step()
            time.sleep(0.002)

    def settle(self, seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.step()
            time.sleep(0.01)

    def run_code(self, console: Any, code: str) -> None:
        self.wait(console.is_idle)
        console.execute(code)
        self.wait(lambda: console.is_idle() and not console.writer.pending())

    def round(self, console: Any, open_tab: bool) -> dict[str, float]:
        for _name, code in WORK:
            self.run_code(console, code)
        if open_tab:
            self.tab_round_trip()
        console.editing.run("clear-screen")  # Ctrl+L, as a person tidies up
        self.settle()
        sample = counts(self.root, [t.console for t in self.window.tabs.all()])
        self.samples.append(sample)
        self.tag_names.append(_tag_names(self.root))
        self.image_names.append(set(self.root.tk.splitlist(self.root.tk.call("image", "names"))))
        return sample

    def tab_round_trip(self) -> None:
        """A tab opened, used and closed: every other one on a kernel of its own."""
        window = self.window
        current = window.tabs.current()
        if self.tabs_opened % 2:
            tab = window.open_kernel("python3")
        else:
            tab = window.new_tab_same_kernel()
        self.tabs_opened += 1
        self.run_code(tab.console, "print('tab', 1 + 1)")
        window.close_tab(tab, ask=False)
        window.tabs.select(current.frame)

    def run(self, seconds: float, tabs: int, min_rounds: int = WARM_UP_ROUNDS + 3) -> dict:
        """Rounds until ``seconds`` have passed (and at least ``min_rounds``)."""
        console = self.window.tabs.current().console
        self.wait(console.is_idle)
        started = time.monotonic()
        cpu = time.process_time()
        per_round = None
        while True:
            begun = time.monotonic()
            due = self._tab_due(time.monotonic() - started, seconds, tabs)
            self.round(console, due)
            per_round = per_round or time.monotonic() - begun
            done = time.monotonic() - started
            if done >= seconds and len(self.samples) >= min_rounds:
                break
        return self.report(time.monotonic() - started, time.process_time() - cpu)

    def _tab_due(self, elapsed: float, seconds: float, tabs: int) -> bool:
        """Spread ``tabs`` evenly over the run (all of them, however long a round takes)."""
        return self.tabs_opened < min(tabs, int(tabs * elapsed / max(seconds, 1e-9)) + 1)

    def report(self, wall: float, cpu: float) -> dict:
        after_warm_up = self.samples[WARM_UP_ROUNDS:] or self.samples
        figures: dict[str, Any] = {"rounds": len(self.samples), "tabs": self.tabs_opened,
                                   "wall_s": round(wall, 1), "cpu_s": round(cpu, 1)}  # fmt: skip
        for key in COUNTS:
            series = [s[key] for s in after_warm_up]
            start, middle, end = series[0], series[len(series) // 2], series[-1]
            figures[key] = {"start": start, "mid": middle, "end": end, "peak": max(series)}
        mid = len(self.samples) - len(after_warm_up) + len(after_warm_up) // 2  # its round
        figures["new_tags"] = sorted(self.tag_names[-1] - self.tag_names[mid])[:10]
        images = self.image_names[mid]
        call = self.root.tk.call
        figures["new_images"] = [
            f"{name} {call('image', 'width', name)}x{call('image', 'height', name)}"
            for name in sorted(self.image_names[-1] - images)[:10]
        ]
        return figures


AFTER_SLACK = 2  # pending timers come and go (a poll, a focus check): a leak adds one a round


def flat(figures: dict, rss_slack_mb: float = 30.0) -> list[str]:
    """The counts that grew over the second half of the run (a leak grows every
    round; a style ttk builds the first time a widget state shows is a one-off).
    RSS may grow by what the session records grew (kept on purpose), and
    ``rss_slack_mb`` beyond that."""
    record = figures["record_mb"]["end"] - figures["record_mb"]["mid"]
    slack = {"rss_mb": rss_slack_mb + record, "after": AFTER_SLACK, "record_mb": float("inf")}
    grown = []
    for key in COUNTS:
        middle, end = figures[key]["mid"], figures[key]["end"]
        if end > middle + slack.get(key, 0):
            grown.append(f"{key} {middle} -> {end}")
    return grown


def child(minutes: float, tabs: int) -> None:
    """The soak in this process: a real window on a private display."""
    from tkconsole.connector import Connector
    from tkconsole.ui.mainwindow import MainWindow

    connector = Connector(recent_path=Path(os.environ["TKCONSOLE_CONFIG_DIR"]) / "recent.json")
    window = MainWindow(connector)
    connector.serve(window)
    window.open_kernel("python3")
    figures = Soak(window).run(minutes * 60, tabs)
    figures["grown"] = flat(figures)
    window.close()
    emit(figures)


def measure(minutes: float = MINUTES, tabs: int = TABS) -> dict:
    with tempfile.TemporaryDirectory() as sandbox, private_display():
        env = dict(os.environ)
        env["TKCONSOLE_CONFIG_DIR"] = str(Path(sandbox) / "config")
        env["TKCONSOLE_DATA_DIR"] = str(Path(sandbox) / "data")
        cmd = [sys.executable, "-m", "benchmarks.soak", "--child", "--minutes", str(minutes),
               "--tabs", str(tabs)]  # fmt: skip
        timeout = minutes * 60 * 3 + 600
        out = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env
        )
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"soak child failed:\n{out.stderr[-3000:]}")


def rows(figures: dict) -> list[tuple[str, str, str]]:
    """``(case, figure, target)`` rows, as the benchmark driver prints them."""
    head = (f"soak: {figures['rounds']} rounds, {figures['tabs']} tabs opened and closed, "
            f"{figures['wall_s']} s wall, {figures['cpu_s']} s CPU")  # fmt: skip
    found = [(head, "", "")]
    for key in COUNTS:
        f = figures[key]
        target = {
            "rss_mb": "flat (+ the records' growth + 30 MB)",
            "record_mb": "grows with the work",
        }.get(key, "flat")
        figure = f"start {f['start']}  mid {f['mid']}  end {f['end']}  peak {f['peak']}"
        found.append((f"soak {key}", figure,
                      target))  # fmt: skip
    return found


def run() -> list[tuple[str, str, str]]:
    minutes = float(os.environ.get("TKCONSOLE_SOAK_MINUTES", MINUTES))
    return rows(measure(minutes))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--minutes", type=float, default=MINUTES)
    parser.add_argument("--tabs", type=int, default=TABS)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        child(args.minutes, args.tabs)
        return 0
    figures = measure(args.minutes, args.tabs)
    for case, figure, target in rows(figures):
        print(f"{case} {figure}" + (f"  target {target}" if target else ""), flush=True)
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
