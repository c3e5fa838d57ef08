"""The variables pane on real kernels: listed after a cell, refreshed while a
cell runs, 10,000 globals filled in steps, a kernel without a debugger."""

from __future__ import annotations

import time

from conftest import press, run_and_wait, wait_for


def test_pane_lists_a_variable_with_its_type_and_value(root, make_console):
    console = make_console()
    press(console.text, "F4")  # View → Variables' key
    assert console.debugger.variables_shown()
    run_and_wait(root, console, "x = 42")
    wait_for(root, lambda: ("x", "int", "42") in console.variables(), 10, "x in the pane")
    pane = console.debugger.sidebar.variables
    wait_for(root, lambda: ("x", "int", "42") in pane.shown(), 10, "x drawn")
    run_and_wait(root, console, "s = 'hello ' * 2")
    wait_for(root, lambda: any(r[0] == "s" for r in pane.shown()), 10, "s drawn")
    (iid,) = [i for i in pane.tree.get_children("") if pane.tree.item(i, "text") == "s"]
    pane.tree.see(iid)
    root.update()
    _x, y, _w, h = pane.tree.bbox(iid)
    for _click in range(2):  # a double click: its rich view
        pane.tree.event_generate("<ButtonPress-1>", x=10, y=y + h // 2)
        pane.tree.event_generate("<ButtonRelease-1>", x=10, y=y + h // 2)
    wait_for(root, lambda: "\n'hello hello '\n" in console.transcript(), 10, "the rich view")
    press(console.text, "F4")
    assert not console.debugger.variables_shown()


def test_refresh_while_a_cell_sleeps_lists_what_it_assigned(root, make_console):
    console = make_console()
    console.show_variables()
    console.execute("early = 'here'\nimport time\ntime.sleep(6)")
    wait_for(root, lambda: console.kernel_state == "busy", 10, "the cell running")
    time.sleep(0.3)  # the assignment has run by now
    asked = time.monotonic()
    console.refresh_variables()
    wait_for(root, lambda: ("early", "str", "'here'") in console.variables(), 5, "early listed")
    assert time.monotonic() - asked < 1.5  # the bound
    assert console.kernel_state == "busy"  # the cell still runs
    wait_for(root, console.is_idle, 20, "the cell's end")


def open_row(root, pane, iid: str) -> None:
    pane.tree.focus(iid)
    pane.tree.item(iid, open=True)
    pane.tree.event_generate("<<TreeviewOpen>>")
    root.update()


def test_children_expand_lazily_and_page(root, make_console):
    console = make_console()
    console.show_variables()
    run_and_wait(root, console, "big = list(range(1000))")
    wait_for(root, lambda: any(r[0] == "big" for r in console.variables()), 10, "big listed")
    pane = console.debugger.sidebar.variables
    wait_for(root, lambda: not pane.filling(), 10, "the pane filled")
    (iid,) = [i for i in pane.tree.get_children("") if pane.tree.item(i, "text") == "big"]
    assert len(pane.tree.get_children(iid)) == 1  # the placeholder, nothing asked yet
    open_row(root, pane, iid)  # the kernel opens values only while debugging
    assert "Turn debugging on" in pane.note.cget("text")
    console.debugger.start()
    wait_for(root, lambda: console.debugger.state == "running", 10, "debugging on")
    open_row(root, pane, iid)
    wait_for(root, lambda: len(pane.tree.get_children(iid)) > 1, 10, "children")
    children = pane.tree.get_children(iid)
    texts = [pane.tree.item(c, "text") for c in children]
    assert "000" in texts and "more" in texts  # the kernel's own page of 100, and the rest
    assert len(children) <= 201


def test_ten_thousand_globals_fill_in_steps_without_stalling(root, make_console):
    console = make_console()
    console.show_variables()
    run_and_wait(root, console, "for i in range(10000): globals()[f'v{i:05}'] = i")
    pane = console.debugger.sidebar.variables
    steps: list[float] = []
    fill, receive = pane._fill, console.receive

    def timed(fn):
        def wrapper(*args):
            start = time.thread_time()  # the Tk thread's own work, whatever the load
            try:
                return fn(*args)
            finally:
                steps.append(time.thread_time() - start)

        return wrapper

    pane._fill = timed(fill)
    console.receive = timed(receive)
    console.refresh_variables()
    wait_for(root, lambda: len(console.debugger.sidebar.variables.shown()) >= 10000, 60, "rows")
    names = {row[0] for row in console.variables()}
    assert {"v00000", "v09999"} <= names
    assert len(steps) > 5  # filled in steps
    assert max(steps) < 0.033, sorted(steps)[-5:]


def test_a_kernel_without_the_debugger_says_so_and_runs_code(root, make_console, tmp_path):
    from fake_kernel import FakeKernel

    kernel = FakeKernel(tmp_path)
    try:
        console = make_console(connection_file=str(kernel.connection_file))
        console.show_variables()
        pane = console.debugger.sidebar.variables
        wait_for(root, lambda: "no debugger" in pane.note.cget("text"), 10, "the note")
        assert console.debugger.available is False
        console.debugger.start()
        assert console.debugger.state == "off"
        shown = run_and_wait(root, console, "1")
        assert "good output" in shown and "This kernel has no debugger." in shown
    finally:
        kernel.stop()
