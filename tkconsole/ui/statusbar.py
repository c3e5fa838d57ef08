"""The status line under the console: kernel name, idle/busy, connection."""

from __future__ import annotations

import tkinter as tk

import ttkbootstrap as ttk

from .console import Console

STATE_STYLE = {"idle": "success", "busy": "warning", "starting": "info", "dead": "danger"}


class StatusBar(ttk.Frame):
    def __init__(self, master: tk.Misc, console: Console) -> None:
        super().__init__(master, padding=(8, 2))
        self.console = console
        self.kernel = ttk.Label(self)
        self.state = ttk.Label(self, width=10)
        self.link = ttk.Label(self)
        self.lock = ttk.Label(self, text="", bootstyle="success")
        self.kernel.pack(side="left")
        self.lock.pack(side="left", padx=8)
        self.link.pack(side="right")
        self.state.pack(side="right", padx=12)
        console.bind("<<ConsoleStatus>>", lambda _e: self.refresh(), add="+")
        self.refresh()

    def refresh(self) -> None:
        name, state, connection = self.console.status()
        self.kernel.configure(text=name)
        self.state.configure(text=state, bootstyle=STATE_STYLE.get(state, "secondary"))
        self.link.configure(text=connection)
        # CurveZMQ on every channel: nobody else on the machine can read the traffic
        self.lock.configure(text="encrypted" if self.console.conn.encrypted else "")
