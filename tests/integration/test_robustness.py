"""The cases of "no message can break the console", each as a person meets it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, press, run_and_wait, type_text, wait_for

from tkconsole.embed import ConsoleWidget
from tkconsole.kernel.connfile import ConnectionFileError
from tkconsole.ui.output.fold import Fold, Squeeze


def widgets(console, kind) -> list:
    return [w for w in console.text.winfo_children() if isinstance(w, kind)]


def inject(console, channel: str, msg: dict) -> None:
    """A message arriving as the transport delivers it: on the queue the pump drains."""
    console.conn.queue.put((console.conn, channel, msg))


def longest_line(console) -> int:
    return max(len(line) for line in console.transcript().split("\n"))


def test_a_megabyte_string_result_is_folded(root, make_console):
    console = make_console()
    shown = run_and_wait(root, console, "'x' * 10**6")
    assert "Out[1]: 'xxxx" in shown
    assert longest_line(console) < 2000  # the head only; Tk never lays out the megabyte
    (fold,) = widgets(console, Fold)
    assert "more characters" in fold.label.cget("text")
    fold.expand()
    assert longest_line(console) < 2000 + 20_000


@pytest.mark.parametrize("mime", ["text/plain", "text/html", "text/markdown", "text/latex"])
def test_a_megabyte_display_in_any_text_type_is_bounded(root, make_console, mime):
    console = make_console()
    code = (
        "from IPython.display import publish_display_data\n"
        f"publish_display_data({{'{mime}': ('<b>word</b> ' * 20 + '\\n') * 4000}})"
    )
    shown = run_and_wait(root, console, code)
    assert "word" in shown
    assert len(shown) < 100_000  # the rest waits behind the fold
    assert widgets(console, Fold)


def test_death_notice_is_drawn_before_the_backlog(root, make_console):
    """A big undrawn backlog, then the kernel dies: the next render shows the
    notice, and the backlog is kept behind the squeeze button."""
    console = make_console()
    run_and_wait(root, console, "1")
    console.execute("import time; time.sleep(30)")
    wait_for(root, lambda: console.model.mode == "executing", 10, "executing")
    parent = {"msg_id": console.model.exec_id, "session": console.conn.session_id}
    flood = "".join(f"{i}\n" for i in range(500_000))
    for _ in range(4):
        console.receive("iopub", {"msg_type": "stream", "parent_header": parent,
                                  "content": {"name": "stdout", "text": flood}})  # fmt: skip
    console.receive(
        "events", {"msg_type": "died", "parent_header": {}, "content": {"restarting": False}}
    )
    console.render(0)  # one drawing step: the backlog goes behind the button
    console.render(0)  # and the next: the notice, and nothing is left to draw
    assert "keeps dying" in console.transcript()
    assert not console.writer.pending()
    (squeeze,) = widgets(console, Squeeze)
    assert squeeze.lines == 2_000_000


def test_sigkill_during_a_flood_shows_the_death_notice(root, make_console):
    console = make_console()
    run_and_wait(root, console, "import os")
    type_text(console.text, "for i in range(10**7): print(i)")
    press(console.text, "Return", state=1)
    wait_for(root, lambda: "\n1000\n" in console.transcript(), 30, "the flood")
    os.kill(console.conn.manager.provisioner.pid, signal.SIGKILL)
    wait_for(root, lambda: "The kernel died" in console.transcript(), 30, "the death notice")
    wait_for(root, console.is_idle, 30, "a fresh prompt")
    shown = console.transcript()
    assert shown.index("The kernel died") < shown.index("Kernel died, restarted.")
    assert shown.rstrip().endswith("In [1]:")


HOST = textwrap.dedent(
    """
    import tkinter as tk
    from tkconsole import ConsoleWidget

    errors = []
    root = tk.Tk()
    root.report_callback_exception = lambda *exc: errors.append(repr(exc[1]))
    root.geometry("500x400")
    console = ConsoleWidget(root)
    console.pack(fill="both", expand=True)

    def resize(step=0):
        root.geometry(f"{500 + step * 7}x{400 + step * 3}")
        if step < 20:
            root.after(10, resize, step + 1)
        else:
            print("errors:", errors)
            root.destroy()

    def check():
        if console.is_idle():
            console.destroy()
            root.after(20, resize)
        else:
            root.after(20, check)

    root.after(20, check)
    root.after(60000, root.destroy)
    root.mainloop()
    """
)


def test_host_resizes_freely_after_the_console_is_destroyed(display):
    result = subprocess.run(
        [sys.executable, "-c", HOST], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "errors: []" in result.stdout, result.stdout + result.stderr
    assert "TclError" not in result.stderr


def test_destroying_a_console_leaves_nothing_on_its_host(root, make_console):
    import tkinter as tk

    top = tk.Toplevel(root)
    before = (top.bind("<Configure>"),)
    console = ConsoleWidget(top)
    console.pack()
    wait_for(root, console.is_idle, 60, "a prompt")
    text = str(console.text)
    pump = console.pump
    console.destroy()
    assert top.bind("<Configure>") == before[0]
    assert console.conn not in pump.receivers
    for prefix in ("TkconsoleDefer", "TkconsolePre", "TkconsolePost"):
        assert root.tk.call("bind", prefix + text) == ""
    assert not [c for c in root.tk.call("info", "commands", f"{text}*")]
    top.destroy()


@pytest.mark.parametrize(
    "content", [b"\x00\x01\x02\xff\xfe binary", "{'clé': 1}".encode("latin-1"), b"not json"]
)
def test_a_bad_connection_file_raises_connection_file_error(root, tmp_path, content):
    path = tmp_path / "kernel-bad.json"
    path.write_bytes(content)
    with pytest.raises(ConnectionFileError, match=r"kernel-bad\.json"):
        ConsoleWidget(root, connection_file=str(path))


CUT = textwrap.dedent(
    """
    import tkinter as tk
    from tkconsole import ConsoleWidget

    root = tk.Tk()
    console = ConsoleWidget(root)
    console.pack(fill="both", expand=True)

    def press():
        if not console.is_idle():
            return root.after(20, press)
        console.text.focus_force()
        root.update()
        for sequence in ("<Control-w>", "<<Cut>>", "<Control-x>", "<<Copy>>"):
            console.text.event_generate(sequence)
        root.after(100, root.destroy)

    root.after(20, press)
    root.after(60000, root.destroy)
    root.mainloop()
    print("still running")
    """
)


def test_ctrl_w_and_cut_with_nothing_selected_do_not_kill_the_app(display):
    result = subprocess.run(
        [sys.executable, "-c", CUT], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "still running" in result.stdout


def test_a_kernel_cannot_call_the_consoles_events(root, make_console):
    console = make_console()
    parent = {"msg_id": "x", "session": console.conn.session_id}
    for name in ("died", "start_failed", "ready", "restart_failed"):
        inject(console, "iopub", {"msg_type": name, "parent_header": parent, "content": {}})
    shown = run_and_wait(root, console, "'still here'")
    assert "Out[1]: 'still here'" in shown
    assert console.status()[1:] == ("idle", "connected")


def test_one_failing_console_does_not_stop_the_others(root, make_console):
    broken, healthy = make_console(), make_console()

    def explode(*_args):
        raise RuntimeError("boom")

    broken.writer.render = explode
    inject(broken, "iopub", {"msg_type": "stream", "parent_header": {},
                             "content": {"name": "stdout", "text": "x\n"}})  # fmt: skip
    shown = run_and_wait(root, healthy, "'healthy'")
    assert "Out[1]: 'healthy'" in shown
    wait_for(root, lambda: "Internal error while showing output" in broken.transcript(), 10)
    del broken.writer.render  # mended: the same console goes on
    assert "Out[1]: 7" in run_and_wait(root, broken, "7")


def test_connecting_to_an_existing_kernel_says_so(root, make_console, tmp_path):
    from fake_kernel import FakeKernel

    kernel = FakeKernel(tmp_path)
    try:
        console = make_console(wait=False, connection_file=str(kernel.connection_file))
        assert console.transcript().startswith("Connecting to existing kernel…")
        wait_for(root, console.is_idle, 30, "a prompt")
    finally:
        kernel.stop()


def test_stale_restart_buttons_are_disabled_once_the_kernel_is_back(root, make_console):
    import tkinter as tk

    console = make_console()
    inject(console, "events", {"msg_type": "not_responding", "parent_header": {}, "content": {}})
    wait_for(root, lambda: console._buttons, 10, "the offer")
    (button,) = console._buttons
    assert console.status()[1:] == ("unknown", "not responding")
    inject(console, "events", {"msg_type": "responding", "parent_header": {}, "content": {}})
    wait_for(root, lambda: "responding again" in console.transcript(), 10, "recovery")
    assert button.instate(["disabled"])
    assert console.status()[1:] == ("idle", "connected")
    assert isinstance(button, tk.Misc)


def test_console_record_holds_what_ran_with_its_outputs(root, make_console):
    console = make_console()
    run_and_wait(root, console, "print('a'); print('b'); 6 * 7")
    record = console.record
    assert record.kernel_name == "python3"
    assert record.language_info["name"] == "python"
    (cell,) = record.cells
    assert cell.source == "print('a'); print('b'); 6 * 7"
    assert cell.execution_count == 1
    assert cell.outputs[0] == {"output_type": "stream", "name": "stdout", "text": "a\nb\n"}
    assert cell.outputs[1]["data"]["text/plain"] == "42"


def test_tk_objects_freed_off_the_tk_thread_are_finalized_on_it(root, make_console):
    import gc
    import threading
    import tkinter as tk
    from tkinter import font as tkfont

    from PIL import Image, ImageTk

    make_console()  # the pump, which runs the queued finalizers
    plain = tk.PhotoImage(master=root, width=2, height=2)
    pillow = ImageTk.PhotoImage(Image.new("RGB", (2, 2)), master=root)
    variable = tk.StringVar(root, "x")
    font = tkfont.Font(root, family="Courier", size=9)
    names = [plain.name, str(pillow)]
    var_name, font_name = str(variable), font.name
    holder = [plain, pillow, variable, font]
    del plain, pillow, variable, font
    # The last references go on another thread, as when the garbage collector
    # runs there: unguarded, each Tk call waits a second and then fails.
    worker = threading.Thread(target=lambda: (holder.clear(), gc.collect()), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    assert all(name in root.image_names() for name in names)  # not deleted from there
    assert font_name in tkfont.names(root)

    def finalized() -> bool:
        exists = root.getboolean(root.tk.call("info", "exists", var_name))
        gone = font_name not in tkfont.names(root)
        return not set(names) & set(root.image_names()) and not exists and gone

    wait_for(root, finalized, 5, "the finalizers")
