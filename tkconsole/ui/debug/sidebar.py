"""The pane docked beside a console: debug toolbar, call stack, variables, evaluate.

Only the variables show until debugging is on; then the toolbar (continue,
step over, into, out, stop, and the exception options), the stack (click a
frame to select it), an entry whose expressions are evaluated in the
selected frame, and a read-only source view for frames outside any cell.
It draws what the controller tells it and calls back; it keeps no state.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from .variables_pane import VariablesPane

WIDTH = 340
BUTTONS = (("▶", "continue"), ("⤼", "over"), ("↓", "in"), ("↑", "out"), ("■", "stop"))


class DebugSidebar(ttk.Frame):
    """See the module docstring; ``actions`` maps "continue", "over", ... "stop",
    "frame", "evaluate", "expand", "open" and "exceptions" to the controller."""

    def __init__(self, master: tk.Misc, actions: dict[str, Callable[..., Any]]) -> None:
        super().__init__(master, width=WIDTH)
        self.pack_propagate(False)
        self.actions = actions
        self.debug_frame = ttk.Frame(self)
        self._toolbar(self.debug_frame)
        self.stack = ttk.Treeview(self.debug_frame, show="tree", height=4, selectmode="browse")
        self.stack.pack(side="top", fill="x", pady=(2, 2))
        self.stack.bind("<<TreeviewSelect>>", self._frame_selected, add="+")
        self.source = tk.Text(self.debug_frame, height=8, wrap="none", state="disabled")
        self.variables = VariablesPane(self, actions["expand"], actions["open"])
        self.evaluate_row = ttk.Frame(self)
        ttk.Label(self.evaluate_row, text="Evaluate:").pack(side="left", padx=(2, 4))
        self.entry = ttk.Entry(self.evaluate_row)
        self.entry.pack(side="left", fill="x", expand=True)
        self.entry.bind("<Return>", self._evaluate, add="+")
        self.variables.pack(side="top", fill="both", expand=True)
        self._apply_theme()
        self.bind("<<ThemeChanged>>", lambda _e: self._apply_theme(), add="+")

    def _toolbar(self, master: ttk.Frame) -> None:
        bar = ttk.Frame(master)
        bar.pack(side="top", fill="x")
        self.buttons: dict[str, ttk.Button] = {}
        for label, kind in BUTTONS:
            button = ttk.Button(bar, text=label, width=3, command=self.actions[kind])
            button.pack(side="left", padx=1, expand=True, fill="x")
            self.buttons[kind] = button
        options = ttk.Frame(master)
        options.pack(side="top", fill="x", pady=(2, 0))
        ttk.Label(options, text="Stop on exceptions:").pack(side="left", padx=(2, 4))
        self.raised = tk.BooleanVar(self, False)
        self.uncaught = tk.BooleanVar(self, False)
        for name, var in (("raised", self.raised), ("uncaught", self.uncaught)):
            box = ttk.Checkbutton(
                options, text=name, variable=var, command=self._exceptions(name, var)
            )
            box.pack(side="left", padx=2)

    def _apply_theme(self) -> None:
        """ttk leaves the empty part of a Treeview white in dark themes: fill it, and
        colour the source view like the theme's fields."""
        style = ttk.Style(self)
        background = style.lookup("Treeview", "background") or "#ffffff"
        foreground = style.lookup("Treeview", "foreground") or "#000000"
        style.configure("Treeview", fieldbackground=background)
        self.source.configure(background=background, foreground=foreground)

    def _exceptions(self, name: str, var: tk.BooleanVar) -> Callable[[], None]:
        return lambda: self.actions["exceptions"](name, bool(var.get()))

    # ------------------------------------------------------------ what the controller draws
    def show_debugging(self, on: bool, stopped: bool) -> None:
        if on and not self.debug_frame.winfo_ismapped():
            self.debug_frame.pack(side="top", fill="x", before=self.variables)
            self.evaluate_row.pack(side="bottom", fill="x", pady=2)
        elif not on and self.debug_frame.winfo_manager():
            self.debug_frame.pack_forget()
            self.evaluate_row.pack_forget()
        for kind, button in self.buttons.items():
            button.state(["!disabled"] if stopped or kind == "stop" else ["disabled"])

    def show_frames(self, frames: list[tuple[str, str]], selected: int) -> None:
        """``frames``: (function, where) innermost first."""
        self.stack.delete(*self.stack.get_children(""))
        for index, (function, where) in enumerate(frames):
            self.stack.insert("", "end", iid=str(index), text=f"{function}  {where}")
        if frames:
            self.stack.selection_set(str(selected))
            self.stack.see(str(selected))

    def show_source(self, text: str | None, line: int = 0) -> None:
        """A file's text with ``line`` marked; None hides the view (a cell's line shows
        in the scrollback instead)."""
        if text is None:
            self.source.pack_forget()
            return
        self.source.configure(state="normal")
        self.source.delete("1.0", "end")
        self.source.insert("1.0", text)
        self.source.tag_configure("current", background="#fff3b0", foreground="#000000")
        self.source.tag_add("current", f"{line}.0", f"{line + 1}.0")
        self.source.configure(state="disabled")
        self.source.pack(side="top", fill="x")
        self.source.see(f"{line}.0")

    def _frame_selected(self, _event: tk.Event) -> None:
        selection = self.stack.selection()
        if selection:
            self.actions["frame"](int(selection[0]))

    def _evaluate(self, _event: tk.Event) -> str:
        expression = self.entry.get().strip()
        if expression:
            self.entry.delete(0, "end")
            self.actions["evaluate"](expression)
        return "break"
