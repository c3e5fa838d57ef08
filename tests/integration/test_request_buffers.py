"""``request(..., buffers=...)``: binary parts reach a real kernel over every transport.

A comm target registered in the kernel prints the buffers it got with a
``comm_open``; the test reads the connection's queue directly (no console).
"""

from __future__ import annotations

import queue
import time

import pytest
from servers import gateway, jserver

from tkconsole.kernel import wsproto
from tkconsole.kernel.connection import KernelConnection
from tkconsole.kernel.remote import RemoteConnection
from tkconsole.kernel.server import ServerClient

__all__ = ["gateway", "jserver"]  # fixtures, imported for pytest

TARGET = """
from comm import get_comm_manager
def _echo(comm, msg):
    print('got', [bytes(b) for b in msg['buffers']])
get_comm_manager().register_target('tk_echo', _echo)
"""
BUFFERS = [b"\x00\x01\x02", b"binary \xff state"]


def next_message(conn, until: float) -> tuple[str, dict] | None:
    """The next message for ``conn`` (others' are dropped), or None at ``until``."""
    while time.monotonic() < until:
        try:
            owner, channel, msg = conn.queue.get(timeout=0.1)
        except queue.Empty:
            continue
        if owner is conn:
            return channel, msg
    return None


def wait_output(conn, parent_id: str, timeout: float = 30.0) -> str:
    """Everything ``conn``'s kernel printed for ``parent_id`` until it went idle."""
    text, until = "", time.monotonic() + timeout
    while (got := next_message(conn, until)) is not None:
        channel, msg = got
        if channel != "iopub" or msg["parent_header"].get("msg_id") != parent_id:
            continue
        if msg["msg_type"] == "stream":
            text += msg["content"]["text"]
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return text
    raise AssertionError(f"no idle for {parent_id}; printed {text!r}")


FRAMING = {"server-v1": ("jserver", wsproto.V1), "gateway-json": ("gateway", None)}


@pytest.mark.parametrize("transport", ["zmq", "server-v1", "gateway-json"])
def test_comm_open_with_buffers_reaches_the_kernel(request, transport):
    if transport == "zmq":
        conn = KernelConnection()
    else:
        server = request.getfixturevalue(FRAMING[transport][0])
        conn = RemoteConnection(ServerClient(server.url, server.token))
    conn.start()
    try:
        wait_output(conn, conn.execute(TARGET), timeout=60)
        if transport != "zmq":
            assert conn.link.protocol == FRAMING[transport][1]
        content = {"comm_id": "c1", "target_name": "tk_echo", "data": {}}
        msg_id = conn.request("shell", "comm_open", content, buffers=BUFFERS)
        assert wait_output(conn, msg_id) == f"got {BUFFERS!r}\n"
    finally:
        conn.shutdown()
