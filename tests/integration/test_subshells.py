"""Kernel subshells: one per console, made when the kernel is ready (again after a
restart), deleted at close; editing requests go there while the kernel is busy.
Real ipykernel 7 processes; the plain fake kernel stands for one without the feature."""

from __future__ import annotations

import pytest
from conftest import press, type_text, wait_for
from fake_kernel import PlainKernel
from jupyter_client import BlockingKernelClient, KernelManager


def list_subshells(info: dict) -> list[str]:
    """What the kernel itself says, asked by a bare client of its own."""
    client = BlockingKernelClient()
    client.load_connection_info(info)
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        msg = client.session.msg("list_subshell_request", {})
        client.control_channel.send(msg)
        while True:
            reply = client.control_channel.get_msg(timeout=10)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return list(reply["content"]["subshell_id"])
    finally:
        client.stop_channels()


@pytest.fixture
def existing_kernel():
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    yield manager
    manager.shutdown_kernel(now=True)


def test_console_makes_a_subshell_and_deletes_it_when_it_closes(
    root, make_console, existing_kernel
):
    info = existing_kernel.get_connection_info()
    console = make_console(connection_file=existing_kernel.connection_file)
    assert "kernel subshells" in console.kernel_features
    subshell = wait_for(root, lambda: console.conn.subshell_id, 10, "the subshell")
    assert list_subshells(info) == [subshell]
    console.shutdown()
    assert subshell not in list_subshells(info)


def test_the_about_box_lists_the_kernel_features(make_console):
    from types import SimpleNamespace

    from tkconsole.ui.mainwindow import MainWindow

    console = make_console()
    about = MainWindow.about_text(SimpleNamespace(console=console))  # Help → About's text
    assert "Features: " in about and "kernel subshells" in about


def test_a_restart_makes_a_new_subshell(root, make_console):
    console = make_console()
    first = wait_for(root, lambda: console.conn.subshell_id, 10, "the subshell")
    console.restart()
    second = wait_for(
        root, lambda: console.conn.subshell_id not in (None, first) and console.conn.subshell_id
    )
    wait_for(root, console.is_idle, 30, "the prompt after the restart")
    assert list_subshells(console.conn.manager.get_connection_info()) == [second]


@pytest.fixture
def plain_kernel(tmp_path):
    kernel = PlainKernel(tmp_path)
    yield kernel
    kernel.stop()


def test_kernel_without_subshells_gets_no_subshell_request(root, make_console, plain_kernel):
    console = make_console(connection_file=str(plain_kernel.connection_file))
    type_text(console.text, "math.fl")
    press(console.text, "Tab")
    wait_for(root, lambda: console.text.input_text() == "math.floor", 10, "the completion")
    kinds = [kind for kind, _header in plain_kernel.requests]
    assert "complete_request" in kinds and console.kernel_features == []
    assert not [k for k in kinds if "subshell" in k]
    assert not [h for _k, h in plain_kernel.requests if "subshell_id" in h]


def test_without_subshells_a_completion_while_busy_says_kernel_busy(
    root, make_console, plain_kernel
):
    console = make_console(connection_file=str(plain_kernel.connection_file))
    type_text(console.text, "sleep 3")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: console.next_input.editable(), 5, "the input below the cell")
    type_text(console.text, "math.fl")
    press(console.text, "Tab")
    tip = console.editing.calltip
    assert tip.active and "kernel busy" in tip.label.cget("text")
    wait_for(root, console.at_prompt, 10, "the cell to end")
    wait_for(root, lambda: console.text.input_text() == "math.floor", 5, "the late completion")
    assert not [h for _k, h in plain_kernel.requests if "subshell_id" in h]
