"""The menu bar: File, Edit, View, Kernel, Help.

Every item acts on the selected tab and shows the key the key table gives
its action (after the settings' overrides), so menus and keys never
disagree.  Items are built from tables, not from one long method.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tkinter as tk
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from .bindings import unbind_one
from .dialogs.choice import show_info
from .scrolling import autohide
from .themes import AUTO_THEME, theme_names

if TYPE_CHECKING:
    from pathlib import Path

    from ..models.settings import Settings
    from ..models.target import Target
    from .backend import AppBackend
    from .console import Console
    from .kernel_guard import KernelGuard
    from .tabs import ConsoleTabs
    from .theme_follow import ThemeFollower

EDIT_ACTIONS: tuple[tuple[str, str] | None, ...] = (  # (label, key-table action); None: a separator
    ("Find…", "find"), ("Search history…", "reverse-search"), None,
    ("Undo", "undo"), ("Redo", "redo"), ("Clear input", "clear-input"),
    ("Clear screen", "clear-screen"),
)  # fmt: skip
ZOOM_ACTIONS = (("Zoom in", "zoom-in"), ("Zoom out", "zoom-out"), ("Actual size", "zoom-reset"))
DEBUG_ACTIONS = (
    ("Debug", "debug"), ("Continue", "debug-continue"), ("Step over", "debug-step-over"),
    ("Step into", "debug-step-into"), ("Step out", "debug-step-out"),
)  # fmt: skip


class MenuWindow(Protocol):
    """What the menus ask of their window (``mainwindow.MainWindow``, which
    imports this module: the menus name only this)."""

    theme_var: tk.StringVar  # the View menu's variables: build_menubar makes them
    other_output_var: tk.BooleanVar

    @property
    def root(self) -> tk.Tk | tk.Toplevel: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def backend(self) -> AppBackend: ...

    @property
    def tabs(self) -> ConsoleTabs: ...

    @property
    def theme(self) -> str: ...

    @property
    def follower(self) -> ThemeFollower | None: ...  # set while the theme follows the system

    @property
    def console(self) -> Console | None: ...

    @property
    def kernels(self) -> KernelGuard: ...  # asks before a kernel is ended or restarted

    def accelerator(self, action: str) -> str: ...

    def new_tab(self) -> object: ...

    def new_tab_same_kernel(self) -> object: ...

    def open_target(self, target: Target) -> object: ...

    def save_as(self) -> object: ...

    def close_tab(self) -> object: ...

    def close(self, ask: bool = False) -> object: ...

    def select_all(self) -> None: ...

    def set_theme(self, name: str) -> None: ...

    def about_text(self) -> str: ...

    def settings_path(self) -> Path: ...


def build_menubar(window: MenuWindow) -> dict[str, tk.Menu]:
    menubar = tk.Menu(window.root, tearoff=False)
    menus = {
        "File": _file_menu(window, menubar),
        "Edit": _edit_menu(window, menubar),
        "View": _view_menu(window, menubar),
        "Kernel": _kernel_menu(window, menubar),
        "Help": _help_menu(window, menubar),
    }
    for label, menu in menus.items():
        menubar.add_cascade(label=label, menu=menu)
    window.root.configure(menu=menubar)
    menus["bar"] = menubar
    return menus


def _add(menu: tk.Menu, window: MenuWindow, label: str, action: str | None, command: Any) -> None:
    key = window.accelerator(action) if action else ""
    menu.add_command(label=label, accelerator=key, command=command)


def _file_menu(window: MenuWindow, menubar: tk.Menu) -> tk.Menu:
    menu = tk.Menu(menubar, tearoff=False)
    _add(menu, window, "New tab…", "new-tab", window.new_tab)
    _add(menu, window, "New tab on this kernel", "new-tab-same-kernel", window.new_tab_same_kernel)
    _add(menu, window, "Connect…", None, lambda: window.backend.show_dialog(window.root))
    recent = tk.Menu(menu, tearoff=False, postcommand=lambda: _fill_recent(window, recent))
    menu.add_cascade(label="Recent connections", menu=recent)
    menu.add_separator()
    _add(menu, window, "Save as…", "save-as", window.save_as)
    menu.add_separator()
    _add(menu, window, "Close tab", "close-tab", window.close_tab)
    _add(menu, window, "Quit", "quit", lambda: window.close(ask=True))
    return menu


def _fill_recent(window: MenuWindow, menu: tk.Menu) -> None:
    menu.delete(0, "end")
    entries = window.backend.recent()
    for label, target in entries[:10]:
        menu.add_command(label=label, command=partial(_open_recent, window, target))
    if not entries:
        menu.add_command(label="(none yet)", state="disabled")


def _open_recent(window: MenuWindow, target: Target) -> None:
    try:
        window.open_target(target)
    except ValueError as exc:
        show_info(window.root, "Recent connection", str(exc))


def _edit_menu(window: MenuWindow, menubar: tk.Menu) -> tk.Menu:
    menu = tk.Menu(menubar, tearoff=False)

    def on_text(event: str) -> Callable[[], None]:
        def send() -> None:
            if window.console is not None:
                window.console.text.event_generate(event)

        return send

    menu.add_command(label="Copy", accelerator="Ctrl+C", command=on_text("<<Copy>>"))
    menu.add_command(label="Paste", accelerator="Ctrl+V", command=on_text("<<Paste>>"))
    _add(menu, window, "Select all", "select-all", window.select_all)
    menu.add_separator()
    for entry in EDIT_ACTIONS:
        if entry is None:
            menu.add_separator()
        else:
            label, action = entry
            _add(menu, window, label, action, partial(_edit, window, action))
    return menu


def _edit(window: MenuWindow, action: str) -> None:
    if window.console is not None:
        window.console.editing.run(action)


def _view_menu(window: MenuWindow, menubar: tk.Menu) -> tk.Menu:
    menu = tk.Menu(menubar, tearoff=False)
    themes = tk.Menu(menu, tearoff=False)
    following = window.follower is not None
    window.theme_var = tk.StringVar(window.root, value=AUTO_THEME if following else window.theme)
    themes.add_radiobutton(
        label="Auto (follow the system)", value=AUTO_THEME, variable=window.theme_var,
        command=lambda: window.set_theme(AUTO_THEME),
    )  # fmt: skip
    themes.add_separator()
    for name in theme_names():
        themes.add_radiobutton(
            label=name, value=name, variable=window.theme_var,
            command=partial(window.set_theme, name),
        )  # fmt: skip
    menu.add_cascade(label="Theme", menu=themes)
    menu.add_separator()
    for label, action in ZOOM_ACTIONS:
        _add(menu, window, label, action, partial(_edit, window, action))
    menu.add_separator()
    window.other_output_var = tk.BooleanVar(window.root, value=False)
    menu.add_checkbutton(
        label="Show output from other clients", variable=window.other_output_var,
        command=lambda: _other_output(window),
    )  # fmt: skip
    menu.add_separator()
    _add(menu, window, "Variables", "variables", lambda: _debugger(window, "variables"))
    return menu


def _other_output(window: MenuWindow) -> None:
    """QtConsole's include_other_output, for every tab."""
    for tab in window.tabs.all():
        tab.console.include_other_output = bool(window.other_output_var.get())


