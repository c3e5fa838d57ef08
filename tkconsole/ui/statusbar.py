"""The status line under the console: kernel name, idle/busy, connection."""

from __future__ import annotations

import tkinter as tk

from .boot import Frame, Label
from .console import Console
from .usage_gauge import UsageGauge

# State colours readable on the theme's background (4.5:1 or more; yellow on white was not)
STATE_COLOURS = {
    False: {"idle": "#1a7f37", "busy": "#9a3412", "starting": "#0550ae", "dead": "#b42318"},
    True: {"idle": "#3fb950", "busy": "#ffa657", "starting": "#58a6ff", "dead": "#ff7b72"},
}


class StatusBar(Frame):
    def __init__(self, master: tk.Misc, console: Console) -> None:
        super().__init__(master, padding=(8, 2))
        self.console = console
        self.kernel = Label(self)
        self.activity = Label(self, width=10)  # idle, busy... (not ``state``: a ttk method)
        self.link = Label(self)
        self.lock = Label(self, text="", bootstyle="success")
        self.usage = UsageGauge(self, console)  # CPU and memory, where the kernel says
        self.kernel.pack(side="left")
        self.lock.pack(side="left", padx=8)
        self.link.pack(side="right")
        self.activity.pack(side="right", padx=12)
        self.usage.pack(side="right", padx=4)
        console.bind("<<ConsoleStatus>>", lambda _e: self.refresh(), add="+")
        self.bind("<<ThemeChanged>>", lambda _e: self.after_idle(self.refresh), add="+")
        self.refresh()

    def refresh(self) -> None:
        name, state, connection = self.console.status()
        self.kernel.configure(text=name)
        colours = STATE_COLOURS[bool(getattr(self.console, "dark", False))]
        self.activity.configure(text=state, foreground=colours.get(state, ""))
        self.link.configure(text=connection)
        # CurveZMQ on every channel: nobody else on the machine can read the traffic
        self.lock.configure(text="encrypted" if self.console.conn.encrypted else "")
