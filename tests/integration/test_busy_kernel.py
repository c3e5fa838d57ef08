"""A busy kernel stays useful: while ``time.sleep(8)`` runs, the next input is
shown as typed below the running cell, Tab completes it and ``len?`` opens help
within 1 s (the kernel's subshell answers), Enter queues it, output goes above
it, and Ctrl+C still interrupts the main cell.  Real ipykernel 7."""

from __future__ import annotations

import re

import pytest
from conftest import press, run_and_wait, type_text, wait_for

from tkconsole.ui.next_input import WAITING_LABEL


@pytest.fixture
def busy(root, make_console):
    """A console whose kernel runs ``time.sleep(8)`` (its subshell made)."""
    console = make_console()
    wait_for(root, lambda: console.conn.subshell_id, 10, "the subshell")
    run_and_wait(root, console, "import math, time")
    type_text(console.text, "print('started', flush=True); time.sleep(8); print('slept')")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: "started\n" in console.transcript(), 10, "the cell to start")
    return console


def test_typing_while_a_cell_runs_is_shown_and_tab_completes_it(root, busy):
    type_text(busy.text, "math.fl")
    assert busy.text.input_text() == "math.fl"
    assert busy.transcript().endswith(f"started\n{WAITING_LABEL}math.fl")
    press(busy.text, "Tab")
    completer = busy.editing.completer

    def completed() -> bool:
        listed = completer.popup is not None and "floor" in completer.popup.items()
        return busy.text.input_text() == "math.floor" or listed

    wait_for(root, completed, 1.0, "Tab to complete within 1 s")
    assert busy.model.mode == "executing"  # the main cell still runs
    wait_for(root, lambda: busy.model.mode == "prompt", 15, "the cell to end")
    shown = busy.transcript()
    assert "started\nslept\n" in shown  # the cell ended normally, its output above
    assert shown.rstrip().endswith("math.fl") or "math.floor" in shown.splitlines()[-1]
    assert busy.at_prompt() and busy.text.input_text().startswith("math.f")


def test_help_while_a_cell_runs_opens_within_a_second(root, busy):
    type_text(busy.text, "len?")
    press(busy.text, "Return")
    pager = busy.editing.pager
    wait_for(root, lambda: pager.is_open and "Return the number" in pager.text.get("1.0", "end"),
             1.0, "len? to open help within 1 s")  # fmt: skip
    assert busy.model.mode == "executing"


def test_enter_queues_the_next_input_to_run_when_the_cell_ends(root, busy):
    type_text(busy.text, "6 * 7")
    press(busy.text, "Return")
    wait_for(root, lambda: not busy.text.editable, 2, "the input to be queued")
    assert busy.model.mode == "executing"
    wait_for(root, lambda: "Out[3]: 42" in busy.transcript(), 20, "the queued input to run")
    wait_for(root, busy.at_prompt, 5, "the prompt after it")
    shown = busy.transcript()
    assert shown.index("slept") < shown.index("In [3]: 6 * 7") < shown.index("Out[3]: 42")
    assert WAITING_LABEL not in shown and shown.endswith("In [4]: ")


def test_ctrl_c_still_interrupts_the_main_cell(root, busy):
    type_text(busy.text, "x = 1")
    press(busy.text, "c", state=4)  # Ctrl+C
    wait_for(root, lambda: "KeyboardInterrupt" in busy.transcript(), 5, "the interrupt")
    wait_for(root, busy.at_prompt, 5, "the prompt after the interrupt")
    assert "\nslept\n" not in busy.transcript()
    assert busy.text.input_text() == "x = 1"  # what was typed below the cell is kept


def test_output_goes_above_the_next_input_and_the_cursor_stays(root, make_console):
    console = make_console()
    type_text(
        console.text,
        "import time; _ = [(print('tick', i, flush=True), time.sleep(0.4)) for i in range(4)]",
    )
    press(console.text, "Return", state=1)
    wait_for(root, lambda: console.next_input.editable(), 5, "the input below the cell")
    type_text(console.text, "abc")
    press(console.text, "Left")
    wait_for(root, lambda: "tick 3\n" in console.transcript(), 10, "all the output")
    assert console.transcript().endswith(f"tick 3\n{WAITING_LABEL}abc")
    assert console.editing.cursor_offset() == 2
    wait_for(root, console.at_prompt, 10, "the prompt")
    assert console.text.input_text() == "abc" and console.editing.cursor_offset() == 2


def test_widget_messages_stay_on_the_main_shell(root, make_console):
    from tkconsole.ui.widgets.sliders import IntSliderView

    console = make_console()
    wait_for(root, lambda: console.conn.subshell_id, 10, "the subshell")
    run_and_wait(root, console, "import ipywidgets as w, threading; s = w.IntSlider(max=10); s")
    run_and_wait(root, console, "where = []; s.observe("
                 "lambda ch: where.append(threading.current_thread().name), 'value')")  # fmt: skip
    slider = wait_for(root, lambda: find(console, IntSliderView), 10, "the slider")
    slider.scale.set(8)  # as a drag ends: the view sends the new value

    def handled_on() -> list[str]:
        shown = run_and_wait(root, console, "print('WHERE', where)")
        return re.findall(r"^WHERE \[(.+)\]$", shown, re.MULTILINE)

    threads = wait_for(root, handled_on, 20, "the handler to run")
    assert threads[-1] == "'MainThread'"


def find(widget, cls):
    """The first view of ``cls`` among ``widget``'s descendants (None: not yet)."""
    stack = [widget]
    while stack:
        current = stack.pop()
        if isinstance(current, cls):
            return current
        stack.extend(current.winfo_children())
    return None


def test_input_in_the_cell_takes_the_next_input_away_until_answered(root, make_console):
    console = make_console()
    code = "import time; time.sleep(1); name = input('name? '); print(name.upper()); time.sleep(2)"
    type_text(console.text, code)
    press(console.text, "Return", state=1)
    wait_for(root, console.next_input.editable, 5, "the input below the cell")
    type_text(console.text, "later()")
    wait_for(root, lambda: console.transcript().endswith("name? "), 10, "the input() prompt")
    type_text(console.text, "Ada\n")
    wait_for(root, console.next_input.editable, 5, "the next input back")
    assert console.text.input_text() == "later()"
    wait_for(root, console.at_prompt, 10, "the cell to end")
    shown = console.transcript()
    assert "name? Ada\nADA\n" in shown and shown.endswith("In [2]: later()")
