"""The debugger and the variables pane, beside the bare client.

``python -m benchmarks.debugger`` (one run; a private Xvfb unless DISPLAY is set):

- step over → the new line highlighted in the console, median and worst of
  ``STEPS`` steps, against the bare client's ``next`` → ``stopped`` event →
  ``stackTrace`` reply (what any front-end needs to know the new line) and a
  bare ``debug_request`` round trip (``debugInfo``);
- a variables refresh with 100 and 10,000 globals: tkconsole's time until
  every row is drawn and its longest event-loop stall, against the bare
  ``inspectVariables`` round trip.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

from .common import StallMeter, private_display

STEPS = 30
REFRESHES = 5
LOOP = "def loop(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total"


def ms(values: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(values) * 1000, 2),
            "worst_ms": round(max(values) * 1000, 2)}  # fmt: skip


def globals_code(n: int) -> str:
    return f"for i in range({n}): globals()[f'v{{i:05}}'] = i"


# --------------------------------------------------------------------- the bare client
class Bare:
    def __init__(self) -> None:
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(kernel_name="python3")
        self.seq = 0

    def request(self, command: str, **arguments: Any) -> dict:
        self.seq += 1
        content = {"type": "request", "seq": self.seq, "command": command, "arguments": arguments}
        self.kc.control_channel.send(self.kc.session.msg("debug_request", content))
        return self.kc.control_channel.get_msg(timeout=60)["content"]

    def event(self, name: str) -> dict:
        while True:
            msg = self.kc.get_iopub_msg(timeout=60)
            if msg["msg_type"] == "debug_event" and msg["content"].get("event") == name:
                return msg["content"]

    def run(self) -> dict:
        out: dict[str, Any] = {}
        rounds = []
        for _ in range(STEPS):
            t = time.perf_counter()
            self.request("debugInfo")
            rounds.append(time.perf_counter() - t)
        out["debug_request_round_trip"] = ms(rounds)
        for n in (100, 10000):
            self.kc.execute_interactive(globals_code(n), timeout=60)
            times = []
            for _ in range(REFRESHES):
                t = time.perf_counter()
                reply = self.request("inspectVariables")
                times.append(time.perf_counter() - t)
            size = len(json.dumps(reply))
            out[f"variables_{n}"] = {**ms(times), "reply_kB": round(size / 1000)}
        out["step_over_to_new_line"] = ms(self.steps())
        self.km.shutdown_kernel(now=True)
        return out

    def steps(self) -> list[float]:
        self.request("initialize", adapterID="python", pathFormat="path", linesStartAt1=True,
                     columnsStartAt1=True)  # fmt: skip
        self.request("attach")
        self.kc.execute_interactive(LOOP)
        path = self.request("dumpCell", code=LOOP)["body"]["sourcePath"]
        self.request("setBreakpoints", source={"path": path}, breakpoints=[{"line": 3}])
        self.request("configurationDone")
        self.kc.execute(f"loop({STEPS * 2})")
        thread = self.event("stopped")["body"]["threadId"]
        times = []
        for _ in range(STEPS):
            t = time.perf_counter()
            self.request("next", threadId=thread)
            self.event("stopped")
            self.request("stackTrace", threadId=thread)
            times.append(time.perf_counter() - t)
        self.request("disconnect", restart=False, terminateDebuggee=False)
        return times


# --------------------------------------------------------------------- tkconsole
class Gui:
    def __init__(self) -> None:
        from tkconsole import ConsoleWidget
        from tkconsole.ui import boot

        self.root = boot.App(title="bench", theme="bootstrap-light", size=(1100, 700))
        self.console = ConsoleWidget(self.root)
        self.console.pack(fill="both", expand=True)
        self.wait(self.console.is_idle)

    def wait(self, predicate: Any, timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > end:
                raise TimeoutError(str(predicate))
            self.root.update()
            time.sleep(0.0002)  # polls without eating the CPU the console needs

    def execute(self, code: str) -> int:
        cell = self.console.prompt_number
        self.console.execute(code)
        self.wait(lambda: self.console.is_idle() and self.console.prompt_number > cell)
        return cell

    def run(self) -> dict:
        out: dict[str, Any] = {}
        self.console.show_variables()
        pane = self.console.debugger.sidebar.variables
        for n in (100, 10000):
            self.execute(globals_code(n))
            self.wait(lambda: not pane.filling())
            times, stalls = [], []
            cpu = time.process_time()
            for _ in range(REFRESHES):
                meter = StallMeter(self.root)
                meter.start()
                old = pane.top
                t = time.perf_counter()
                self.console.refresh_variables()
                self.wait(lambda o=old: pane.top is not o and not pane.filling())
                times.append(time.perf_counter() - t)
                stalls.append(meter.stop())
            rows = len(pane.shown())
            cpu_s = (time.process_time() - cpu) / REFRESHES
            out[f"variables_{n}"] = {**ms(times), "longest_stall_ms": round(max(stalls) * 1000, 1),
                                     "rows": rows, "cpu_s_each": round(cpu_s, 3)}  # fmt: skip
        out["step_over_to_highlight"] = self.steps()
        self.console.shutdown()
        self.root.destroy()
        return out

    def steps(self) -> dict:
        from tkconsole.ui.debug.margin import STOPPED_TAG

        debugger, text = self.console.debugger, self.console.text
        cell = self.execute(LOOP)
        debugger.toggle_breakpoint(cell, 3)
        debugger.start()
        self.wait(lambda: not debugger.session._setup)
        self.console.execute(f"loop({STEPS * 2})")
        self.wait(lambda: debugger.stopped_at == (cell, 3))

        def drawn(line: int) -> bool:
            ranges = text.tag_ranges(STOPPED_TAG)
            return bool(ranges) and text.index(ranges[0]) == f"{line}.0"

        first = self.console.debugger.margin.prompt_line(cell) or 0
        times = []
        cpu = time.process_time()
        for _ in range(STEPS):
            before = debugger.stopped_at
            t = time.perf_counter()
            debugger.step("over")
            self.wait(lambda b=before: debugger.stopped_at not in (None, b))
            line = first + debugger.stopped_at[1] - 1
            self.wait(lambda ln=line: drawn(ln))
            self.root.update_idletasks()  # drawn on screen
            times.append(time.perf_counter() - t)
        cpu_s = (time.process_time() - cpu) / STEPS
        debugger.stop()
        return {**ms(times), "cpu_ms_each": round(cpu_s * 1000, 2)}


def main() -> int:
    import os

    load = os.getloadavg()
    bare = Bare().run()
    with private_display():
        gui = Gui().run()
    print(json.dumps({"load_before": [round(x, 2) for x in load], "bare": bare,
                      "tkconsole": gui, "load_after": [round(x, 2) for x in os.getloadavg()]},
                     indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
