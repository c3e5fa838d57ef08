"""The debugger on real ipykernels (debugpy): breakpoints, stopping, the stack,
stepping, continuing, exceptions, margins of earlier cells, interrupt and restart."""

from __future__ import annotations

from conftest import press, pump, type_text, wait_for

from tkconsole.ui.debug.margin import STOPPED_TAG

F = "def f(x):\n    y = x + 1\n    return y * 2"


def run(root, console, code: str, timeout: float = 30.0) -> int:
    """Execute ``code`` as a cell, wait for the next prompt; its In [n] number."""
    wait_for(root, console.is_idle, timeout, "a prompt")
    cell = console.prompt_number
    console.execute(code)
    wait_for(root, lambda: console.is_idle() and console.prompt_number > cell, timeout, code)
    return cell


def start_debugging(root, console) -> None:
    console.debugger.start()
    wait_for(root, lambda: not console.debugger.session._setup, 10, "the debugger set up")
    assert console.debugger.state == "running"


def stop_at(root, console, code: str, where: tuple) -> None:
    console.execute(code)
    wait_for(root, lambda: console.debugger.stopped_at == where, 10, f"stopped at {where}")


def highlighted(console) -> str:
    ranges = console.text.tag_ranges(STOPPED_TAG)
    return console.text.get(ranges[0], ranges[1]).rstrip("\n") if ranges else ""


def test_breakpoint_stop_frames_locals_step_and_continue(root, make_console):
    console = make_console()
    debugger = console.debugger
    cell = run(root, console, F)
    assert debugger.toggle_breakpoint(cell, 2) is True
    assert debugger.breakpoints == {cell: [2]}
    start_debugging(root, console)
    call = console.prompt_number
    stop_at(root, console, "print(f(3))", (cell, 2))
    assert len(debugger.frames) >= 2
    assert debugger.frames[0] == ("f", cell, 2) and debugger.frames[1][1:] == (call, 1)
    wait_for(root, lambda: ("x", "int", "3") in console.variables(), 10, "the locals")
    assert highlighted(console) == "    y = x + 1"
    assert "· stopped" in debugger.tab_mark()
    debugger.evaluate("x * 10")
    wait_for(root, lambda: "» x * 10\n30\n" in console.transcript(), 10, "the evaluated result")
    type_text(console.text, "x + 100")  # typed below the stopped cell: evaluated in its frame
    press(console.text, "Return", state=1)
    wait_for(root, lambda: "» x + 100\n103\n" in console.transcript(), 10, "the typed one")
    assert not console.model.has_queued()  # not run again after the cell
    press(console.text, "F10")  # step over
    wait_for(root, lambda: debugger.stopped_at == (cell, 3), 10, "the next line")
    wait_for(root, lambda: highlighted(console) == "    return y * 2", 10, "the highlight moved")
    wait_for(root, lambda: ("y", "int", "4") in console.variables(), 10, "y in the locals")
    debugger.select_frame(1)  # the caller, as a click in the stack list does
    wait_for(root, lambda: debugger.stopped_at == (call, 1), 10, "the caller's frame")
    press(console.text, "F5")  # continue
    wait_for(root, lambda: console.is_idle() and console.prompt_number > call, 10, "the cell's end")
    assert "\n8\n" in console.transcript()
    assert debugger.state == "running" and debugger.stopped_at is None
    assert highlighted(console) == ""
    press(console.text, "D", state=5)  # Ctrl+Shift+D: debugging off
    assert debugger.state == "off"


def test_a_raised_exception_stops_with_the_option_on(root, make_console):
    console = make_console()
    debugger = console.debugger
    cell = run(root, console, "def g():\n    raise ValueError('boom')")
    start_debugging(root, console)
    sidebar = debugger.sidebar
    sidebar.raised.set(True)  # the toolbar's "raised" box
    sidebar.actions["exceptions"]("raised", True)
    stop_at(root, console, "g()", (cell, 2))
    assert highlighted(console) == "    raise ValueError('boom')"

    def continued() -> bool:  # "raised" stops again in each frame the exception passes
        if debugger.state == "stopped":
            debugger.step("continue")
        return "ValueError: boom" in console.transcript()

    wait_for(root, continued, 20, "the traceback")


