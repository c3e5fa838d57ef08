"""ipywidgets benchmarks: tqdm.notebook vs tqdm, a dragged slider, 200 widgets.

Run alone: ``python -m benchmarks.widgets`` (a private Xvfb when no display
is set).  ``run()`` returns ``(name, value, note)`` rows for the benchmark
script.  Everything is measured in one console on a real ipykernel.
"""

from __future__ import annotations

import contextlib
import statistics
import time
import tkinter as tk

from .common import StallMeter, bare_run, private_display, rss_mb

RUNS = 5
IMPORTS = "from tqdm import tqdm as plain_tqdm\nfrom tqdm.notebook import tqdm as nb_tqdm"
LOOP = "for _i in {mod}(range(10000)):\n    pass"
# the same 10,000 steps doing 0.1 ms of work each (about 1 s): what a real loop looks like,
# and long enough that the machine's noise does not decide the ratio
WORK_LOOP = (
    "import time\nfor _i in {mod}(range(10000)):\n"
    "    _end = time.perf_counter() + 1e-4\n    while time.perf_counter() < _end:\n        pass"
)
DRAG_SECONDS = 2.0
DRAG_EVERY_MS = 4  # a mouse reports motion about this often
WIDGETS = 200
FRAME_BUDGET_MS = 33


