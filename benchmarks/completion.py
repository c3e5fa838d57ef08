"""Completion round trip while the kernel is idle and while a cell runs.

``python -m benchmarks.completion`` starts one ipykernel 7 kernel with a
tkconsole console on it (private Xvfb) and a bare jupyter_client client
connected to the same kernel, and times ``math.fl`` + Tab:

- tkconsole: from the Tab key to ``math.floor`` in the input, idle (main
  shell) and during ``time.sleep`` (the console's subshell);
- bare client: ``complete_request`` to its reply, idle, and busy on a
  subshell of its own (the same kernel work without a window);
- bare client, busy, on the main shell: what every front-end without
  subshells gets (the reply waits for the cell).

It prints the medians (ms) and the console process's CPU seconds per
round trip.  Run it once on a quiet machine; give ``uptime`` beside it.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

from .common import private_display

RUNS = 20
CODE = "math.fl"


def _median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 2)


def _console_round_trips(root, console, runs: int) -> tuple[list[float], float]:
    """Tab → completed, ``runs`` times; (wall times, CPU s per trip)."""
    text = console.text
    times: list[float] = []
    cpu = time.process_time()
    for _ in range(runs):
        console.editing.replace_input(CODE)
        root.update()
        start = time.perf_counter()
        text.event_generate("<KeyPress-Tab>")
        while text.input_text() != "math.floor":
            root.update()
            time.sleep(0.0002)
        times.append(time.perf_counter() - start)
    return times, (time.process_time() - cpu) / runs


def _bare_round_trips(client, runs: int, subshell: str | None) -> list[float]:
    times = []
    for _ in range(runs):
        msg = client.session.msg("complete_request", {"code": CODE, "cursor_pos": len(CODE)})
        if subshell is not None:
            msg["header"]["subshell_id"] = subshell
        start = time.perf_counter()
        client.shell_channel.send(msg)
        while client.get_shell_msg(timeout=60)["parent_header"]["msg_id"] != msg["msg_id"]:
            pass
        times.append(time.perf_counter() - start)
    return times


def _control(client, msg_type: str, content: dict) -> dict:
    msg = client.session.msg(msg_type, content)
    client.control_channel.send(msg)
    while True:
        reply = client.control_channel.get_msg(timeout=10)
        if reply["parent_header"].get("msg_id") == msg["msg_id"]:
            return reply["content"]


def _wait(root, predicate: Callable[[], object], timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise TimeoutError("benchmark step timed out")
        root.update()
        time.sleep(0.005)


def run(runs: int = RUNS) -> dict:
    import tkinter as tk

    from jupyter_client import BlockingKernelClient

    from tkconsole import ConsoleWidget
    from tkconsole.ui import boot

    root = boot.App(title="completion benchmark", size=(900, 600))
    top = tk.Toplevel(root)
    console = ConsoleWidget(top)
    console.pack(fill="both", expand=True)
    _wait(root, lambda: console.is_idle() and console.conn.subshell_id)
    console.execute("import math, time")
    _wait(root, lambda: console.is_idle() and console.prompt_number > 1)
    console.text.focus_force()
    client = BlockingKernelClient()
    client.load_connection_info(console.conn.manager.get_connection_info())
    client.start_channels()
    client.wait_for_ready(timeout=60)
    own = _control(client, "create_subshell_request", {})["subshell_id"]
    result: dict = {"runs": runs}

    idle, idle_cpu = _console_round_trips(root, console, runs)
    result["bare_idle_ms"] = _median_ms(_bare_round_trips(client, runs, None))
    console.execute("time.sleep(60)")
    _wait(root, console.next_input.editable)
    busy, busy_cpu = _console_round_trips(root, console, runs)
    result["bare_busy_subshell_ms"] = _median_ms(_bare_round_trips(client, runs, own))
    result.update(
        tkconsole_idle_ms=_median_ms(idle),
        tkconsole_idle_cpu_ms=round(idle_cpu * 1000, 2),
        tkconsole_busy_ms=_median_ms(busy),
        tkconsole_busy_cpu_ms=round(busy_cpu * 1000, 2),
    )
    console.interrupt()
    _wait(root, console.at_prompt)
    client.execute("time.sleep(2)")
    time.sleep(0.2)
    result["bare_busy_main_shell_ms"] = _median_ms(_bare_round_trips(client, 1, None))
    _control(client, "delete_subshell_request", {"subshell_id": own})
    client.stop_channels()
    console.shutdown()
    root.destroy()
    return result


def main() -> None:
    with private_display():
        print(json.dumps(run(), indent=2))


if __name__ == "__main__":
    main()
