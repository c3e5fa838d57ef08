"""ConsoleWidget embedded in a plain Tk program (no ttkbootstrap window)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

PROGRAM = textwrap.dedent(
    """
    import tkinter as tk
    from tkconsole import ConsoleWidget

    root = tk.Tk()
    tk.Label(root, text="host program").pack()
    console = ConsoleWidget(root)
    console.pack(fill="both", expand=True)
    console.execute("print(6 * 7)")   # queued until the kernel is ready
    console.execute("'done'")

    def check():
        if console.is_idle() and "'done'" in console.transcript():
            print(console.transcript())
            root.destroy()
        else:
            root.after(20, check)

    root.after(20, check)
    root.after(60000, root.destroy)
    root.mainloop()
    """
)


def test_console_widget_in_a_plain_tk_program(display):
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    shown = result.stdout
    assert "In [1]: print(6 * 7)\n42\n" in shown
    assert "In [2]: 'done'\nOut[2]: 'done'" in shown
