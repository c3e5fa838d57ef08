"""The console driven like a person would, against real ipykernel processes."""

from __future__ import annotations

import os
import re
import signal
import time

from conftest import answer_input, press, run_and_wait, screenshot, type_text, wait_for


def tags_at(console, needle: str) -> tuple[str, ...]:
    """Tags on the first line that starts with ``needle`` (output, not the input)."""
    index = console.text.search("^" + re.escape(needle), "1.0", "end", regexp=True)
    assert index, f"{needle!r} not shown"
    return console.text.tag_names(index)


def test_startup_reaches_a_prompt(make_console):
    console = make_console()
    text = console.transcript()
    assert text.rstrip().endswith("In [1]:")
    assert "Python" in text  # the kernel's banner
    assert console.status()[1:] == ("idle", "connected")


def test_stdout_stderr_result_and_traceback(root, make_console, tmp_path):
    console = make_console()
    shown = run_and_wait(
        root, console, "import sys; print('to-out'); print('to-err', file=sys.stderr)"
    )
    assert "to-out\n" in shown and "to-err\n" in shown
    assert "stderr" in tags_at(console, "to-err")
    assert "stderr" not in tags_at(console, "to-out")

    shown = run_and_wait(root, console, "40 + 2")
    assert "Out[2]: 42" in shown

    run_and_wait(root, console, "def f(): return 1/0")
    shown = run_and_wait(root, console, "f()")
    assert "ZeroDivisionError" in shown
    assert "\x1b" not in shown  # colours rendered, not shown as escape codes
    colour_tags = [t for t in tags_at(console, "ZeroDivisionError") if t.startswith("fg-")]
    assert colour_tags, "the traceback keeps its ANSI colours"
    assert shown.rstrip().endswith("In [5]:")
    png = screenshot(console, tmp_path / "traceback.png")
    assert png.stat().st_size > 1000


def test_output_is_read_only_and_input_editable(root, make_console):
    console = make_console()
    run_and_wait(root, console, "print('keep me')")
    before = console.transcript()
    console.text.mark_set("insert", "1.0")
    press(console.text, "Delete")
    press(console.text, "BackSpace")
    assert console.transcript() == before  # the scrollback did not change
    type_text(console.text, "abc")  # typing from the scrollback lands in the input
    press(console.text, "BackSpace")
    assert console.transcript() == before + "ab"


def test_enter_uses_is_complete_for_multiline_input(root, make_console):
    console = make_console()
    type_text(console.text, "for i in range(3):\n")
    wait_for(root, lambda: console.text.input_text().endswith("\n    "), 10, "an indent")
    assert console.is_idle()  # incomplete: nothing ran
    type_text(console.text, "print(i * 10)\n")
    time.sleep(0.3)
    root.update()
    assert console.prompt_number == 1
    type_text(console.text, "\n")
    wait_for(root, lambda: console.prompt_number == 2 and console.is_idle(), 20, "the loop")
    assert "0\n10\n20\n" in console.transcript()


def test_input_and_getpass(root, make_console):
    console = make_console()
    answer_input(root, console)

    type_text(console.text, "import getpass; pw = getpass.getpass('pw: ')")
    press(console.text, "Return", state=1)
    entry = wait_for(root, lambda: console._stdin and console._stdin["entry"], 20, "a field")
    type_text(entry, "s3cret\n")
    shown = run_and_wait(root, console, "len(pw), pw[::-1]")
    assert "(6, 'terc3s')" in shown
    assert "s3cret" not in shown  # never echoed


def test_ctrl_c_interrupts_a_busy_loop(root, make_console):
    console = make_console()
    type_text(console.text, "while True: pass")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: console.kernel_state == "busy", 10, "busy")
    time.sleep(0.3)
    press(console.text, "c", state=4)  # Ctrl+C with nothing selected
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 20, "interrupt")
    assert "KeyboardInterrupt" in console.transcript()


def test_sigkill_restarts_the_kernel(root, make_console):
    console = make_console()
    run_and_wait(root, console, "x = 1")
    type_text(console.text, "half typed")
    os.kill(console.conn.manager.provisioner.pid, signal.SIGKILL)
    wait_for(root, lambda: "Kernel died, restarted." in console.transcript(), 20, "restart")
    wait_for(root, console.is_idle, 20, "a fresh prompt")
    assert console.text.input_text() == "half typed"  # nothing typed is lost
    console.text.erase("input", "end-1c")
    shown = run_and_wait(root, console, "'x' in dir()")
    assert "Out[1]: False" in shown  # a fresh kernel, executing again


def test_ctrl_period_restarts(root, make_console):
    console = make_console()
    run_and_wait(root, console, "y = 5")
    press(console.text, "period", state=4)
    wait_for(root, lambda: "Kernel restarted." in console.transcript(), 20, "restart")
    shown = run_and_wait(root, console, "'y' in dir()")
    assert "Out[1]: False" in shown


def test_idle_output_from_a_thread_lands_above_the_prompt(root, make_console):
    console = make_console()
    code = "import threading; threading.Timer(0.5, lambda: print('late')).start()"
    run_and_wait(root, console, code)
    type_text(console.text, "draft")
    wait_for(root, lambda: "late\n" in console.transcript(), 10, "thread output")
    assert console.transcript().endswith("late\n\nIn [2]: draft")
