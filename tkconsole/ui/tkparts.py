"""Parts Tk draws itself, in the theme's colours: pop-up menus and the file dialog.

ttkbootstrap re-colours the ttk widgets on a theme change, but a ``tk.Menu``
keeps the colours it was made with, and Tk's own file dialog draws its file
list on a Canvas that its library makes white, with black text for an item
it deselects.  Menus are painted as they pop up; the file dialog's list is
painted when the dialog maps and again after each click or key in it.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk
from typing import NamedTuple

from ..models.contrast import mix

FILE_DIALOG_CLASS = "TkFDialog"  # Tk's file dialog toplevel (tkfbox.tcl)
FILE_LIST_TAG = "TkconsoleFileList"


class Colours(NamedTuple):
    background: str
    foreground: str
    field: str
    select_bg: str
    select_fg: str


def colours(widget: tk.Misc) -> Colours:
    """The current theme's colours, looked up from its ttk styles."""
    style = ttk.Style(widget)
    bg = style.lookup("TFrame", "background") or "#ffffff"
    fg = style.lookup("TLabel", "foreground") or "#000000"
    return Colours(
        bg, fg, style.lookup("TEntry", "fieldbackground") or bg,
        style.lookup("TEntry", "selectbackground") or "#0a58ca",
        style.lookup("TEntry", "selectforeground") or "#ffffff",
    )  # fmt: skip


def paint_menu(menu: tk.Menu) -> None:
    """A menu in the current theme, whenever it was made."""
    c = colours(menu)
    menu.configure(
        background=c.background, foreground=c.foreground, activebackground=c.select_bg,
        activeforeground=c.select_fg, disabledforeground=_mix_grey(c), borderwidth=1,
        relief="solid",
    )  # fmt: skip


def follow_theme(root: tk.Misc) -> None:
    """Tk's file dialogs from now on take the current theme (call on each theme change)."""
    c = colours(root)
    root.option_add(f"*{FILE_DIALOG_CLASS}*foreground", c.foreground)  # the list's new items
    if not root.bind_class(FILE_DIALOG_CLASS, "<Map>"):
        root.bind_class(FILE_DIALOG_CLASS, "<Map>", lambda e: _paint_file_dialog(root, e.widget))
        for sequence in ("<ButtonRelease-1>", "<KeyRelease>"):
            root.bind_class(FILE_LIST_TAG, sequence, lambda e: _paint_file_list(root, e.widget))


def _paint_file_dialog(root: tk.Misc, dialog: tk.Misc | str) -> None:
    """Every Canvas in the dialog (its file list) in the theme's field colours."""
    stack = [str(dialog)]
    while stack:
        path = stack.pop()
        if root.tk.call("winfo", "class", path) == "Canvas":
            tags = root.tk.splitlist(root.tk.call("bindtags", path))
            if FILE_LIST_TAG not in tags:
                root.tk.call("bindtags", path, (*tags, FILE_LIST_TAG))
            _paint_file_list(root, path)
        stack.extend(str(p) for p in root.tk.splitlist(root.tk.call("winfo", "children", path)))


def _paint_file_list(root: tk.Misc, canvas: tk.Misc | str) -> None:
    c = colours(root)
    path = str(canvas)
    root.tk.call(path, "configure", "-background", c.field)
    root.tk.call(path, "itemconfigure", "text", "-fill", c.foreground)
    root.tk.call(path, "itemconfigure", "selectionText", "-fill", c.select_fg)


def _mix_grey(c: Colours) -> str:
    try:
        return mix(c.background, c.foreground, 0.5)
    except ValueError:  # a theme colour by name: Tk's own grey
        return "#8b949e"
