"""QtConsole's ``RichJupyterWidget`` through the same cases, for a third column.

Needs the bench extra (``pip install .[bench]``: qtconsole and PySide6);
without it the column is left out.  Qt draws offscreen
(``QT_QPA_PLATFORM=offscreen``: the same layout and painting, into memory,
as tkconsole draws into Xvfb's memory).  QtConsole keeps only its last 500
lines (its default ``buffer_size``), which is part of what is compared.

A case that has not reached its next prompt after ``CASE_LIMIT`` seconds is
recorded as that limit (shown as "60 s+, unfinished") and the child stops
there (QtConsole never finished ``print('x' * 10**7)`` in 125 s here); each
case's result is printed as it ends, so what was measured before survives.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time

from . import core, output
from .common import ROOT, emit, peak_rss_mb, rss_mb, wanted_case

CASE_LIMIT = 60.0  # s
LAST = {"cr_bar_20k_steps": 1, "line_1e7_chars": 2}  # the slowest in Qt go last
GRACE = 30.0  # s past the limit before a case stuck inside Qt ends the child
STALL_MS = 1  # the stall meter's timer


def available() -> bool:
    try:
        import qtconsole  # noqa: F401
        from qtpy import QtWidgets  # noqa: F401
    except Exception:  # not installed, or no Qt binding
        return False
    return True


def qt_child(t0: float, full: bool) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qtconsole.manager import QtKernelManager
    from qtconsole.rich_jupyter_widget import RichJupyterWidget
    from qtpy import QtCore, QtWidgets

    app = QtWidgets.QApplication([])
    km = QtKernelManager(kernel_name="python3")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    widget = RichJupyterWidget()
    widget.kernel_manager, widget.kernel_client = km, client
    widget.resize(900, 600)
    widget.show()
    result: dict = {}
    _wait(app, lambda: "In [1]" in widget._control.toPlainText(), 120)
    result["startup"] = time.time() - t0
    result["rss_start"] = rss_mb()
    emit(result)
    if full:
        _measure(app, widget, result, QtCore)
    client.stop_channels()
    km.shutdown_kernel(now=True)


def _measure(app, widget, result: dict, QtCore) -> None:
    if wanted_case("roundtrip"):
        result["roundtrip"] = _roundtrips(app, widget)
        emit(result)
    cases = {"flood": core.FLOOD} if wanted_case("flood") else {}
    cases.update(output.selected_cases())
    for name, code in sorted(cases.items(), key=lambda kv: LAST.get(kv[0], 0)):
        finished = _timed(app, widget, QtCore, code, result, name)
        if name == "flood_1m_lines":
            result["rss_after_1m_flood"] = rss_mb()
        result["rss_peak"] = peak_rss_mb()
        emit(result)
        if not finished:
            return
    result["rss_after_stress"] = rss_mb()
    emit(result)


def _roundtrips(app, widget) -> float:
    """Median ``1+1`` from execute to ``Out`` shown; a fresh kernel counts from In [1]."""
    times = []
    for count in range(1, core.ROUND_TRIPS + 1):
        start = time.perf_counter()
        widget.execute("1+1")
        _wait(app, lambda c=count: f"Out[{c}]: 2" in _tail(widget), 30)
        times.append(time.perf_counter() - start)
        _wait(app, lambda c=count: f"In [{c + 1}]" in _tail(widget), 30)
    return sorted(times)[len(times) // 2]


def _timed(app, widget, QtCore, code: str, result: dict, name: str) -> bool:
    """Run ``code`` to its reply; ``name`` and ``name_stall`` as in ``common.timed_run``."""
    done: list[float] = []
    on_executed = lambda _msg: done.append(time.perf_counter())  # noqa: E731
    widget.executed.connect(on_executed)
    longest, last = [0.0], [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        longest[0] = max(longest[0], now - last[0])
        last[0] = now

    timer = QtCore.QTimer()
    timer.timeout.connect(tick)
    timer.start(STALL_MS)
    print(f"CASE {name}", flush=True)  # run_qt's watchdog knows what is running
    start = time.perf_counter()
    widget.execute(code)
    finished = _wait(app, lambda: bool(done), CASE_LIMIT)
    app.processEvents()  # draw what the reply left pending
    timer.stop()
    widget.executed.disconnect(on_executed)
    result[name] = (time.perf_counter() - start) if finished else CASE_LIMIT
    result[f"{name}_stall"] = longest[0] if finished else CASE_LIMIT
    return finished


def _tail(widget) -> str:
    document = widget._control.document()
    block = document.lastBlock()
    lines = []
    for _ in range(4):
        if not block.isValid():
            break
        lines.append(block.text())
        block = block.previous()
    return "\n".join(reversed(lines))


def _wait(app, predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.0005)
    return False


def run_qt(full: bool) -> dict:
    """The qt child; its last RESULT line.  A case can stay inside one of
    Qt's event calls long past its limit (a 10**7-character line is laid
    out in one, minutes), where no timer of the child's runs: so this
    stops the child when nothing came for CASE_LIMIT + GRACE and records
    the running case at the limit."""
    t0 = time.time()
    cmd = [sys.executable, "-m", "benchmarks", "--child", "qt", "--t0", repr(t0)]
    if full:
        cmd.append("--full")
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_read, args=(child.stdout, lines), daemon=True).start()
    result: dict = {}
    case = None
    while True:
        try:
            line = lines.get(timeout=CASE_LIMIT + GRACE)
        except queue.Empty:
            child.kill()
            if case is not None:
                result[case] = result[f"{case}_stall"] = CASE_LIMIT
            break
        if line is None:
            break
        if line.startswith("RESULT "):
            result, case = json.loads(line[7:]), None
        elif line.startswith("CASE "):
            case = line[5:].strip()
    child.wait()
    return result


def _read(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)
