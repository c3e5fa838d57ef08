"""File → Connect…: a local kernelspec, a connection file, a server's or a Hub's kernel.

The dialog only shows and gathers: a *backend* (``tkconsole.connector.Connector``)
lists what there is and opens the choice in a new console window, so this
module never touches the transport.  Server calls return futures, polled
with ``after()``, so a slow or dead server never freezes the window.
Failures are shown as one line in the dialog.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future
from tkinter import filedialog, ttk
from typing import Any

from ...models.target import Target
from ..scrolling import autohide
from .hub_tab import HubTab

POLL_MS = 50


def _tree(parent: tk.Misc, columns: dict[str, int], height: int = 7) -> ttk.Treeview:
    """A Treeview with headed columns (name -> width), packed with a scrollbar."""
    frame = ttk.Frame(parent)
    frame.pack(fill="both", expand=True, pady=(0, 6))
    tree = ttk.Treeview(frame, columns=list(columns), show="headings", height=height)
    for name, width in columns.items():
        tree.heading(name, text=name.capitalize(), anchor="w")  # over left-aligned cells
        tree.column(name, width=width, stretch=True, anchor="w")
    tree.pack(side="left", fill="both", expand=True)
    bar = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
    autohide(bar, side="right", fill="y", before=tree)  # not for a list that fits
    tree.configure(yscrollcommand=bar.set, selectmode="browse")
    return tree


def _labelled_entry(parent: tk.Misc, label: str, **options: Any) -> ttk.Entry:
    row = ttk.Frame(parent)
    row.pack(fill="x", pady=2)
    ttk.Label(row, text=label, width=14).pack(side="left")
    entry = ttk.Entry(row, **options)
    entry.pack(side="left", fill="x", expand=True)
    return entry


class ConnectDialog(tk.Toplevel):
    """Four tabs (local, connection file, server, Hub) and the recent connections."""

    def __init__(self, master: tk.Misc, backend: Any) -> None:
        super().__init__(master)
        self.title("Connect to a kernel")
        self.transient(master.winfo_toplevel())
        self.geometry("640x500")
        self.backend = backend
        self.listing: dict | None = None  # the server's last answer
        body = ttk.Frame(self, padding=10)
        body.pack(fill="both", expand=True)
        self._build_recent(body)
        ttk.Style(self).configure("Connect.TNotebook.Tab", padding=(12, 5))
        self.tabs = ttk.Notebook(body, style="Connect.TNotebook")
        self.tabs.pack(fill="both", expand=True)
        self.tabs.enable_traversal()  # Ctrl+Tab, Ctrl+Shift+Tab
        self.accept_actions: dict[str, Callable[[], None]] = {}  # tab -> what Enter does there
        self._build_local(self._tab("Local kernel", self.start_local))
        self._build_file(self._tab("Connection file", self.connect_file))
        self._build_server(self._tab("Jupyter server", self._accept_server))
        hub_tab = self._tab("JupyterHub", lambda: self.hub.accept())
        self.hub = HubTab(hub_tab, self, _tree, _labelled_entry)
        # a Label, not a StringVar: a Tk variable freed by a non-Tk thread's GC warns
        self.message = ttk.Label(body, wraplength=600)
        self.message.pack(fill="x", pady=(6, 0))
        ttk.Button(body, text="Close", command=self.destroy).pack(anchor="e", pady=(6, 0))
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<Return>", self._accept)
        self.bind("<KP_Enter>", self._accept)
        self.specs.focus_set()  # the keyboard starts in the kernel list

    def _tab(self, title: str, accept: Callable[[], None]) -> ttk.Frame:
        frame = ttk.Frame(self.tabs, padding=8)
        self.tabs.add(frame, text=title)
        self.accept_actions[str(frame)] = accept
        return frame

    def _accept(self, _event: tk.Event) -> str:
        """Enter: the focused button, else what the open tab is for."""
        focused = self.focus_get()
        if isinstance(focused, ttk.Button):
            focused.invoke()
        elif not isinstance(focused, ttk.Combobox) or "readonly" in str(focused.cget("state")):
            self.accept_actions[self.tabs.select()]()
        return "break"

    # ------------------------------------------------------------------ recent
    def _build_recent(self, parent: tk.Misc) -> None:
        recent = self.backend.recent()
        self.recent_entries = [entry for _label, entry in recent]
        if not recent:
            return
        row = ttk.Frame(parent)
        row.pack(fill="x", pady=(0, 8))
        ttk.Label(row, text="Recent:").pack(side="left")
        labels = [label for label, _entry in recent]
        self.recent_box = ttk.Combobox(row, state="readonly", values=labels)
        self.recent_box.pack(side="left", fill="x", expand=True, padx=6)
        self.recent_box.current(0)
        ttk.Button(row, text="Open", command=self.open_recent).pack(side="left")

    def open_recent(self) -> None:
        self.open(self.recent_entries[self.recent_box.current()])

    # ------------------------------------------------------------------ local
    def _build_local(self, tab: ttk.Frame) -> None:
        self.specs = _tree(tab, {"kernel": 380, "name": 160})
        for name, display in self.backend.kernelspecs():
            self.specs.insert("", "end", iid=name, values=(display, name))
        if self.specs.get_children():
            first = self.specs.get_children()[0]
            self.specs.selection_set(first)
            self.specs.focus(first)
        self.specs.bind("<Double-1>", lambda _e: self.start_local())
        ttk.Button(tab, text="Start", command=self.start_local).pack(anchor="e")

    def start_local(self) -> None:
        chosen = self.specs.selection()
        if chosen:
            self.open(Target("local", kernel=chosen[0]))

    # ------------------------------------------------------------------ file
    def _build_file(self, tab: ttk.Frame) -> None:
        self.files = _tree(tab, {"file": 380, "started": 160}, height=5)
        for path, mtime in self.backend.connection_files():
            self._add_file(path, mtime)
        ttk.Button(tab, text="Browse…", command=self.browse).pack(anchor="w", pady=(0, 6))
        self.ssh_host = _labelled_entry(tab, "SSH (optional)")
        self.ssh_key = _labelled_entry(tab, "SSH key")
        ttk.Button(tab, text="Connect", command=self.connect_file).pack(anchor="e", pady=(6, 0))
        self.files.bind("<Double-1>", lambda _e: self.connect_file())

    def _add_file(self, path: str, mtime: float, first: bool = False) -> None:
        if not self.files.exists(path):
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(mtime))
            self.files.insert("", 0 if first else "end", iid=path, values=(path, stamp))
        self.files.selection_set(path)

    def browse(self) -> None:
        path = filedialog.askopenfilename(
            parent=self, title="Kernel connection file", filetypes=[("JSON", "*.json")]
        )
        if path:
            self._add_file(path, time.time(), first=True)

    def connect_file(self) -> None:
        chosen = self.files.selection()
        if not chosen:
            self.say("Choose a connection file first.")
            return
        ssh = sshkey = None
        if self.ssh_host.get().strip():
            ssh = self.ssh_host.get().strip()
            if self.ssh_key.get().strip():
                sshkey = self.ssh_key.get().strip()
        self.open(Target("file", path=chosen[0], ssh=ssh, sshkey=sshkey))

    # ------------------------------------------------------------------ server
    def _build_server(self, tab: ttk.Frame) -> None:
        self.url = _labelled_entry(tab, "Server URL")
        self.token = _labelled_entry(tab, "Token", show="•")
        self.url.insert(0, "http://127.0.0.1:8888/")
        ttk.Button(tab, text="List kernels", command=self.list_server).pack(anchor="e", pady=4)
        self.kernels = _tree(tab, {"kernel": 300, "name": 110, "state": 80, "clients": 60}, 5)
        # what an Enterprise Gateway passes to a kernel it starts (KERNEL_USERNAME=...)
        self.kernel_env = _labelled_entry(tab, "Kernel env")
        ttk.Label(tab, text="NAME=VALUE; NAME=VALUE (for Start new)").pack(anchor="e")
        row = ttk.Frame(tab)
        row.pack(fill="x")
        self.server_spec = ttk.Combobox(row, state="readonly", width=24)
        self.server_spec.pack(side="left")
        ttk.Button(row, text="Start new", command=self.start_remote).pack(side="left", padx=6)
        ttk.Button(row, text="Shut down", command=self.shutdown_remote).pack(side="right")
        ttk.Button(row, text="Attach", command=self.attach_remote).pack(side="right", padx=6)
        self.kernels.bind("<Double-1>", lambda _e: self.attach_remote())

    def _accept_server(self) -> None:
        """Enter in the server tab: list its kernels, then attach to the chosen one."""
        focused = self.focus_get()
        if self.listing is None or focused in (self.url, self.token):
            self.list_server()
        else:
            self.attach_remote()

    def list_server(self) -> None:
        self.say("Asking the server…")
        future = self.backend.list_server(self.url.get().strip(), self.token.get())
        self.when_done(future, self._show_listing)

    def _show_listing(self, listing: dict) -> None:
        self.listing = listing
        self.kernels.delete(*self.kernels.get_children())
        for k in listing["kernels"]:
            state = k.get("execution_state") or ""
            row = (k["id"], k.get("name") or "", state, k.get("connections", ""))
            self.kernels.insert("", "end", iid=k["id"], values=row)
        names = [name for name, _display in listing["specs"]]
        self.server_spec.configure(values=names)
        if names:
            self.server_spec.set(listing["default"] if listing["default"] in names else names[0])
        count = len(listing["kernels"])
        self.say(listing["note"] or f"{count} kernel{'s' if count != 1 else ''} running.")

    def _server_target(self, **extra: str) -> Target | None:
        if self.listing is None:
            self.say("List the server's kernels first.")
            return None
        return Target(
            "server", url=self.listing["url"], token=self.listing["token"] or None, **extra
        )

    def _chosen_kernel(self) -> str | None:
        chosen = self.kernels.selection()
        if not chosen:
            self.say("Choose a running kernel first.")
        return chosen[0] if chosen else None

    def attach_remote(self) -> None:
        kernel_id = self._chosen_kernel()
        target = kernel_id and self._server_target(kernel_id=kernel_id)
        if target:
            self.open(target)

    def start_remote(self) -> None:
        name = self.server_spec.get()
        extra = {"kernel": name} if name else {}
        pairs = [pair.strip() for pair in self.kernel_env.get().split(";") if pair.strip()]
        if pairs:
            extra["env"] = "\n".join(pairs)
        target = self._server_target(**extra)
        if target:
            self.open(target)

    def shutdown_remote(self) -> None:
        """Shut the chosen kernel down: only ever because the person asked here."""
        kernel_id = self._chosen_kernel()
        if kernel_id and self.listing is not None:
            listing = self.listing
            future = self.backend.shutdown_kernel(listing["url"], listing["token"], kernel_id)
            self.when_done(future, lambda _r: self.list_server())

    # ------------------------------------------------------------------ common
    def open(self, target: Target) -> None:
        """Open ``target`` in a new console window and close the dialog."""
        try:
            self.backend.open(target)
        except ValueError as exc:
            self.say(str(exc))
            return
        self.destroy()

    def say(self, text: str) -> None:
        self.message.configure(text=text)

    def when_done(self, future: Future, then: Callable[[Any], None]) -> None:
        """Run ``then(result)`` on the Tk thread once ``future`` is done; say why it failed."""
        if not self.winfo_exists():
            return
        if not future.done():
            self.after(POLL_MS, self.when_done, future, then)
        elif future.exception() is not None:
            self.say(str(future.exception()))
        else:
            then(future.result())
