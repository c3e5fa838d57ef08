"""The console's right-click menu: copy, copy with prompts, paste, select all, clear.

Over an image the image's own menu (copy, save image…) answers instead, so
one click never opens two menus.
"""

from __future__ import annotations

import tkinter as tk
from typing import Any

from .tkparts import paint_menu


class ConsoleMenu:
    def __init__(self, console: Any) -> None:
        self.console = console
        self.text = console.text
        self.menu = tk.Menu(self.text, tearoff=False)
        editing = console.editing
        self.menu.add_command(label="Copy", command=self.copy)
        self.menu.add_command(label="Copy with prompts", command=self.copy_with_prompts)
        self.menu.add_command(label="Paste", command=self.paste)
        self.menu.add_separator()
        self.menu.add_command(
            label="Select all", accelerator=editing.accelerator("select-all"),
            command=self.select_all,
        )  # fmt: skip
        self.menu.add_command(
            label="Clear screen", accelerator=editing.accelerator("clear-screen"),
            command=lambda: editing.run("clear-screen"),
        )  # fmt: skip
        self.text.bind("<Button-3>", self.popup, add="+")

    def popup(self, event: tk.Event) -> str | None:
        if any(tag.startswith("img:") for tag in self.text.tag_names(f"@{event.x},{event.y}")):
            return None  # the image's own menu
        selected = bool(self.text.tag_ranges("sel"))
        for label in ("Copy", "Copy with prompts"):
            self.menu.entryconfigure(label, state="normal" if selected else "disabled")
        paint_menu(self.menu)  # the theme may have changed since it was made
        self.menu.tk_popup(event.x_root, event.y_root)
        return "break"

    def copy(self) -> None:
        self.text.event_generate("<<Copy>>")

    def copy_with_prompts(self) -> None:
        """The selection exactly as shown, ``In [n]:`` and ``...:`` prompts included."""
        if self.text.tag_ranges("sel"):
            self.text.clipboard_clear()
            shown = self.console.editing.margin.shown_text("sel.first", "sel.last")
            self.text.clipboard_append(shown)

    def paste(self) -> None:
        self.text.event_generate("<<Paste>>")

    def select_all(self) -> None:
        self.text.tag_add("sel", "1.0", "end-1c")
