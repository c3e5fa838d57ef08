"""The variables pane and the debugger over a real Jupyter Server's websocket:
control replies and iopub debug events pass like the local ones."""

from __future__ import annotations

from conftest import wait_for
from servers import ServerProcess, jserver
from test_debugger import F, highlighted, run, start_debugging, stop_at

from tkconsole.kernel.remote import RemoteConnection
from tkconsole.kernel.server import ServerClient

__all__ = ["jserver"]  # the fixture, imported for pytest


def remote(server: ServerProcess) -> RemoteConnection:
    return RemoteConnection(ServerClient(server.url, server.token))


def test_variables_and_ten_thousand_globals_over_a_server(root, make_console, jserver):
    console = make_console(connection=remote(jserver))
    console.show_variables()
    run(root, console, "x = 42")
    wait_for(root, lambda: ("x", "int", "42") in console.variables(), 10, "x in the pane")
    run(root, console, "for i in range(10000): globals()[f'v{i:05}'] = i")
    pane = console.debugger.sidebar.variables
    wait_for(root, lambda: len(pane.shown()) >= 10001, 60, "10,000 rows drawn")
    assert ("v09999", "int", "9999") in console.variables()


def test_stopping_at_a_breakpoint_over_a_server(root, make_console, jserver):
    console = make_console(connection=remote(jserver))
    debugger = console.debugger
    cell = run(root, console, F)
    debugger.toggle_breakpoint(cell, 2)
    start_debugging(root, console)
    stop_at(root, console, "print(f(3))", (cell, 2))
    assert highlighted(console) == "    y = x + 1"
    wait_for(root, lambda: ("x", "int", "3") in console.variables(), 10, "the locals")
    debugger.step("continue")
    wait_for(root, lambda: "\n8\n" in console.transcript(), 10, "the output")
