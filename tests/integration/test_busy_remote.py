"""Subshells and kernel usage through a real Jupyter Server (both websocket
formats) and a Kernel Gateway: the server passes control messages and the
shell header's ``subshell_id``."""

from __future__ import annotations

import pytest
from conftest import press, run_and_wait, type_text, wait_for
from servers import ServerProcess, gateway, jserver

from tkconsole.kernel import wsproto
from tkconsole.kernel.remote import RemoteConnection
from tkconsole.kernel.server import ServerClient

__all__ = ["gateway", "jserver"]  # fixtures, imported for pytest


@pytest.fixture
def servers(jserver, gateway):
    return {"server": jserver, "gateway": gateway}


@pytest.mark.parametrize(
    ("kind", "protocols"), [("server", (wsproto.V1,)), ("server", ()), ("gateway", ())]
)
def test_completion_while_busy_and_usage_over_a_server(
    root, make_console, servers, kind, protocols
):
    server: ServerProcess = servers[kind]
    conn = RemoteConnection(ServerClient(server.url, server.token), protocols=protocols)
    console = make_console(connection=conn)
    wait_for(root, lambda: conn.subshell_id, 10, "the subshell")
    wait_for(root, lambda: console.kernel_usage, 10, "a usage reply")
    run_and_wait(root, console, "import math, time")
    type_text(console.text, "time.sleep(8)")
    press(console.text, "Return", state=1)
    wait_for(root, console.next_input.editable, 5, "the input below the running cell")
    type_text(console.text, "math.fl")
    press(console.text, "Tab")
    # answered by the subshell: long before the cell ends (one more hop than locally)
    wait_for(root, lambda: console.text.input_text() == "math.floor", 5, "the completion")
    assert console.model.mode == "executing"
    wait_for(root, console.at_prompt, 15, "the cell to end")
