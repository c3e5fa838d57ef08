"""ipywidgets in the app's window, driven with real key and mouse events.

Where widgets meet the rest of the window: the keyboard, export, the theme.
"""

from __future__ import annotations

import pytest
from conftest import pump, wait_for

from tkconsole.connector import Connector
from tkconsole.models.settings import Settings
from tkconsole.ui.mainwindow import MainWindow
from tkconsole.ui.widgets.texts import TextView


@pytest.fixture
def window(root, tmp_path):
    """One main window with one Python console, ipywidgets imported."""
    connector = Connector(recent_path=tmp_path / "recent.json")
    made = MainWindow(connector, master=root, settings=Settings())
    made.root.geometry("900x600+0+0")
    connector.serve(made)
    tab = made.open_kernel("python3")
    wait_for(root, tab.console.is_idle, 60, "the first prompt")
    run(root, tab.console, "import ipywidgets as w")
    yield made
    if not made.closing:
        made.close()


def run(root, console, code: str, timeout: float = 60.0) -> str:
    before = console.prompt_number
    console.execute(code)
    wait_for(root, lambda: console.is_idle() and console.prompt_number > before, timeout, code)
    return console.transcript()


def views(widget, cls) -> list:
    found, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(w, cls):
            found.append(w)
        stack.extend(w.winfo_children())
    return sorted(found, key=lambda v: getattr(v, "serial", 0))  # oldest first


def click(widget) -> None:
    widget.update()
    x, y = widget.winfo_width() // 2, widget.winfo_height() // 2
    widget.event_generate("<Enter>", x=x, y=y)
    widget.event_generate("<ButtonPress-1>", x=x, y=y)
    widget.event_generate("<ButtonRelease-1>", x=x, y=y)


def key_to_focus(root, char: str) -> None:
    """A key goes where the keyboard focus is, as a person's key would."""
    target = root.focus_get()
    assert target is not None, "nothing has the keyboard"
    target.event_generate("<KeyPress>", keysym=char)
    root.update()


def test_text_widget_keeps_the_keyboard_while_the_kernel_answers(root, window):
    console = window.console
    run(
        root,
        console,
        "t = w.Text('a')\nseen = []\nt.observe(lambda c: seen.append(c['new']), 'value')\nt",
    )
    view = views(console, TextView)[-1]
    view.entry.focus_force()  # the window has the focus, as after a click into it
    click(view.entry)
    root.update()
    for typed, char in enumerate("xyz", start=1):
        key_to_focus(root, char)
        # each key reaches the kernel, which goes busy and idle again
        wait_for(root, lambda n=typed: len(view.get("value")) == 1 + n, 10, f"key {char}")
        pump(root, 0.2)
    assert view.var.get().endswith("xyz"), view.var.get()
    assert not console.transcript().endswith(("y", "z", "yz")), "keys landed at the prompt"
    run(root, console, "print('kernel has', seen[-1])")
    assert "kernel has " + view.var.get() in console.transcript()