def test_a_breakpoint_set_in_an_earlier_cells_margin_is_hit(root, make_console):
    console = make_console()
    debugger = console.debugger
    cell = run(root, console, F)
    run(root, console, "z = 1")
    start_debugging(root, console)
    margin = debugger.margin
    root.update()
    first = margin.prompt_line(cell)
    _x, y, _w, h, _b = console.text.dlineinfo(f"{first + 1}.0")
    margin.canvas.event_generate("<ButtonPress-1>", x=5, y=y + h // 2)
    assert debugger.breakpoints == {cell: [2]}
    margin.redraw()
    assert len(margin.canvas.find_all()) == 1  # the red dot
    stop_at(root, console, "f(3)", (cell, 2))
    debugger.step("continue")
    wait_for(root, console.is_idle, 10, "the cell's end")


def test_breakpoints_work_after_an_interrupt_and_after_a_restart(root, make_console):
    console = make_console()
    debugger = console.debugger
    cell = run(root, console, F)
    debugger.toggle_breakpoint(cell, 2)
    start_debugging(root, console)
    console.execute("import time\ntime.sleep(30)")
    wait_for(root, lambda: console.kernel_state == "busy", 10, "the sleep")
    pump(root, 1.0)  # the sleep has begun
    console.interrupt()  # under debugpy the kernel takes about 5 s to act on it
    wait_for(root, lambda: "KeyboardInterrupt" in console.transcript(), 45, "the interrupt")
    wait_for(root, console.is_idle, 10, "a prompt")
    stop_at(root, console, "f(3)", (cell, 2))
    debugger.step("continue")
    wait_for(root, console.is_idle, 10, "the cell's end")

    console.restart()
    wait_for(root, lambda: "Kernel restarted." in console.transcript(), 30, "the restart")
    wait_for(root, console.is_idle, 30, "a prompt")
    wait_for(root, lambda: not debugger.session._setup, 10, "the debugger set up again")
    assert debugger.state == "running"  # rebuilt in the new kernel
    assert debugger.breakpoints == {cell: [2]}  # kept, and sent to the new kernel
    again = run(root, console, F)  # the count starts again: the same In [n]
    assert again == cell
    stop_at(root, console, "f(3)", (again, 2))
    debugger.step("continue")
    wait_for(root, console.is_idle, 10, "the cell's end")


def test_a_frame_outside_any_cell_shows_its_source(root, make_console):
    console = make_console()
    debugger = console.debugger
    cell = run(root, console, "import colorsys\ndef h(v):\n    return colorsys.rgb_to_hsv(v, v, v)")
    debugger.toggle_breakpoint(cell, 3)
    start_debugging(root, console)
    stop_at(root, console, "h(0.5)", (cell, 3))
    press(console.text, "F11")  # step into the library
    wait_for(
        root,
        lambda: str((debugger.stopped_at or ("",))[0]).endswith("colorsys.py"),
        10,
        "a frame in colorsys.py",
    )
    source = debugger.sidebar.source
    wait_for(root, lambda: "def rgb_to_hsv" in source.get("1.0", "end"), 10, "its source")
    assert source.winfo_ismapped() and highlighted(console) == ""
    line = debugger.stopped_at[1]
    assert source.tag_ranges("current")[0].string == f"{line}.0"
    press(console.text, "F11", state=1)  # Shift+F11: step out, back in the cell
    wait_for(root, lambda: debugger.stopped_at == (cell, 3), 10, "back in the cell")
    debugger.step("continue")
    wait_for(root, console.is_idle, 10, "the cell's end")
