"""The pump's polling path, which Tk takes where it has no file handlers (Windows).

On Unix the transport's queue pokes the pump through a pipe; here the pipe is
refused, as on Windows, in a fresh process (so no other test's pump is
running), and a real kernel is driven through the polling path alone: a
reply while one is awaited (fast polls), a flood (nothing lost), and output
from a kernel thread after the cell is over (the slow idle poll).
"""

from __future__ import annotations

import re
import textwrap

from conftest import reported

POLLING_CONSOLE = textwrap.dedent(
    """
    import json, tkinter as tk
    from tkconsole.ui import pump

    pump.MessagePump._wake_pipe = lambda self: None  # as where Tk has no file handlers

    from tkconsole import ConsoleWidget

    root = tk.Tk()
    console = ConsoleWidget(root)
    console.pack(fill="both", expand=True)
    for code in [
        "1+1",
        "for i in range(20000): print(i)",
        "import threading; threading.Timer(0.5, print, ['from a thread']).start()",
    ]:
        console.execute(code)  # queued until the kernel is ready, then run in order

    def check():
        shown = console.transcript()
        if "from a thread" in shown or not root.after(50, check):
            report = {"woken": console.conn.queue._on_put is not None, "shown": shown}
            print("POLLED " + json.dumps(report), flush=True)
            root.destroy()

    root.after(60000, root.destroy)
    check()
    root.mainloop()
    """
)


def test_a_real_kernel_through_the_polling_pump(display, tmp_path):
    got = reported(POLLING_CONSOLE, tmp_path / "config", "POLLED")
    shown = got["shown"]
    assert not got["woken"], "the queue still had a wake-up pipe: the polling path was not taken"
    assert "Out[1]: 2" in shown
    printed = [int(n) for n in re.findall(r"^(\d+)$", shown, flags=re.M)]
    assert printed == list(range(20000)), "the flood lost or reordered lines"
    assert shown.index("19999") < shown.index("from a thread")