class Bench:
    """One console in a window of its own, driven by ``after`` callbacks."""

    def __init__(self) -> None:
        import ttkbootstrap as ttk

        from tkconsole import ConsoleWidget

        self.root = ttk.App(title="widgets benchmark", theme="bootstrap-light", size=(900, 700))
        self.console = ConsoleWidget(self.root)
        self.console.pack(fill="both", expand=True)
        self.wait(self.console.is_idle, 120)

    def wait(self, predicate, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > end:
                raise TimeoutError(f"benchmark step timed out: {self.console.transcript()[-300:]}")
            self.root.update()
            time.sleep(0.002)

    def run(self, code: str, timeout: float = 120.0) -> float:
        """Seconds from execute to the next prompt, waiting in Tk's own loop
        (a polling wait would take CPU from the kernel on a 2-core machine)."""
        done = tk.BooleanVar(self.root, value=False)
        bind_id = self.console.bind("<<ConsolePrompt>>", lambda _e: done.set(True), add="+")
        give_up = self.root.after(int(timeout * 1000), lambda: done.set(True))
        start = time.perf_counter()
        self.console.execute(code)
        self.root.wait_variable(done)
        self.root.update_idletasks()
        elapsed = time.perf_counter() - start
        self.root.after_cancel(give_up)
        self.console.unbind("<<ConsolePrompt>>", bind_id)
        if elapsed >= timeout:
            raise TimeoutError(f"{code!r} did not finish: {self.console.transcript()[-300:]}")
        return elapsed

    def views(self, cls) -> list:
        found, stack = [], [self.console]
        while stack:
            w = stack.pop()
            if isinstance(w, cls):
                found.append(w)
            stack.extend(w.winfo_children())
        return sorted(found, key=lambda v: v.serial)


def tqdm_rows(bench: Bench) -> list[tuple[str, str, str]]:
    bench.run(IMPORTS)
    bench.run(LOOP.format(mod="nb_tqdm"))  # warm: the widget views load with the first one
    rows = []
    bare = bare_tqdm()
    for label, loop in (("", LOOP), (", 0.1 ms work a step", WORK_LOOP)):
        plain, notebook = [], []
        for _ in range(RUNS):
            plain.append(bench.run(loop.format(mod="plain_tqdm")))
            notebook.append(bench.run(loop.format(mod="nb_tqdm")))
        p, n = statistics.median(plain), statistics.median(notebook)
        bare_p, bare_n = bare[loop]
        rows += [
            (f"tqdm 10,000 steps{label}", f"{p:.3f} s",
             f"median of {RUNS}; bare client {bare_p:.3f} s"),
            (f"tqdm.notebook 10,000 steps{label}", f"{n:.3f} s",
             f"{n / p:.2f}x plain tqdm (target ≤ 1.2x); bare client {bare_n:.3f} s"),
        ]  # fmt: skip
    return rows


def bare_tqdm() -> dict[str, tuple[float, float]]:
    """loop -> (plain, notebook) medians with a bare jupyter_client: the kernel's own time."""
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(60)
        bare_run(kc, IMPORTS)
        bare_run(kc, LOOP.format(mod="nb_tqdm"))
        result = {}
        for loop in (LOOP, WORK_LOOP):
            times: dict[str, list[float]] = {"plain_tqdm": [], "nb_tqdm": []}
            for _ in range(RUNS):
                for mod, runs in times.items():
                    start = time.perf_counter()
                    bare_run(kc, loop.format(mod=mod))
                    runs.append(time.perf_counter() - start)
            medians = statistics.median(times["plain_tqdm"]), statistics.median(times["nb_tqdm"])
            result[loop] = medians
        return result
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def drag_rows(bench: Bench) -> list[tuple[str, str, str]]:
    from tkconsole.ui.widgets.sliders import IntSliderView

    setup = "import ipywidgets as w\n_n = 0\n_s = w.IntSlider(max=1000)\n"
    setup += "def _count(_ch):\n    global _n\n    _n += 1\n_s.observe(_count, 'value')\n_s"
    bench.run(setup)
    scale = bench.views(IntSliderView)[-1].scale
    scale.update()
    x0, y0 = scale.coords()
    width = scale.winfo_width()
    meter = StallMeter(bench.root)
    scale.event_generate("<ButtonPress-1>", x=x0, y=y0)
    start = time.perf_counter()
    done = []

    def step(i: int = 0) -> None:
        elapsed = time.perf_counter() - start
        if elapsed >= DRAG_SECONDS:
            scale.event_generate("<ButtonRelease-1>", x=x0, y=y0, state=0x100)
            done.append(elapsed)
            return
        phase = (elapsed / 0.5) % 2  # sweep across and back every second
        x = int(5 + (width - 10) * (phase if phase <= 1 else 2 - phase))
        scale.event_generate("<B1-Motion>", x=x, y=y0, state=0x100)
        bench.root.after(DRAG_EVERY_MS, step, i + 1)

    meter.start()
    step()
    bench.wait(lambda: done)
    stall = meter.stop()
    bench.root.after(300)  # the last frame's update reaches the kernel
    bench.run("print('updates', _n)")
    count = int(bench.console.transcript().rsplit("updates ", 1)[1].split()[0])
    rate = count / done[0]
    return [
        ("slider dragged 2 s: kernel updates", f"{rate:.0f} /s", "flushed once per 16 ms frame"),
        ("slider dragged 2 s: longest stall", f"{stall * 1000:.1f} ms", "target < 33 ms"),
    ]


def scroll_rows(bench: Bench) -> list[tuple[str, str, str]]:
    code = (
        "import ipywidgets as w\nfrom IPython.display import display\n"
        f"for _i in range({WIDGETS // 4}):\n"
        "    display(w.IntSlider(_i, description=f's{_i}'))\n"
        "    display(w.Button(description=f'b{_i}'))\n"
        "    display(w.FloatProgress(_i % 10, max=10))\n"
        "    display(w.HBox([w.Text('t'), w.Checkbox(True, description='c')]))"
    )
    shown = bench.run(code)
    text = bench.console.text
    text.yview_moveto(1.0)
    bench.root.update()
    frames = []
    for fraction in [1 - i / 60 for i in range(61)] + [i / 60 for i in range(61)]:
        start = time.perf_counter()
        text.yview_moveto(fraction)
        bench.root.update_idletasks()
        bench.root.update()
        frames.append(time.perf_counter() - start)
    frames.sort()
    return [
        (f"{WIDGETS} widgets displayed", f"{shown:.2f} s", "50 each of slider, button, bar, HBox"),
        ("scrolling through them, per frame", f"{statistics.median(frames) * 1000:.1f} ms",
         f"median; 95th percentile {frames[int(len(frames) * 0.95)] * 1000:.1f} ms, "
         f"longest {frames[-1] * 1000:.1f} ms (target < {FRAME_BUDGET_MS} ms)"),
        (f"RSS after {WIDGETS} widgets", f"{rss_mb():.0f} MB", "whole process"),
    ]  # fmt: skip


def run() -> list[tuple[str, str, str]]:
    with private_display():
        bench = Bench()
        try:
            rows = tqdm_rows(bench) + drag_rows(bench) + scroll_rows(bench)
        finally:
            bench.console.shutdown()
            with contextlib.suppress(tk.TclError):
                bench.root.destroy()
    return rows


def main() -> None:
    for name, value, note in run():
        print(f"{name:<40} {value:>12}  {note}")


if __name__ == "__main__":
    main()
