"""Start-up waits for ``iopub_welcome`` where the kernel sends it (ipykernel 7's
XPUB), and falls back to kernel_info probes for kernels that send none."""

from __future__ import annotations

import queue
import time

import pytest
from fake_kernel import PlainKernel

from tkconsole.kernel.connection import KernelConnection


def ready_event(connection: KernelConnection, timeout: float = 60.0) -> tuple[dict, list]:
    """The ready event's content, and every message queued before it."""
    before = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            conn, channel, msg = connection.queue.get(timeout=0.5)
        except queue.Empty:
            continue
        if conn is not connection:
            continue
        if channel == "events" and msg["msg_type"] == "ready":
            return msg["content"], before
        before.append((channel, msg["msg_type"]))
    raise AssertionError("the kernel never became ready")


@pytest.fixture
def connection():
    made: list[KernelConnection] = []

    def factory(**kwargs):
        made.append(KernelConnection(**kwargs))
        made[-1].start()
        return made[-1]

    yield factory
    for conn in made:
        conn.shutdown()


def test_ipykernel_7_is_ready_on_its_welcome_after_one_probe(connection):
    conn = connection()
    content, before = ready_event(conn)
    assert content["iopub_welcome"] is True
    assert ("iopub", "iopub_welcome") not in before  # the transport's, not the console's
    assert [kind for channel, kind in before if channel == "shell"] == ["kernel_info_reply"]


def test_a_kernel_without_welcome_is_still_found_ready_by_probing(connection, tmp_path):
    kernel = PlainKernel(tmp_path)
    try:
        conn = connection(connection_file=str(kernel.connection_file))
        content, _before = ready_event(conn)
        assert content["iopub_welcome"] is False
        assert content["kernel_info"]["implementation"] == "plain"
    finally:
        kernel.stop()
