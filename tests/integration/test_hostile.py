"""No message can break the console: arbitrary well-signed messages on every
channel from a real socket, each followed by a good one (the model alone:
tests/unit/test_hostile_model.py)."""

from __future__ import annotations

import logging
import time

import pytest
from conftest import wait_for
from hostile_kernel import HostileKernel, scripts
from hypothesis import HealthCheck, example, given, settings

SESSION = "s"


def as_message(msg_type: str, content: object) -> dict:
    return {"msg_type": msg_type, "header": {"msg_type": msg_type, "msg_id": "x"},
            "parent_header": {"msg_id": "e1", "session": SESSION}, "content": content,
            "metadata": {}}  # fmt: skip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    kernel = HostileKernel(tmp_path_factory.mktemp("hostile"))
    yield kernel
    kernel.stop()


class Ticks:
    """The longest gap between ``after`` ticks: how long the event loop stalled."""

    def __init__(self, root) -> None:
        self.root = root
        self.last = time.perf_counter()
        self.longest = 0.0
        self.job = root.after(1, self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.job = self.root.after(1, self._tick)

    def stop(self) -> None:
        self.root.after_cancel(self.job)


def test_console_survives_anything_from_a_kernel(root, make_console, hostile, caplog):
    console = make_console(connection_file=str(hostile.connection_file))
    caplog.set_level(logging.ERROR)
    longest = []

    @settings(
        max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    @given(scripts)
    @example([("iopub", "display_data", {"data": {"text/plain": "x" * 10**6}})])
    @example([("iopub", "execute_result", {"data": {"text/html": "<b>x</b>" * 10**5}})])
    @example([("iopub", "display_data", {"data": {"image/png": "!!not base64!!"}})])
    @example([("iopub", "stream", {"name": "stdout", "text": "\ud83d lone"})])
    @example([("iopub", "died", {"restarting": False}), ("shell", "start_failed", {})])
    @example([("iopub", "update_display_data", {"data": {}, "transient": {"display_id": []}})])
    def run(script):
        hostile.script = script
        expected = f"GOOD {hostile.count + 1}\n"
        console.execute("run")  # (typing and history are not what is measured)
        ticks = Ticks(root)
        try:
            wait_for(root, lambda: expected in console.transcript() and console.is_idle(), 30)
        finally:
            ticks.stop()
        longest.append((ticks.longest, repr(script)[:200]))
        assert not console._failed, "the pump caught an exception from the console"
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, errors[0].getMessage()

    run()
    stall, script = max(longest)
    assert stall < 0.1, f"the event loop stalled {stall * 1000:.0f} ms after {script}"
