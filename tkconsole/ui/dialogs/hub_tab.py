"""File → Connect…'s JupyterHub tab: the user's servers, then a server's kernels.

The person lists their servers (with the Hub's URL and a token), picks
one, and either opens a console on it right away (a stopped server is
started there, its progress shown in the console) or lists its kernels,
which starts it too, showing the spawn's progress messages here, and then
offers the server's kernelspecs and running kernels as the server tab
does.  A server is stopped only by its Stop server button.  Like the rest
of the dialog it only gathers: the backend talks to the Hub, and answers
come back as futures polled with ``after``.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from ...models.target import Target

PROGRESS_MS = 100


class HubTab:
    """The tab's widgets and the listings they show; ``dialog`` opens and says."""

    def __init__(
        self,
        tab: ttk.Frame,
        dialog: Any,
        tree: Callable[..., ttk.Treeview],  # the dialog's own builders, so tabs look alike
        entry: Callable[..., ttk.Entry],
    ) -> None:
        self.dialog = dialog
        self.hub: dict | None = None  # the Hub's last answer: url, token, user, servers
        self.listing: dict | None = None  # the chosen server's kernels and specs
        self.progress: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.url = entry(tab, "Hub URL")
        self.url.insert(0, "http://127.0.0.1:8000/")
        self.token = entry(tab, "API token", show="•")
        ttk.Button(tab, text="List servers", command=self.list_servers).pack(anchor="e", pady=4)
        self.servers = tree(tab, {"server": 300, "state": 100, "path": 180}, 3)
        row = ttk.Frame(tab)
        row.pack(fill="x", pady=(0, 6))
        ttk.Button(row, text="List kernels", command=self.list_kernels).pack(side="left")
        ttk.Button(row, text="Open", command=self.open_server).pack(side="right")
        ttk.Button(row, text="Stop server", command=self.stop_server).pack(side="right", padx=6)
        self.kernels = tree(tab, {"kernel": 300, "name": 110, "state": 80, "clients": 60}, 3)
        row = ttk.Frame(tab)
        row.pack(fill="x")
        self.spec = ttk.Combobox(row, state="readonly", width=24)
        self.spec.pack(side="left")
        ttk.Button(row, text="Start new", command=self.start_kernel).pack(side="left", padx=6)
        ttk.Button(row, text="Attach", command=self.attach).pack(side="right")
        self.servers.bind("<Double-1>", lambda _e: self.open_server())
        self.kernels.bind("<Double-1>", lambda _e: self.attach())

    def accept(self) -> None:
        """Enter: list the servers, then the chosen server's kernels, then attach."""
        focused = self.dialog.focus_get()
        if self.hub is None or focused in (self.url, self.token):
            self.list_servers()
        elif focused is self.kernels and self.kernels.selection():
            self.attach()
        else:
            self.list_kernels()

    # ------------------------------------------------------------------ servers
    def list_servers(self) -> None:
        self.dialog.say("Asking the Hub…")
        future = self.dialog.backend.list_hub(self.url.get().strip(), self.token.get())
        self.dialog.when_done(future, self._show_servers)

    def _show_servers(self, hub: dict) -> None:
        self.hub = hub
        self.servers.delete(*self.servers.get_children())
        for server in hub["servers"]:
            row = (server.label, server.state, server.url or "")
            self.servers.insert("", "end", iid=server.name or "<default>", values=row)
        self.servers.selection_set(self.servers.get_children()[0])
        count = len(hub["servers"])
        self.dialog.say(f"{hub['user']} has {count} server{'s' if count != 1 else ''}.")

    def _chosen_server(self) -> str | None:
        chosen = self.servers.selection()
        if self.hub is None or not chosen:
            self.dialog.say("List the Hub's servers first.")
            return None
        return "" if chosen[0] == "<default>" else chosen[0]

    def open_server(self) -> None:
        """A console with a new kernel on the chosen server (started first if stopped)."""
        name = self._chosen_server()
        if name is not None:
            self.dialog.open(self._target(name))

    def stop_server(self) -> None:
        """Stop the chosen server: only ever because the person asked here."""
        name = self._chosen_server()
        if name is None or self.hub is None:
            return
        self.dialog.say("Stopping the server…")
        future = self.dialog.backend.stop_hub_server(self.hub["url"], self.hub["token"], name)
        self.dialog.when_done(future, lambda _r: self.list_servers())

    # ------------------------------------------------------------------ kernels
    def list_kernels(self) -> None:
        """The chosen server's kernels; a stopped server is started, its progress said here."""
        name = self._chosen_server()
        if name is None or self.hub is None:
            return
        self.dialog.say("Asking the server…")
        future = self.dialog.backend.list_hub_server(
            self.hub["url"], self.hub["token"], name, self.progress.put
        )
        self._show_progress(future)
        self.dialog.when_done(future, lambda listing: self._show_kernels(name, listing))

    def _show_progress(self, future: Any) -> None:
        """The spawn's messages, newest in the dialog's message line, until it is done."""
        if not self.dialog.winfo_exists() or future.done():
            return
        message = None
        while not self.progress.empty():
            message = self.progress.get()
        if message:
            self.dialog.say(message)
        self.dialog.after(PROGRESS_MS, self._show_progress, future)

    def _show_kernels(self, name: str, listing: dict) -> None:
        self.listing = {**listing, "server": name}
        self.kernels.delete(*self.kernels.get_children())
        for k in listing["kernels"]:
            row = (k["id"], k.get("name") or "", k.get("execution_state") or "",
                   k.get("connections", ""))  # fmt: skip
            self.kernels.insert("", "end", iid=k["id"], values=row)
        names = [spec for spec, _display in listing["specs"]]
        self.spec.configure(values=names)
        if names:
            self.spec.set(listing["default"] if listing["default"] in names else names[0])
        count = len(listing["kernels"])
        self.dialog.say(f"{count} kernel{'s' if count != 1 else ''} running.")
        self.list_servers_quietly()

    def list_servers_quietly(self) -> None:
        """Refresh the servers' states (one may have just started) without a message."""
        if self.hub is not None:
            future = self.dialog.backend.list_hub(self.hub["url"], self.hub["token"])
            chosen = self.servers.selection()
            self.dialog.when_done(future, lambda hub: self._refresh(hub, chosen))

    def _refresh(self, hub: dict, chosen: tuple) -> None:
        said = self.dialog.message.cget("text")
        self._show_servers(hub)
        if chosen and self.servers.exists(chosen[0]):
            self.servers.selection_set(chosen[0])
        self.dialog.say(said)

    def start_kernel(self) -> None:
        if self.listing is None:
            self.dialog.say("List the server's kernels first.")
            return
        spec = self.spec.get()
        self.dialog.open(self._target(self.listing["server"], kernel=spec or None))

    def attach(self) -> None:
        chosen = self.kernels.selection()
        if self.listing is None or not chosen:
            self.dialog.say("Choose a running kernel first.")
            return
        self.dialog.open(self._target(self.listing["server"], kernel_id=chosen[0]))

    def _target(self, name: str, **extra: str | None) -> Target:
        hub = self.hub or {}
        return Target(
            "hub", url=hub.get("url"), token=hub.get("token") or None,
            hub_server=name or None, **extra,
        )  # fmt: skip
