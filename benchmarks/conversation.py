"""Benchmarks of issue 9: big outputs of every kind, and death first.

``python -m benchmarks.conversation`` prints one row per case: the
tkconsole figure and, where one makes sense, the bare jupyter_client
figure (the kernel's own time).  The stall is measured from the moment
the request is sent (the Enter key's own work is not the output's).
Targets: no stall over 33 ms for any single output; the death notice
within 1 s of a SIGKILL during a flood.
"""

from __future__ import annotations

import os
import signal
import time

from .common import StallMeter, bare_run, private_display

SIZE = 10**6
DISPLAY = (
    "from IPython.display import publish_display_data\n"
    "publish_display_data({{'{mime}': ('<b>word</b> *x* ' * 16 + '\\n') * {lines}}})"
)
CASES = {
    "result 'x'*10**6": "'x' * 10**6",
    **{
        f"display_data 1 MB {mime}": DISPLAY.format(mime=mime, lines=SIZE // 257)
        for mime in ("text/plain", "text/html", "text/markdown", "text/latex")
    },
}
FLOOD = "for i in range(10**7): print(i)"
NOTICE = "The kernel died"


def _pump_until(root, done, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the console did not get there")
        root.update()
        time.sleep(0.001)


def gui_rows() -> list[tuple[str, str]]:
    import tkinter as tk

    from tkconsole import ConsoleWidget

    root = tk.Tk()
    root.geometry("900x600")
    console = ConsoleWidget(root)
    console.pack(fill="both", expand=True)
    _pump_until(root, console.is_idle)
    rows = []
    for name, code in CASES.items():
        before = console.prompt_number
        meter = StallMeter(root)
        start = time.perf_counter()
        console.execute(code)  # typing's own cost (highlighting, history) is not the output's
        meter.start()
        _pump_until(root, lambda b=before: console.is_idle() and console.prompt_number > b)
        elapsed = time.perf_counter() - start
        rows.append((name, f"{elapsed:.2f} s, longest stall {meter.stop() * 1000:.0f} ms"))
    rows.append(("death notice during a 1e7-line flood", _death(root, console)))
    console.shutdown()
    root.destroy()
    return rows


def _death(root, console) -> str:
    meter = StallMeter(root)
    console.execute(FLOOD)
    _pump_until(root, lambda: console.model.mode == "executing")
    start = time.monotonic()
    _pump_until(root, lambda: time.monotonic() - start > 2.0)  # a backlog builds
    meter.start()
    killed = time.perf_counter()
    os.kill(console.conn.manager.provisioner.pid, signal.SIGKILL)
    _pump_until(root, lambda: console.text.search(NOTICE, "end-200l", "end"))
    shown = time.perf_counter() - killed
    stall = meter.stop()
    _pump_until(root, console.is_idle)
    return f"{shown:.2f} s after SIGKILL, longest stall {stall * 1000:.0f} ms"


def bare_rows() -> dict[str, str]:
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(60)
    rows = {}
    for name, code in CASES.items():
        start = time.perf_counter()
        bare_run(kc, code)
        rows[name] = f"{time.perf_counter() - start:.2f} s"
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return rows


def run() -> list[tuple[str, str, str]]:
    """(case, tkconsole figure, bare-client figure or "")."""
    with private_display():
        gui = gui_rows()
    bare = bare_rows()
    return [(name, figure, bare.get(name, "")) for name, figure in gui]


if __name__ == "__main__":
    for case, ours, theirs in run():
        print(f"{case:40s} {ours:40s} {('bare ' + theirs) if theirs else ''}")
