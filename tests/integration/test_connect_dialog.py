"""File → Connect…: the dialog driven by hand, opening real console windows."""

from __future__ import annotations

import os
import stat
from types import SimpleNamespace

import pytest
from conftest import run_and_wait, type_text, wait_for
from servers import jserver

from tkconsole.connector import Connector
from tkconsole.ui.dialogs.connect import ConnectDialog

__all__ = ["jserver"]  # a fixture, imported for pytest


@pytest.fixture
def connector(root, tmp_path, monkeypatch):
    """A Connector whose new windows open over the test root; closes them after."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    made = Connector(recent_path=tmp_path / "config" / "recent.json")
    made.serve(SimpleNamespace(root=root))
    yield made
    for window in made.windows[1:]:
        if window.root.winfo_exists():
            window.close()


def opened_console(root, connector, count: int):
    """The console of the ``count``-th window opened, once it has a prompt."""
    wait_for(root, lambda: len(connector.windows) > count, 10, "a new window")
    console = connector.windows[count].console
    wait_for(root, console.is_idle, 60, "the new console's prompt")
    return console


def test_local_tab_lists_kernelspecs_and_starts_one(root, connector):
    dialog = ConnectDialog(root, connector)
    assert "python3" in dialog.specs.get_children()
    dialog.specs.selection_set("python3")
    dialog.start_local()
    assert not dialog.winfo_exists()  # closed once the window opened
    console = opened_console(root, connector, 1)
    assert "Out[1]: 42" in run_and_wait(root, console, "6 * 7")


def test_connection_files_newest_first(root, connector, tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    for age, name in ((300, "kernel-old.json"), (10, "kernel-new.json"), (100, "kernel-mid.json")):
        (runtime / name).write_text("{}")
        os.utime(runtime / name, (1_700_000_000 - age,) * 2)
    dialog = ConnectDialog(root, connector)
    names = [os.path.basename(iid) for iid in dialog.files.get_children()]
    assert names == ["kernel-new.json", "kernel-mid.json", "kernel-old.json"]
    dialog.files.selection_set(str(runtime / "kernel-old.json"))
    dialog.connect_file()  # not a usable file: said in the dialog, which stays open
    assert "lacks valid" in dialog.message.cget("text") and dialog.winfo_exists()
    dialog.destroy()


def test_server_tab_lists_attaches_and_remembers(root, connector, jserver):
    kernel_id = jserver.start_kernel()
    try:
        dialog = ConnectDialog(root, connector)
        dialog.tabs.select(2)  # typing needs the tab's fields on screen
        dialog.url.delete(0, "end")
        type_text(dialog.url, jserver.url)
        type_text(dialog.token, jserver.token)
        dialog.list_server()
        wait_for(root, lambda: kernel_id in dialog.kernels.get_children(), 20, "the listing")
        assert "python3" in dialog.server_spec.cget("values")
        dialog.kernels.selection_set(kernel_id)
        dialog.attach_remote()
        console = opened_console(root, connector, 1)
        assert console.conn.kernel_id == kernel_id and not console.conn.owns_kernel
        assert "'remote'" in run_and_wait(root, console, "'remote'")

        path = connector.recent_store.path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds the token
        again = ConnectDialog(root, connector)
        assert again.recent_box.get() == f"{jserver.url} (kernel {kernel_id[:8]})"
        again.open_recent()  # a second console on the same kernel, from the recents
        second = opened_console(root, connector, 2)
        assert "Out[2]: 'remote'" in run_and_wait(root, second, "_1")
    finally:
        jserver.delete_kernel(kernel_id)


def test_server_tab_starts_and_shuts_down_on_request(root, connector, jserver):
    dialog = ConnectDialog(root, connector)
    dialog.url.delete(0, "end")
    dialog.url.insert(0, f"{jserver.url}?token={jserver.token}")  # pasted from a browser
    dialog.list_server()
    wait_for(root, lambda: dialog.listing is not None, 20, "the listing")
    before = jserver.kernel_ids()
    dialog.start_remote()
    console = opened_console(root, connector, 1)
    new_id = console.conn.kernel_id
    assert new_id not in before and console.conn.owns_kernel

    dialog = ConnectDialog(root, connector)
    dialog.url.delete(0, "end")
    dialog.url.insert(0, jserver.url)
    dialog.token.insert(0, jserver.token)
    dialog.list_server()
    wait_for(root, lambda: new_id in dialog.kernels.get_children(), 20, "the listing")
    dialog.kernels.selection_set(new_id)
    dialog.shutdown_remote()
    wait_for(root, lambda: new_id not in jserver.kernel_ids(), 20, "the shutdown")
    wait_for(root, lambda: new_id not in dialog.kernels.get_children(), 20, "a fresh listing")
    dialog.destroy()


def test_server_tab_wrong_token_is_said_in_the_dialog(root, connector, jserver):
    dialog = ConnectDialog(root, connector)
    dialog.url.delete(0, "end")
    dialog.url.insert(0, jserver.url)
    dialog.token.insert(0, "wrong")
    dialog.list_server()
    wait_for(root, lambda: "refused the token" in dialog.message.cget("text"), 20, "the message")
    dialog.attach_remote()  # nothing listed: nothing opens
    assert len(connector.windows) == 1
    dialog.destroy()
