"""The application window: consoles in tabs, the menus, the status bar.

It never touches the transport: an *app backend* (``AppBackend``, which the
app layer's ``Connector`` implements) opens connections, lists kernelspecs
and says where a connection goes (for a second console on the same kernel
and for session restore).  Every tab's console shares the process's one
pump and, through its connection, the one loop thread.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._version import __version__
from ..models.settings import Settings, load_settings, save_setting
from ..models.target import Target
from . import boot
from .accessibility import describe
from .backend import AppBackend
from .console import Console
from .context_menu import ConsoleMenu
from .dialogs.choice import ask_choice
from .dialogs.exit import CANCEL, KEEP, SHUT_DOWN
from .dialogs.kernel_picker import KernelPicker
from .kernel_guard import KernelGuard
from .menus import build_menubar, restart_kernel
from .scaling import apply_scale
from .statusbar import StatusBar
from .tabs import ConsoleTabs, Tab
from .theme_follow import ThemeFollower
from .themes import AUTO_THEME, DEFAULT_THEME, apply_theme, icon_path
from .window_memory import remember_place, restore_place

APP_NAME = "tkconsole"
WINDOW_ACTIONS = (
    "new-tab", "new-tab-same-kernel", "close-tab", "next-tab", "previous-tab", "save-as", "quit",
    "select-all", "restart",
)  # fmt: skip


class FollowingStatusBar(StatusBar):
    """The status bar, showing whichever tab is selected."""

    def follow(self, console: Console | None) -> None:
        if console is not None:
            self.console = console
            self.usage.follow(console)
            self.refresh()


class MainWindow:
    """One window, many consoles (``tabs``); ``console`` is the selected one."""

    def __init__(
        self,
        backend: AppBackend,
        theme: str | None = None,
        master: tk.Misc | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.backend = backend
        self.settings = settings if settings is not None else load_settings()
        self.root: tk.Tk | tk.Toplevel
        if master is None:
            self.root = boot.App(
                title=APP_NAME, theme=DEFAULT_THEME, iconphoto=icon_path(), size=(960, 640),
                className=APP_NAME,
            )  # fmt: skip
        else:
            self.root = tk.Toplevel(master, class_=APP_NAME)
            self.root.geometry("960x640")
        self.scale = apply_scale(self.root, self.settings.appearance.scale)
        if master is None:
            restore_place(self.root, self.scale)
        self.follower: ThemeFollower | None = None
        self.theme = apply_theme(self._theme_to_use(theme or self.settings.appearance.theme))
        self.closing = False
        self.on_closed: list[Callable[[MainWindow], None]] = []
        self._focused_tab: Tab | None = None  # the tab whose console last got the keyboard
        self.tabs = ConsoleTabs(self.root, self._changed)
        self.kernels = KernelGuard(self)  # who uses which kernel; asks before ending one
        self.status: FollowingStatusBar | None = None
        self.status_frame = boot.Frame(self.root)
        self.status_frame.pack(side="bottom", fill="x")
        boot.Separator(self.root).pack(side="bottom", fill="x")
        self.tabs.pack(side="top", fill="both", expand=True)
        self.theme_var: tk.StringVar  # the View menu's (build_menubar sets them)
        self.other_output_var: tk.BooleanVar
        self.menus = build_menubar(self)
        self.root.protocol("WM_DELETE_WINDOW", lambda: self.close(ask=True))

    # ------------------------------------------------------------------ tabs
    @property
    def console(self) -> Console | None:
        tab = self.tabs.current()
        return tab.console if tab is not None else None

    def add_console(
        self, connection: Any, name: str | None = None, beside: Tab | None = None, **extra: Any
    ) -> Tab:
        """A new tab with a console on ``connection`` (already started or not);
        ``beside``: a tab whose kernel this connection also reaches."""
        kernel = getattr(connection, "display_name", "") or "kernel"
        tab = self.tabs.add_page(
            lambda frame: Console(frame, connection, settings=self.settings), kernel, **extra
        )
        tab.name = name
        self.kernels.attach(tab, beside)
        console = tab.console
        console.include_other_output = bool(self.other_output_var.get())
        self._bind_window_keys(console)
        ConsoleMenu(console)
        console.bind("<<ConsoleExit>>", lambda _e, t=tab: self._exited(t), add="+")
        if self.status is None:
            self.status = FollowingStatusBar(self.status_frame, console)
            self.status.pack(fill="x")
        self.tabs.refresh(tab)
        describe(
            console.text, f"{kernel} console",
            "Output of the kernel, with the input prompt at the end",
            "Type code at the end and press Enter to run it; Up and Down recall history.",
        )  # fmt: skip
        console.text.focus_set()
        return tab

    def new_tab(self) -> KernelPicker:
        """Ctrl+T: the kernel picker; the chosen kernel opens in a new tab."""
        current = self.tabs.current()
        default = current.extra.get("kernel") if current is not None else None
        return KernelPicker(self.root, self.backend.kernel_choices(), self.open_kernel, default)

    def open_kernel(self, name: str) -> Tab:
        target = Target("local", kernel=name)
        return self.add_console(self.backend.open_kernel(name), kernel=name, target=target)

    def open_target(self, target: Target, name: str | None = None) -> Tab:
        """File → Connect…, the recents, session restore; ``ValueError`` when unusable."""
        return self.add_console(self.backend.open_target(target), name=name, target=target)

    def new_tab_same_kernel(self) -> Tab | None:
        """Ctrl+Shift+T: a second console, its own client, on the selected tab's kernel."""
        current = self.tabs.current()
        if current is None:
            return None
        found = self.backend.same_kernel(current.console.conn)
        if found is None:
            current.console.bell()
            return None
        connection, target = found
        return self.add_console(
            connection, name=f"{current.title} (2)", beside=current, target=target
        )

    def close_tab(
        self, tab: Tab | None = None, ask: bool = True, keep_kernel: bool = False
    ) -> bool:
        """Ctrl+W: close a tab, asking first whether to end a kernel we started
        (naming the other tabs on it); ``keep_kernel`` when not asking."""
        tab = tab or self.tabs.current()
        if tab is None:
            return False
        if ask:
            answer = self.kernels.ask(tab, "close")
            if answer == CANCEL:
                return False
            if answer == SHUT_DOWN:
                self.kernels.end_kernel(tab)  # the tabs sharing it are told
            keep_kernel = answer == KEEP
        self._close_console(tab, keep_kernel)
        if not self.tabs.all():
            self.close(ask=False)
        return True

    def _close_console(self, tab: Tab, keep_kernel: bool) -> None:
        console = tab.console
        self.kernels.detach(tab)
        if console.conn in console.pump.receivers:
            console.shutdown(keep_kernel=keep_kernel)
        self.tabs.remove(tab)

    def _exited(self, tab: Tab) -> None:
        """``exit`` in a console: its tab goes (the console already shut down)."""
        if str(tab.frame) in self.tabs.tabs_by_frame:
            self.root.after_idle(self.close_tab, tab, False)

    # ------------------------------------------------------------------ window
    def close(self, ask: bool = False) -> bool:
        """Close the window; ``ask``: one question covers every kernel the tabs own.

        The close button and Quit ask; closing from code (``--exit-after``) does not.
        """
        if self.closing:
            return True
        groups = self.kernels.quit_groups()
        keep = False
        if ask and groups:
            names = "; ".join(", ".join(self.kernels.label(t) for t in g) for g in groups)
            answer = ask_choice(
                self.root, "Quit tkconsole",
                f"{len(groups)} kernel(s) were started here (used by {names}). Shut them down?",
                [("shutdown", "Shut down and quit"), ("keep", "Leave running and quit"),
                 ("cancel", "Cancel")],
            )  # fmt: skip
            if answer in (None, "cancel"):
                return False
            keep = answer == "keep"
        self.closing = True
        if isinstance(self.root, boot.App):
            remember_place(self.root)
        for callback in self.on_closed:
            callback(self)
        if ask and not keep:
            self.kernels.end_orphans(groups)
        for tab in self.tabs.all():
            self._close_console(tab, keep)
        self.root.destroy()
        return True

    def _changed(self) -> None:
        """A tab was selected, renamed, moved or changed state: titles and status follow."""
        if self.closing:
            return
        tab = self.tabs.current()
        if tab is None:
            self.root.title(APP_NAME)
            return
        kernel = tab.console.status()[0] or tab.kernel_name
        position = self.tabs.index(tab.frame) + 1
        self.root.title(f"{kernel} — {tab.name or f'tab {position}'} — {APP_NAME}")
        if self.status is not None:
            self.status.follow(tab.console)
        if tab is not self._focused_tab:  # a state change (busy, idle) leaves the keyboard be
            self._focused_tab = tab
            tab.console.text.focus_set()

    def _bind_window_keys(self, console: Console) -> None:
        """The window's keys on the console's text widget: they beat Text's own bindings."""
        handlers = self.window_actions()
        for action in WINDOW_ACTIONS:
            for sequence in console.editing.keymap.get(action, ()):
                handler = handlers[action]
                try:
                    console.text.bind(sequence, _breaking(handler))
                except tk.TclError:
                    continue  # a keysym this platform lacks

    def window_actions(self) -> dict[str, Callable[[], Any]]:
        return {
            "new-tab": self.new_tab,
            "new-tab-same-kernel": self.new_tab_same_kernel,
            "close-tab": self.close_tab,
            "next-tab": lambda: self.tabs.step(1),
            "previous-tab": lambda: self.tabs.step(-1),
            "save-as": self.save_as,
            "quit": lambda: self.close(ask=True),
            "select-all": self.select_all,
            "restart": lambda: restart_kernel(self),
        }

    def accelerator(self, action: str) -> str:
        """The key the table gives ``action`` (after the settings' overrides)."""
        from ..models import keymap

        table, _warnings = keymap.merge(self.settings.keys)
        sequences = table.get(action, ())
        return keymap.label(sequences[0]) if sequences else ""

    # ------------------------------------------------------------------ actions
    def select_all(self) -> None:
        console = self.console
        if console is not None:
            console.text.tag_add("sel", "1.0", "end-1c")

    def set_theme(self, name: str, remember: bool = True) -> None:
        """View → Theme: applied live to every widget; remembered in the settings file.

        ``"auto"`` follows the desktop's light or dark; any other name stops that.
        """
        self.theme = self._apply_theme(self._theme_to_use(name))
        if remember and (self.theme == name or name == AUTO_THEME):
            save_setting("appearance", "theme", name, self.settings.path)

    def _theme_to_use(self, name: str) -> str:
        """``name``, or for "auto" the desktop's choice; starts or stops following."""
        if name != AUTO_THEME:
            if self.follower is not None:
                self.follower.stop()
                self.follower = None
            return name
        if self.follower is None:
            self.follower = ThemeFollower(self.root, self.settings.appearance, self._followed)
        return self.follower.theme()

    def _followed(self, name: str) -> None:
        """The desktop switched between light and dark."""
        self.theme = self._apply_theme(name)

    def _apply_theme(self, name: str) -> str:
        """Switch the live window's theme, keeping readers at the bottom there."""
        at_bottom = [t.console for t in self.tabs.all() if t.console.text.yview()[1] >= 0.999]
        theme = apply_theme(name)
        self.root.update_idletasks()  # the new theme's borders and fonts laid out
        for console in at_bottom:  # a reader at the bottom stays there
            console.text.see("end")
        return theme

    def save_as(self, path: str | None = None) -> str | None:
        """File → Save as…: the selected tab's session as .ipynb, .html or .txt."""
        from tkinter import filedialog

        from ..models.export import save

        console = self.console
        if console is None:
            return None
        path = path or filedialog.asksaveasfilename(
            parent=self.root, title="Save session as", defaultextension=".ipynb",
            filetypes=[("Notebook", "*.ipynb"), ("Web page", "*.html"), ("Text", "*.txt")],
        )  # fmt: skip
        if not path:
            return None
        try:
            save(path, console.record, console.transcript(continuation_prompts=True))
        except (OSError, ValueError) as exc:
            ask_choice(self.root, "Save as", f"Could not save {path}: {exc}", [("ok", "OK")])
            return None
        return path

    def about_text(self) -> str:
        console = self.console
        lines = [f"tkconsole {__version__}"]
        if console is not None:
            info = console.kernel_info
            language = console.language_info or {}
            kernel = f"{info.get('implementation', '')} {info.get('implementation_version', '')}"
            lines.append(f"Kernel: {console.status()[0]} ({kernel.strip() or 'unknown'})")
            lines.append(f"Language: {language.get('name', '?')} {language.get('version', '')}")
            lines.append(f"Protocol: {info.get('protocol_version', 'unknown')}")
            lines.append(f"Features: {', '.join(console.kernel_features) or 'none listed'}")
        return "\n".join(lines)

    def settings_path(self) -> Path:
        from ..models.settings import FILE_NAME, config_dir

        return self.settings.path or config_dir() / FILE_NAME


def _breaking(handler: Callable[[], Any]) -> Callable[[tk.Event[tk.Misc]], str]:
    """A key binding that runs ``handler`` and stops Text's own binding for the key."""

    def run(_event: tk.Event[tk.Misc]) -> str:
        handler()
        return "break"

    return run