def _kernel_menu(window: MenuWindow, menubar: tk.Menu) -> tk.Menu:
    menu = tk.Menu(menubar, tearoff=False)
    _add(menu, window, "Interrupt", "interrupt", lambda: _on_console(window, "interrupt"))
    _add(menu, window, "Restart…", "restart", lambda: restart_kernel(window))
    menu.add_command(label="Restart and clear…", command=lambda: restart_kernel(window, True))
    menu.add_command(label="Reconnect", command=lambda: reconnect(window))
    menu.add_separator()
    for label, action in DEBUG_ACTIONS:
        _add(menu, window, label, action, lambda a=action: _debugger(window, a))
    menu.add_separator()
    menu.add_command(label="Shut down kernel…", command=lambda: shutdown_kernel(window))
    return menu


def _debugger(window: MenuWindow, action: str) -> None:
    """A debugger action of the key table, on the selected tab's console."""
    if window.console is not None:
        window.console.debugger.key_actions()[action](None)


def _on_console(window: MenuWindow, method: str) -> None:
    if window.console is not None:
        getattr(window.console, method)()


def restart_kernel(window: MenuWindow, clear: bool = False, ask: bool = True) -> bool:
    """Restart the selected tab's kernel (reconnect, if not ours), asking first."""
    tab = window.tabs.current()
    if tab is None:
        return False
    if ask and not window.kernels.may_restart(tab):
        return False
    console = tab.console
    if clear:
        console.editing.run("clear-screen")
        _clear_at_next_prompt(console)
    console.restart()
    return True


