"""The kernel's CPU and memory in the status bar, with the last minute's memory
as a small sparkline; red when the kernel holds more of the host's memory
than ``[kernel] memory_warning`` percent.  Hidden for kernels that do not say."""

from __future__ import annotations

import tkinter as tk

from .boot import Frame, Label
from .console import Console

SPARK_WIDTH, SPARK_HEIGHT = 60, 14
COLOURS = {  # (normal, warning) on light and dark themes; 4.5:1 or more
    False: ("#57606a", "#b42318"),
    True: ("#8b949e", "#ff7b72"),
}


class UsageGauge(Frame):
    def __init__(self, master: tk.Misc, console: Console) -> None:
        super().__init__(master)
        self.console = console
        self._bound: set[str] = set()  # consoles whose <<ConsoleUsage>> we hear
        self.label = Label(self)
        self.spark = tk.Canvas(
            self, width=SPARK_WIDTH, height=SPARK_HEIGHT, highlightthickness=0, borderwidth=0
        )
        self.label.pack(side="left")
        self.spark.pack(side="left", padx=(4, 0))
        self.follow(console)

    def follow(self, console: Console) -> None:
        """Show ``console``'s kernel (the selected tab's)."""
        self.console = console
        if str(console) not in self._bound:
            self._bound.add(str(console))
            console.bind("<<ConsoleUsage>>", lambda _e: self._heard(console), add="+")
        self.refresh()

    def _heard(self, console: Console) -> None:
        if console is self.console:
            self.refresh()

    def refresh(self) -> None:
        usage = self.console.model.usage
        text = usage.summary() if self.console.usage_poll.answers else ""
        self.label.configure(text=text)
        self.spark.delete("all")
        if not text:
            self.spark.pack_forget()
            return
        dark = bool(getattr(self.console, "dark", False))
        colour = COLOURS[dark][usage.over(self.console.settings.kernel.memory_warning)]
        self.label.configure(foreground=colour)
        share = usage.memory_share()
        if share is not None:
            part = f"{share:.0%}" if share >= 0.01 else "<1%"
            self.label.configure(text=f"{text} ({part} of host)")
        self.spark.configure(background=self.console.text.cget("background"))
        self.spark.pack(side="left", padx=(4, 0))
        self._draw(usage.memory_trend(), colour)

    def _draw(self, heights: list[float], colour: str) -> None:
        if len(heights) < 2:
            return
        step = SPARK_WIDTH / (len(heights) - 1)
        points: list[float] = []
        for i, h in enumerate(heights):
            points += [i * step, SPARK_HEIGHT - 1 - h * (SPARK_HEIGHT - 2)]
        self.spark.create_line(*points, fill=colour, width=1)
