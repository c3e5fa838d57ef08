"""Ctrl+T: choose the kernel of a new tab from every installed kernelspec.

Each row shows the spec's display name with its logo (where the spec ships
a ``logo-32x32.png`` or ``logo-64x64.png``), its language and its name.
Enter or a double-click opens the chosen one; Escape closes.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from tkinter import ttk

from ..placement import place_near

LOGO_SIZE = 16  # px shown in a Treeview row


@dataclass(frozen=True)
class KernelChoice:
    name: str
    display_name: str
    language: str = ""
    logo: str | None = None  # a PNG file


class KernelPicker(tk.Toplevel):
    def __init__(
        self,
        master: tk.Misc,
        choices: Sequence[KernelChoice],
        on_pick: Callable[[str], object],
        default: str | None = None,
    ) -> None:
        super().__init__(master)
        self.title("New tab: choose a kernel")
        self.transient(master.winfo_toplevel())
        self.on_pick = on_pick
        self.logos: dict[str, tk.PhotoImage] = {}  # kept alive while shown
        body = ttk.Frame(self, padding=12)
        body.pack(fill="both", expand=True)
        style = ttk.Style(self)
        style.configure("Picker.Treeview", rowheight=max(24, LOGO_SIZE + 6))
        self.tree = ttk.Treeview(
            body, columns=("language", "name"), height=min(max(len(choices), 3), 12),
            selectmode="browse", style="Picker.Treeview",
        )  # fmt: skip
        self.tree.heading("#0", text="Kernel", anchor="w")
        self.tree.heading("language", text="Language", anchor="w")
        self.tree.heading("name", text="Name", anchor="w")
        self.tree.column("#0", width=280, anchor="w")
        self.tree.column("language", width=110, anchor="w")
        self.tree.column("name", width=140, anchor="w")
        for choice in choices:
            logo = self._logo(choice)
            self.tree.insert(
                "", "end", iid=choice.name, text=choice.display_name,
                values=(choice.language, choice.name), image=logo if logo is not None else "",
            )  # fmt: skip
        self.tree.pack(fill="both", expand=True)
        row = ttk.Frame(body)
        row.pack(fill="x", pady=(10, 0))
        ttk.Button(row, text="Open", command=self.pick).pack(side="right")
        ttk.Button(row, text="Cancel", command=self.destroy).pack(side="right", padx=(0, 6))
        rows = self.tree.get_children()
        if rows:
            first = default if default in rows else rows[0]
            self.tree.selection_set(first)
            self.tree.focus(first)
        self.tree.bind("<Double-1>", lambda _e: self.pick())
        self.tree.bind("<Return>", lambda _e: self.pick())
        self.tree.bind("<KP_Enter>", lambda _e: self.pick())
        self.bind("<Escape>", lambda _e: self.destroy())
        place_near(self, master.winfo_toplevel())
        self.tree.focus_set()

    def _logo(self, choice: KernelChoice) -> tk.PhotoImage | None:
        if not choice.logo:
            return None
        try:
            image = tk.PhotoImage(master=self, file=choice.logo)
        except tk.TclError:  # not a PNG Tk can read: the row goes without
            return None
        factor = max(1, image.width() // LOGO_SIZE)
        if factor > 1:
            image = image.subsample(factor)
        self.logos[choice.name] = image
        return image

    def destroy(self) -> None:
        super().destroy()
        # freed here, on the Tk thread: a PhotoImage collected by another thread's GC warns
        self.logos.clear()

    def pick(self) -> None:
        chosen = self.tree.selection()
        if chosen:
            self.destroy()
            self.on_pick(chosen[0])
