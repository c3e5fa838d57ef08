"""The window's state across tabs and runs: session restore, history, recents."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
from conftest import press, run_and_wait, type_text, wait_for
from test_app_window import (
    _child_titled,
    answer_next_question,
    kernel_process,
    kernels_dir,
    make_window,
    ready,
)

from tkconsole import session_restore
from tkconsole.connector import Connector
from tkconsole.models.history import WRITER_THREAD
from tkconsole.models.session import SavedTab, save_session
from tkconsole.models.settings import SessionSettings, Settings
from tkconsole.models.target import Target
from tkconsole.ui.mainwindow import MainWindow

__all__ = ["kernels_dir", "make_window"]  # fixtures, used by name


@pytest.mark.parametrize("first_saved", ["python3", "second"])
def test_session_restore_replaces_the_fresh_tab_two_tabs_come_back_as_two(
    root, make_window, kernels_dir, monkeypatch, tmp_path, first_saved
):
    monkeypatch.setenv("TKCONSOLE_DATA_DIR", str(tmp_path / "data"))
    other = "second" if first_saved == "python3" else "python3"
    saved = [SavedTab(Target("local", kernel=first_saved), "one"),
             SavedTab(Target("local", kernel=other), "two")]  # fmt: skip
    save_session(session_restore.session_path(), saved)
    window = make_window(Settings(session=SessionSettings(restore="on")))
    start = Target("local")  # what a plain `tkconsole` opens (app.launch)
    fresh = window.add_console(window.backend.connect(start), target=start)
    fresh_kernel = kernel_process(ready(root, fresh))
    asked = answer_next_question(root, "restore")
    session_restore.offer_restore(window, fresh=fresh)
    assert asked == ["Restore session"]
    tabs = window.tabs.all()
    assert [t.title for t in tabs] == ["one", "two"]
    consoles = [ready(root, t) for t in tabs]
    assert [c.conn.kernel_name for c in consoles] == [first_saved, other]
    assert len({kernel_process(c).pid for c in consoles}) == 2
    if first_saved == "python3":  # the fresh kernel serves the first saved tab
        assert tabs[0] is fresh
    else:
        assert fresh not in tabs
        fresh_kernel.wait(20)  # its kernel, started for nothing, is ended


def test_ten_tabs_running_cells_at_once_share_one_history_writer_and_lose_nothing(
    root, make_window, kernels_dir, monkeypatch, tmp_path
):
    monkeypatch.setenv("TKCONSOLE_DATA_DIR", str(tmp_path / "data"))
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    for _ in range(9):  # Ctrl+Shift+T: tabs on the same kernel, each its own console
        press(window.tabs.current().console.text, "T", state=4 | 1)
    tabs = window.tabs.all()
    assert len(tabs) == 10
    for tab in tabs:
        ready(root, tab)
    for n, tab in enumerate(tabs):  # typed one after another, none waiting for the last
        window.tabs.select(tab.frame)
        type_text(tab.console.text, f"cell_{n} = {n}")
        press(tab.console.text, "Return", state=1)
    wait_for(root, lambda: all(t.console.is_idle() and t.console.prompt_number > 1
                               for t in tabs), 60, "every tab's cell")  # fmt: skip
    writers = [t for t in threading.enumerate() if t.name.startswith(WRITER_THREAD)]
    assert len(writers) == 1
    window.tabs.select(tabs[0].frame)
    every = ", ".join(f"cell_{n}" for n in range(10))
    assert "Out[11]: 45" in run_and_wait(root, first, f"sum([{every}])")  # every cell ran
    first.editing.history.store.flush()
    with sqlite3.connect(tmp_path / "data" / "history.sqlite") as db:
        rows = {source for (source,) in db.execute("SELECT source FROM history")}
    assert {f"cell_{n} = {n}" for n in range(10)} <= rows


def test_recent_connections_are_kept_in_the_config_dir(root, kernels_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("TKCONSOLE_CONFIG_DIR", str(tmp_path / "config"))
    connector = Connector()  # where a real start puts them
    window = MainWindow(connector, master=root, settings=Settings())
    connector.serve(window)
    try:
        file_menu = window.menus["File"]
        file_menu.invoke(file_menu.index("Connect…"))
        dialog = wait_for(root, lambda: _child_titled(window.root, "Connect to a kernel"), 5)
        dialog.specs.selection_set("second")
        dialog.start_local()
        ready(root, window.tabs.current())
        recent = json.loads((tmp_path / "config" / "recent.json").read_text())
        assert recent["recent"][0]["kernel"] == "second"
    finally:
        window.close()