def _clear_at_next_prompt(console: Console) -> None:
    """Restart and clear: once the new kernel's prompt is up, clear the restart notices
    too, so only the prompt and what was typed (carried over) stay."""

    def on_prompt(_event: tk.Event) -> None:
        unbind_one(console, "<<ConsolePrompt>>", funcid)
        console.editing.run("clear-screen")

    funcid = console.bind("<<ConsolePrompt>>", on_prompt, add="+")


def reconnect(window: MenuWindow) -> None:
    console = window.console
    if console is not None and not console.conn.owns_kernel:
        console.restart()  # for a kernel we did not start, restart is a reconnect


def shutdown_kernel(window: MenuWindow) -> None:
    """End the selected tab's kernel (asking when it is not ours or other tabs use it)."""
    tab = window.tabs.current()
    if tab is not None:
        window.kernels.shut_down(tab)


def _help_menu(window: MenuWindow, menubar: tk.Menu) -> tk.Menu:
    menu = tk.Menu(menubar, tearoff=False)
    menu.add_command(label="Keyboard shortcuts", command=lambda: shortcuts_dialog(window))
    menu.add_command(label="Open settings file", command=lambda: open_settings(window))
    menu.add_separator()
    menu.add_command(
        label="About tkconsole",
        command=lambda: show_info(window.root, "About tkconsole", window.about_text()),
    )
    return menu


def shortcuts_dialog(window: MenuWindow) -> tk.Toplevel:
    """Every action of the key table with its keys, as bound now."""
    from tkinter import ttk

    from ..models import keymap

    table, _warnings = keymap.merge(window.settings.keys)
    dialog = tk.Toplevel(window.root)
    dialog.title("Keyboard shortcuts")
    dialog.transient(window.root)
    frame = ttk.Frame(dialog, padding=10)
    frame.pack(fill="both", expand=True)
    tree = ttk.Treeview(frame, columns=("action", "keys"), show="headings", height=18)
    tree.heading("action", text="Action", anchor="w")
    tree.heading("keys", text="Keys", anchor="w")
    tree.column("action", width=200, anchor="w")
    tree.column("keys", width=300, anchor="w")
    for action, sequences in table.items():
        tree.insert("", "end", values=(action, ", ".join(keymap.label(s) for s in sequences)))
    tree.pack(side="left", fill="both", expand=True)
    bar = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
    autohide(bar, side="right", fill="y", before=tree)
    tree.configure(yscrollcommand=bar.set)
    dialog.bind("<Escape>", lambda _e: dialog.destroy())
    return dialog


def open_settings(window: MenuWindow) -> None:
    """Open the settings file in the system's editor (created, commented, if missing)."""
    path = window.settings_path()
    if not path.exists():
        from ..models.atomic import atomic_write

        atomic_write(path, "# tkconsole settings: see docs/settings.md in the user guide\n")
    if sys.platform == "win32":  # (mypy knows startfile is Windows-only)
        os.startfile(str(path))
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    try:
        subprocess.Popen([opener, str(path)], start_new_session=True)
    except OSError:
        show_info(window.root, "Settings file", f"The settings file is {path}")
