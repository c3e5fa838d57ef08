"""Kernels are ended only when the person says so: ``exit``, Ctrl+W, restart
and shut down on kernels tkconsole did not start, or that other tabs use.

Driven as a person does, in the app's window: keys typed at the prompt, the
question's buttons pressed; what survives is checked by process id, after
the moment a careless client would have killed the kernel (ipykernel 7 ends
its loop 0.1 s after ``exit`` runs).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import focus, press, pump, run_and_wait, type_text, wait_for
from test_app_window import answer_next_question, kernel_process, kernels_dir, make_window, ready

from tkconsole.models.target import Target

__all__ = ["kernels_dir", "make_window"]  # fixtures, used by name
SURVIVAL_CHECK = 5.0  # s after the answer: long past ipykernel's 0.1 s exit delay


@pytest.fixture
def launched_kernel(tmp_path):
    """``python -m ipykernel_launcher -f F``: a kernel someone else started."""
    path = tmp_path / "kernel-theirs.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipykernel_launcher", "-f", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    end = time.monotonic() + 60
    while not _complete(path):
        assert time.monotonic() < end and proc.poll() is None, "the kernel did not start"
        time.sleep(0.05)
    yield path, proc
    proc.kill()
    proc.wait(10)


def _complete(path: Path) -> bool:
    try:
        return "shell_port" in json.loads(path.read_text())
    except (OSError, ValueError):
        return False


def type_and_run(console, code: str) -> None:
    type_text(console.text, code)
    press(console.text, "Return", state=1)  # Shift+Return


@pytest.mark.parametrize(("answer", "survives"), [("cancel", True), ("close", True),
                                                  ("shutdown", False)])  # fmt: skip
def test_exit_on_an_existing_kernel_asks_first_and_the_kernel_survives_unless_shut_down(
    root, make_window, launched_kernel, answer, survives
):
    path, proc = launched_kernel
    window = make_window()
    tab = window.open_target(Target("file", path=str(path)))
    console = ready(root, tab)
    run_and_wait(root, console, "kept = 7")
    asked = answer_next_question(root, answer)
    type_and_run(console, "exit")
    wait_for(root, lambda: asked, 20, "the question")
    assert asked == ["Close console"]
    pump(root, SURVIVAL_CHECK)
    alive = psutil.pid_exists(proc.pid) and proc.poll() is None
    assert alive == survives, f"answered {answer!r}: kernel alive={alive}"
    if answer == "cancel":
        assert tab in window.tabs.all() and console.text.input_text() == ""
        assert "Out[2]: 7" in run_and_wait(root, console, "kept")  # nothing was sent
    elif answer == "close":
        assert window.closing  # its only tab went, and the window with it
        again = ready(root, make_window().open_target(Target("file", path=str(path))))
        assert "Out[2]: 7" in run_and_wait(root, again, "kept")  # the same kernel, alive


def test_exit_in_the_second_tab_on_our_kernel_is_caught_and_names_the_first(root, make_window):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    process = kernel_process(first)
    press(first.text, "T", state=4 | 1)  # Ctrl+Shift+T
    second = ready(root, window.tabs.current())
    asked = answer_next_question(root, "close")
    type_and_run(second, "exit")
    wait_for(root, lambda: asked, 20, "the question")
    pump(root, SURVIVAL_CHECK)
    assert process.is_running() and [t.console for t in window.tabs.all()] == [first]
    assert "Out[1]: 2" in run_and_wait(root, first, "1 + 1")


def ctrl_w(console) -> None:
    """Ctrl+W: the tab goes within the key press (so no press(), which updates it after)."""
    top = console.winfo_toplevel()
    focus(console.text)
    console.text.event_generate("<KeyPress-w>", state=4)
    top.update()


def _question_text(root) -> list[str]:
    from tkconsole.ui.dialogs.choice import ChoiceDialog

    texts: list[str] = []

    def grab() -> None:
        dialog = ChoiceDialog.last
        if dialog is not None and dialog.winfo_exists():
            texts.append(" ".join(_labels(dialog)))
        else:
            root.after(10, grab)

    root.after(10, grab)
    return texts


def _labels(widget) -> list[str]:
    found = []
    for child in widget.winfo_children():
        if child.winfo_class() == "TLabel":
            found.append(str(child.cget("text")))
        found += _labels(child)
    return found


def test_ctrl_w_shutting_down_a_shared_kernel_names_the_other_tab_which_says_so(
    root, make_window, kernels_dir
):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    process = kernel_process(first)
    press(first.text, "T", state=4 | 1)  # Ctrl+Shift+T: a second tab on the same kernel
    second_tab = window.tabs.current()
    second = ready(root, second_tab)
    window.tabs.select(0)
    root.update()
    shown = _question_text(root)
    asked = answer_next_question(root, "shutdown")
    ctrl_w(first)
    wait_for(root, lambda: asked, 20, "the question")
    assert asked == ["Close tab"] and "tab 2" in shown[0] and "ends it there too" in shown[0]
    assert window.tabs.all() == [second_tab]
    _gone, alive = psutil.wait_procs([process], timeout=20)
    assert not alive
    pump(root, SURVIVAL_CHECK)  # long enough for a heartbeat to have missed
    shown_there = second.transcript()
    assert "Kernel shut down from tab 1 “Python 3 (ipykernel)”." in shown_there
    assert "not responding" not in shown_there and "died" not in shown_there
    buttons = [w for w in second.text.winfo_children() if w.winfo_class() == "TButton"]
    (restart,) = [b for b in buttons if b.cget("text") == "Restart"]
    restart.invoke()
    fresh = ready(root, window.tabs.all()[0])
    assert len(window.tabs.all()) == 1 and fresh is not second
    assert "Out[1]: 2" in run_and_wait(root, fresh, "1 + 1")


def test_ctrl_w_on_the_second_tab_ends_nothing(root, make_window, kernels_dir):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    process = kernel_process(first)
    press(first.text, "T", state=4 | 1)
    second = ready(root, window.tabs.current())
    ctrl_w(second)  # not ours to end from here: no question
    pump(root, 1.0)
    assert [t.console for t in window.tabs.all()] == [first] and process.is_running()
    assert "Out[1]: 2" in run_and_wait(root, first, "1 + 1")


def test_restart_of_a_shared_kernel_names_the_other_tab(root, make_window, kernels_dir):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    press(first.text, "T", state=4 | 1)
    ready(root, window.tabs.current())
    window.tabs.select(0)
    root.update()
    shown = _question_text(root)
    asked = answer_next_question(root, "cancel")
    press(first.text, "period", state=4)  # Ctrl+.
    wait_for(root, lambda: asked, 20, "the question")
    assert asked == ["Restart kernel"] and "tab 2" in shown[0]
    assert "Restarting" not in first.transcript()


def test_quit_names_every_tab_on_a_kernel_we_started_and_can_leave_it_running(
    root, make_window, kernels_dir
):
    window = make_window()
    first = ready(root, window.open_kernel("python3"))
    process = kernel_process(first)
    press(first.text, "T", state=4 | 1)
    ready(root, window.tabs.current())
    shown = _question_text(root)
    asked = answer_next_question(root, "keep")
    file_menu = window.menus["File"]
    file_menu.invoke(file_menu.index("Quit"))
    assert asked == ["Quit tkconsole"] and window.closing
    assert "1 kernel(s)" in shown[0] and "tab 1" in shown[0] and "tab 2" in shown[0]
    pump(root, SURVIVAL_CHECK)
    assert process.is_running()
    process.kill()
