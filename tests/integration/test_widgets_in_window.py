"""ipywidgets in the app's window, driven with real key and mouse events.

Where widgets meet the rest of the window: the keyboard, export, the theme.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import filedialog

import pytest
from conftest import execute_and_wait as run
from conftest import focus, pump, views, wait_for

from tkconsole.connector import Connector
from tkconsole.models.contrast import AA_TEXT, contrast_ratio, parse_hex, relative_luminance
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


def dark(colour: str) -> bool:
    return relative_luminance(parse_hex(colour)) < 0.2


def test_dark_theme_reaches_the_right_click_menu_of_a_new_tab(root, window):
    window.set_theme("bootstrap-dark", remember=False)
    root.update()
    try:
        console = window.open_kernel("python3").console  # made under the dark theme
        wait_for(root, console.is_idle, 60, "the new tab's prompt")
        text = console.text
        focus(text)
        text.event_generate("<Button-3>", x=40, y=20, rootx=text.winfo_rootx() + 40,
                            rooty=text.winfo_rooty() + 20)  # fmt: skip
        root.update()
        menu = next(m for m in text.winfo_children() if isinstance(m, tk.Menu))
        assert menu.winfo_ismapped()
        bg, fg = (to_hex(menu, str(menu.cget(o))) for o in ("background", "foreground"))
        menu.unpost()
        assert dark(bg) and contrast_ratio(fg, bg) >= AA_TEXT, (bg, fg)
    finally:
        window.set_theme("bootstrap-light", remember=False)
        root.update()


def test_dark_theme_reaches_the_file_dialogs_list(root, window, tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    window.set_theme("bootstrap-dark", remember=False)
    root.update()
    seen: dict[str, object] = {}

    def look_then_cancel() -> None:
        dialog = f"{window.root}.__tk_filedialog"
        if not root.tk.call("winfo", "exists", dialog) or not root.tk.call(
            "winfo", "ismapped", dialog
        ):
            root.after(50, look_then_cancel)
            return
        canvas = f"{dialog}.contents.icons.cHull.canvas"
        items = root.tk.splitlist(root.tk.call(canvas, "find", "withtag", "text"))
        seen["background"] = str(root.tk.call(canvas, "cget", "-background"))
        seen["text"] = [str(root.tk.call(canvas, "itemcget", i, "-fill")) for i in items]
        root.tk.call(f"{dialog}.contents.f2.cancel", "invoke")

    try:
        root.after(50, look_then_cancel)
        filedialog.asksaveasfilename(parent=window.root, initialdir=str(tmp_path))
    finally:
        window.set_theme("bootstrap-light", remember=False)
        root.update()
    assert dark(to_hex(root, str(seen["background"]))), seen
    assert seen["text"] and all(contrast_ratio(to_hex(root, c), str(seen["background"])) >= AA_TEXT
                                for c in seen["text"]), seen  # fmt: skip


def to_hex(widget, colour: str) -> str:
    r, g, b = (c // 257 for c in widget.winfo_rgb(colour))
    return f"#{r:02x}{g:02x}{b:02x}"
