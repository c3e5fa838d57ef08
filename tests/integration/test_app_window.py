"""The desktop app's window driven as a person does: tabs, menus, themes, closing.

Real kernels, a real window under Xvfb; questions (shut the kernel down?)
are answered by pressing the dialog's buttons from an ``after`` callback,
exactly as they would be clicked while the dialog waits.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, focus, press, run_and_wait, screenshot, type_text, wait_for

from tkconsole.connector import Connector
from tkconsole.kernel.loop import THREAD_NAME
from tkconsole.models.contrast import AA_TEXT, contrast_ratio
from tkconsole.models.session import SavedTab, load_session
from tkconsole.models.settings import SessionSettings, Settings
from tkconsole.models.target import Target
from tkconsole.ui.dialogs.choice import ChoiceDialog
from tkconsole.ui.dialogs.kernel_picker import KernelPicker
from tkconsole.ui.mainwindow import MainWindow

LOGO = ROOT / "assets" / "icon.png"


@pytest.fixture
def kernels_dir(tmp_path, monkeypatch):
    """A second kernelspec ("second", a Python kernel under another name, with a logo)."""
    spec_dir = tmp_path / "jupyter" / "kernels" / "second"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Second Python",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    if LOGO.is_file():
        shutil.copy(LOGO, spec_dir / "logo-32x32.png")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    return spec_dir


@pytest.fixture
def make_window(root, tmp_path):
    """Main windows (Toplevels of the test root) on a Connector; closed after."""
    made = []

    def factory(settings: Settings | None = None) -> MainWindow:
        connector = Connector(recent_path=tmp_path / "recent.json")
        window = MainWindow(connector, master=root, settings=settings or Settings())
        window.root.geometry("900x600+0+0")
        connector.serve(window)
        made.append(window)
        return window

    yield factory
    for window in made:
        if not window.closing:
            window.close()


def answer_next_question(root, answer: str) -> list[str]:
    """Press the button ``answer`` of the next question dialog once it is shown.

    Returns a list that gets the dialog's title once it was answered.
    """
    before = ChoiceDialog.last
    titles: list[str] = []

    def press_when_shown() -> None:
        dialog = ChoiceDialog.last
        if dialog is None or dialog is before or not dialog.winfo_exists():
            root.after(20, press_when_shown)
            return
        titles.append(dialog.title())
        dialog.buttons[answer].invoke()

    root.after(20, press_when_shown)
    return titles


def ready(root, tab):
    wait_for(root, tab.console.is_idle, 60, "the tab's first prompt")
    return tab.console


def loop_threads() -> int:
    return sum(t.name == THREAD_NAME for t in threading.enumerate())


def kernel_process(console) -> psutil.Process:
    return psutil.Process(console.conn.manager.provisioner.pid)


# ------------------------------------------------------------------------ tabs
def test_ctrl_t_picks_either_kernelspec_and_all_tabs_share_one_loop_thread(
    root, make_window, kernels_dir
):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    press(first.text, "t", state=4)  # Ctrl+T
    picker = wait_for(
        root, lambda: next((w for w in window.root.winfo_children()
                            if isinstance(w, KernelPicker)), None), 10, "the kernel picker",
    )  # fmt: skip
    assert picker.title() == "New tab: choose a kernel"
    rows = picker.tree.get_children()
    assert {"python3", "second"} <= set(rows)
    assert picker.tree.item("second", "text") == "Second Python"
    assert picker.tree.set("second", "language") == "python"
    if LOGO.is_file():
        assert picker.tree.item("second", "image")  # the spec's logo
    picker.tree.selection_set("second")
    focus(picker.tree)
    picker.tree.event_generate("<KeyPress-Return>")  # the picker closes: no press()
    root.update()
    assert len(window.tabs.all()) == 2
    second = ready(root, window.tabs.all()[1])
    assert second.conn.kernel_name == "second"
    assert "Out[1]: 42" in run_and_wait(root, second, "6 * 7")
    assert loop_threads() == 1
    assert window.root.title() == "Second Python — tab 2 — tkconsole"
    assert window.root.winfo_class() == "tkconsole"
    assert window.tabs.tab(window.tabs.select(), "text").startswith("○ ")  # idle

    press(second.text, "Prior", state=4)  # Ctrl+PageUp: back to the first tab
    assert window.tabs.current().console is first
    press(first.text, "Tab", state=4)  # Ctrl+Tab: next (wraps around)
    assert window.tabs.current().console is second
    press(second.text, "Next", state=4)  # Ctrl+PageDown wraps to the first
    assert window.tabs.current().console is first


def test_ctrl_shift_t_opens_a_second_console_on_the_same_kernel(root, make_window, kernels_dir):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    run_and_wait(root, first, "shared = 41")
    press(first.text, "T", state=4 | 1)  # Ctrl+Shift+T
    assert len(window.tabs.all()) == 2
    second = ready(root, window.tabs.current())
    assert not second.conn.owns_kernel
    assert "Out[2]: 42" in run_and_wait(root, second, "shared + 1")


def test_closing_a_tab_that_owns_its_kernel_asks_and_ends_the_process(
    root, make_window, kernels_dir
):
    window = make_window()
    keep = ready(root, window.open_kernel("python3"))
    console = ready(root, window.open_kernel("python3"))
    process = kernel_process(console)
    answer_next_question(root, "cancel")
    press(console.text, "w", state=4)  # Ctrl+W, then Cancel: nothing closes
    assert len(window.tabs.all()) == 2 and process.is_running()
    asked = answer_next_question(root, "shutdown")
    focus(console.text)
    console.text.event_generate("<KeyPress-w>", state=4)  # the tab goes: no press()
    root.update()
    assert [t.console for t in window.tabs.all()] == [keep]
    _gone, alive = psutil.wait_procs([process], timeout=20)
    assert not alive, "the kernel the tab owned is still running"
    assert asked == ["Close tab"]


def test_rename_by_double_click_and_reorder_by_drag(root, make_window, kernels_dir):
    window = make_window()
    ready(root, window.open_kernel("python3"))
    second = window.open_kernel("python3")
    tabs = window.tabs
    root.update()
    x, y = tab_centre(tabs, 1)
    for _click in range(2):  # a double click, as the X server reports one
        tabs.event_generate("<ButtonPress-1>", x=x, y=y, time=1000)
        tabs.event_generate("<ButtonRelease-1>", x=x, y=y, time=1000)
    dialog = wait_for(root, lambda: getattr(tabs, "rename_dialog", None), 5, "rename dialog")
    assert dialog.title() == "Rename tab"
    entry = dialog.winfo_children()[0].winfo_children()[1]
    focus(entry)
    entry.delete(0, "end")
    type_text(entry, "analysis")
    entry.event_generate("<KeyPress-Return>")
    root.update()
    assert tabs.tab(1, "text").endswith(" analysis")
    assert window.root.title().endswith("— analysis — tkconsole")
    # drag the second tab onto the first
    x0, y0 = tab_centre(tabs, 0)
    x, y = tab_centre(tabs, 1)  # narrower now
    tabs.event_generate("<ButtonPress-1>", x=x, y=y)
    tabs.event_generate("<Motion>", x=x0, y=y0, state=256)  # button 1 held
    tabs.event_generate("<ButtonRelease-1>", x=x0, y=y0)
    assert window.tabs.all()[0] is second


def tab_centre(tabs, index: int) -> tuple[int, int]:
    """Where tab ``index`` is drawn (ttk.Notebook tells which tab is at a point)."""
    y = 12
    xs = []
    for x in range(0, tabs.winfo_width(), 2):
        try:
            if int(tabs.index(f"@{x},{y}")) == index:
                xs.append(x)
        except Exception:
            continue
    assert xs, f"tab {index} not found"
    return (xs[0] + xs[-1]) // 2, y


# ------------------------------------------------------------------------ menus
def test_every_menu_is_there_and_items_show_their_keys(root, make_window, kernels_dir):
    window = make_window()
    ready(root, window.open_kernel("python3"))
    bar = window.menus["bar"]
    labels = [bar.entrycget(i, "label") for i in range(bar.index("end") + 1)]
    assert labels == ["File", "Edit", "View", "Kernel", "Help"]

    def keys(menu) -> dict[str, str]:
        found = {}
        for i in range(menu.index("end") + 1):
            if menu.type(i) in ("command", "checkbutton"):
                found[menu.entrycget(i, "label")] = menu.entrycget(i, "accelerator")
        return found

    file = keys(window.menus["File"])
    assert file["New tab…"] == "Ctrl+T" and file["New tab on this kernel"] == "Ctrl+Shift+T"
    assert file["Close tab"] == "Ctrl+W" and file["Quit"] == "Ctrl+Q"
    assert file["Save as…"] == "Ctrl+S"
    assert keys(window.menus["Edit"])["Select all"] == "Ctrl+Shift+A"
    assert keys(window.menus["Kernel"])["Restart…"] == "Ctrl+."
    assert keys(window.menus["View"])["Zoom in"] == "Ctrl++"
    help_menu = window.menus["Help"]
    help_menu.invoke(help_menu.index("About tkconsole"))
    about = wait_for(root, lambda: _child_titled(window.root, "About tkconsole"), 5, "About")
    text = about.winfo_children()[0].winfo_children()[0].cget("text")
    assert "tkconsole" in text and "Protocol: 5." in text
    about.destroy()


def _child_titled(window, title: str):
    return next((w for w in window.winfo_children() if hasattr(w, "title") and w.title() == title),
                None)  # fmt: skip


def test_right_click_menu_copies_with_and_without_prompts(root, make_window, kernels_dir):
    window = make_window()
    console = ready(root, window.open_kernel("python3"))
    run_and_wait(root, console, "6 * 7")
    text = console.text
    text.tag_add("sel", "1.0", "end-1c")
    from tkconsole.ui.context_menu import ConsoleMenu

    popup = ConsoleMenu(console)  # the same menu the window attached
    popup.copy_with_prompts()
    assert "In [1]: 6 * 7" in text.clipboard_get()
    popup.copy()
    assert "6 * 7" in text.clipboard_get() and "In [1]:" not in text.clipboard_get()


# ------------------------------------------------------------------------ themes
def pixel(console) -> tuple[int, int, int]:
    path = screenshot(console.text, Path(f"/tmp/tkconsole-theme-{time.monotonic_ns()}.png"))
    from PIL import Image

    with Image.open(path) as image:
        colour = image.convert("RGB").getpixel((image.width - 20, image.height - 10))
    path.unlink()
    return colour


def test_theme_switch_from_the_view_menu_repaints_and_is_remembered(
    root, make_window, kernels_dir, tmp_path
):
    settings = Settings(path=tmp_path / "settings.toml")
    window = make_window(settings)
    console = ready(root, window.open_kernel("python3"))
    assert pixel(console) == (255, 255, 255)
    themes = window.menus["View"].nametowidget(window.menus["View"].entrycget(0, "menu"))
    try:
        themes.invoke(themes.index("bootstrap-dark"))
        root.update()
        assert pixel(console) == (0x21, 0x25, 0x29)  # the dark theme's background
        assert console.dark and console.text.cget("background") == "#212529"
        assert 'theme = "bootstrap-dark"' in settings.path.read_text()
    finally:
        window.set_theme("bootstrap-light", remember=False)
    root.update()
    assert pixel(console) == (255, 255, 255)


@pytest.mark.parametrize("theme", ["bootstrap-light", "bootstrap-dark"])
def test_text_colours_meet_wcag_aa_on_the_default_themes(root, make_window, kernels_dir, theme):
    window = make_window()
    console = ready(root, window.open_kernel("python3"))
    try:
        window.set_theme(theme, remember=False)
        root.update()
        text = console.text
        background = text.cget("background")
        colours = {"text": text.cget("foreground")}
        for tag in ("prompt", "out-prompt", "stderr", "notice"):
            colours[tag] = text.tag_cget(tag, "foreground")
        palette = console.tags.palette
        for index in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14):  # the coloured ANSI texts
            colours[f"ansi {index}"] = palette[index]
        low = {k: round(contrast_ratio(c, background), 2) for k, c in colours.items()
               if contrast_ratio(c, background) < AA_TEXT}  # fmt: skip
        assert not low, f"below 4.5:1 on {background}: {low}"
    finally:
        window.set_theme("bootstrap-light", remember=False)


# ------------------------------------------------------------------------ save & restore
def test_save_as_writes_the_format_the_extension_names(root, make_window, kernels_dir, tmp_path):
    import nbformat

    window = make_window()
    console = ready(root, window.open_kernel("python3"))
    run_and_wait(root, console, "6 * 7")
    window.save_as(str(tmp_path / "s.ipynb"))
    nbformat.validate(nbformat.read(tmp_path / "s.ipynb", as_version=4))
    window.save_as(str(tmp_path / "s.txt"))
    assert "Out[1]: 42" in (tmp_path / "s.txt").read_text()
    window.save_as(str(tmp_path / "s.html"))
    assert "<script" not in (tmp_path / "s.html").read_text().lower()


def test_session_restore_reopens_the_tabs(root, make_window, kernels_dir, monkeypatch, tmp_path):
    from tkconsole import session_restore

    monkeypatch.setenv("TKCONSOLE_DATA_DIR", str(tmp_path / "data"))
    window = make_window()
    session_restore.remember_on_close(window, window.backend)
    ready(root, window.open_kernel("python3"))
    named = ready(root, window.open_kernel("second"))
    window.tabs.rename(window.tabs.current(), "work")
    del named
    window.close()
    saved = load_session(session_restore.session_path())
    assert saved == [
        SavedTab(Target("local", kernel="python3"), None),
        SavedTab(Target("local", kernel="second"), "work"),
    ]
    again = make_window(Settings(session=SessionSettings(restore="always")))
    reopened = session_restore.offer_restore(again)
    assert [t.title for t in again.tabs.all()] == [t.title for t in reopened]
    assert [t.name for t in again.tabs.all()] == [None, "work"]
    for tab in again.tabs.all():
        ready(root, tab)
    assert again.tabs.all()[1].console.conn.kernel_name == "second"
    off = make_window(Settings(session=SessionSettings(restore="off")))
    assert session_restore.offer_restore(off) == [] and not off.tabs.all()


# ------------------------------------------------------------------------ input
def test_continuation_lines_line_up_under_the_first_and_copy_without_margin(root, make_console):
    console = make_console()
    text = console.text
    type_text(text, "def f(a,")
    press(text, "Return")  # incomplete: a new line, indented by the kernel
    wait_for(root, lambda: text.index("end-1c").split(".")[0] != text.index("input").split(".")[0],
             10, "the continuation line")  # fmt: skip
    type_text(text, "b):")
    root.update_idletasks()
    first = text.bbox("input")
    line2 = text.index("input linestart +1l")
    second = text.bbox(line2)
    assert first is not None and second is not None
    assert second[0] == first[0]  # the second line starts under the first's code
    code = text.input_text()
    assert code.startswith("def f(a,\n") and code.endswith("b):")
    text.tag_add("sel", "input", "end-1c")
    text.event_generate("<<Copy>>")
    assert text.clipboard_get() == code


def test_view_menu_shows_output_from_other_clients(root, make_window, kernels_dir):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    press(first.text, "T", state=4 | 1)  # Ctrl+Shift+T: a second client
    second = ready(root, window.tabs.current())
    view = window.menus["View"]
    view.invoke(view.index("Show output from other clients"))
    assert first.include_other_output and second.include_other_output
    run_and_wait(root, second, "print('from the second tab')")
    wait_for(root, lambda: "from the second tab" in first.transcript().replace("print(", ""),
             10, "the other client's output")  # fmt: skip
    view.invoke(view.index("Show output from other clients"))
    run_and_wait(root, second, "print('now private')")
    root.update()
    assert "now private" not in first.transcript()


def test_file_connect_opens_a_tab_in_the_window(root, make_window, kernels_dir):
    from tkconsole.ui.dialogs.connect import ConnectDialog

    window = make_window()
    file_menu = window.menus["File"]
    file_menu.invoke(file_menu.index("Connect…"))
    dialog = wait_for(root, lambda: _child_titled(window.root, "Connect to a kernel"), 5, "dialog")
    assert isinstance(dialog, ConnectDialog)
    dialog.specs.selection_set("second")
    dialog.start_local()
    assert len(window.tabs.all()) == 1
    console = ready(root, window.tabs.current())
    assert console.conn.kernel_name == "second"


def test_restart_key_asks_first(root, make_window, kernels_dir):
    window = make_window()
    console = ready(root, window.open_kernel("python3"))
    run_and_wait(root, console, "kept = 1")
    asked = answer_next_question(root, "cancel")
    press(console.text, "period", state=4)  # Ctrl+.
    assert asked == ["Restart kernel"]
    assert "Restarting" not in console.transcript()
    answer_next_question(root, "restart")
    press(console.text, "period", state=4)
    wait_for(root, lambda: "Kernel restarted." in console.transcript(), 30, "the restart")


def test_kernel_restart_and_clear_keeps_only_the_prompt_and_the_typed_input(root, make_window):
    window = make_window()
    console = ready(root, window.open_kernel("python3"))
    run_and_wait(root, console, "print('old output'); kept = 1")
    before = kernel_process(console).pid
    type_text(console.text, "half typed")
    asked = answer_next_question(root, "restart")
    kernel = window.menus["Kernel"]
    kernel.invoke(kernel.index("Restart and clear…"))
    assert asked == ["Restart kernel"]
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 1, 60, "the restart")
    root.update()
    assert console.transcript() == "In [1]: half typed"
    assert console.text.input_text() == "half typed" and kernel_process(console).pid != before
    console.text.delete("input", "end-1c")
    assert "False" in run_and_wait(root, console, "print('kept' in dir())")  # a new kernel
    assert "old output" not in console.transcript()
