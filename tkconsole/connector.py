"""Opening consoles on targets, for the command line and File → Connect….

``Connector`` is the app-layer glue the Connect dialog talks to (the
dialog, being UI, may not import the transport): it lists local
kernelspecs, connection files and a server's kernels, opens a new console
window for a choice, remembers recent choices, and answers ssh password
questions with a Tk dialog over the main window.
"""

from __future__ import annotations

import sys
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .models.prompts import PromptRequests
from .models.recent import RecentConnections
from .targets import Target, open_connection

PASSWORD_WAIT = 600.0  # s an ssh login waits for someone to answer the dialog


def default_recent_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("tkconsole")) / "recent.json"


class Connector:
    def __init__(self, recent_path: Path | None = None) -> None:
        self.prompts = PromptRequests()
        self.recent_store = RecentConnections(recent_path or default_recent_path(), key=_target_key)
        self.root: Any = None
        self.windows: list[Any] = []
        self._uses_ssh = False
        self._prompt: Any = None

    # ------------------------------------------------------------------ opening
    def connect(self, target: Target) -> Any:
        """A started connection for ``target`` (ssh questions go to the dialog)."""
        connection = open_connection(target, ask_password=self.ask_password)
        connection.start()
        if target.ssh:
            self._uses_ssh = True
            self._answer_prompts()
        return connection

    def ask_password(self, prompt: str) -> str | None:
        """Worker thread: wait for the person's answer in a Tk dialog."""
        return self.prompts.ask(prompt, timeout=PASSWORD_WAIT)

    def serve(self, window: Any) -> None:
        """Use ``window`` (the main one) for password dialogs and new windows."""
        self.root = window.root
        self.windows.append(window)
        self._answer_prompts()

    def _answer_prompts(self) -> None:
        """Show ssh questions over the main window, polling only once ssh is in use."""
        if self._uses_ssh and self.root is not None and self._prompt is None:
            from .ui.password import PasswordPrompt

            self._prompt = PasswordPrompt(self.root, self.prompts)

    def open(self, data: dict) -> Any:
        """Open ``data`` (a target as a dict) in a new tab of the main window; remember it.

        Without a main window (a test's bare root) it opens a window of its
        own.  Returns the tab or window, which has ``console``.  Raises
        ``ValueError`` with one line when the target is unusable.
        """
        main = self.windows[0] if self.windows else None
        if isinstance(main, MainWindowLike):
            opened = main.open_target(data)
        else:
            from .ui.mainwindow import MainWindow

            opened = MainWindow(self, master=self.root)
            opened.open_target(data)
        self.windows.append(opened)
        return opened

    # ------------------------------------------------------- the window's backend
    def open_target(self, data: dict) -> Any:
        """A started connection for a target dict, remembered among the recents."""
        target = Target.from_dict(data)
        if target.kind == "file":
            from .kernel import connfile

            connfile.load(target.path or "")
        connection = self.connect(target)
        self.recent_store.remember(target.as_dict())
        return connection

    def open_kernel(self, name: str) -> Any:
        return self.connect(Target("local", kernel=name))

    def same_kernel(self, connection: Any) -> tuple[Any, dict] | None:
        """A second client on ``connection``'s kernel, and where it goes; None if unknown yet."""
        target = self.target_of(connection, sibling=True)
        if target is None:
            return None
        try:
            return self.connect(Target.from_dict(target)), target
        except ValueError:
            return None

    def target_of(self, connection: Any, sibling: bool = False) -> dict | None:
        """Where ``connection`` goes as a target dict.

        For session restore (``sibling`` False) a kernel we started comes back
        as a new kernel of its spec; for a second console (``sibling``) it is
        the running kernel itself, through its connection file.
        """
        # Only look at the remote and tunnel classes if they were ever loaded
        # (a connection of theirs implies it): importing them pulls in tornado.web.
        remote = sys.modules.get(f"{__package__}.kernel.remote")
        tunnel = sys.modules.get(f"{__package__}.kernel.tunnel")
        if remote is not None and isinstance(connection, remote.RemoteConnection):
            server = connection.server
            kernel_id = connection.kernel_id if sibling or not connection.owns_kernel else None
            if sibling and kernel_id is None:
                return None
            data = {"kind": "server", "url": server.url, "token": server.token}
            data.update({"kernel_id": kernel_id} if kernel_id else {})
            data.update({"kernel": connection.kernel_name} if connection.kernel_name else {})
            return {k: v for k, v in data.items() if v}
        if tunnel is not None and isinstance(connection, tunnel.TunnelledConnection):
            return None  # the tunnel's target is kept by the tab that opened it
        if connection.owns_kernel and not sibling:
            return {"kind": "local", "kernel": connection.kernel_name}
        path = connection.connection_file
        if path is None and connection.manager is not None:
            path = connection.manager.connection_file or None
        return {"kind": "file", "path": path} if path and Path(path).exists() else None

    def kernel_choices(self) -> list[Any]:
        """Every local kernelspec with its language and logo, by display name."""
        from .kernel import bundle
        from .ui.kernel_picker import KernelChoice

        choices = []
        for name, entry in bundle.spec_manager().get_all_specs().items():
            spec = entry.get("spec", {})
            folder = Path(entry.get("resource_dir", ""))
            logo = next(
                (str(folder / f) for f in ("logo-32x32.png", "logo-64x64.png")
                 if (folder / f).is_file()),
                None,
            )  # fmt: skip
            display = spec.get("display_name", name)
            choices.append(KernelChoice(name, display, spec.get("language", ""), logo))
        return sorted(choices, key=lambda c: c.display_name.lower())

    def show_dialog(self, window: Any) -> Any:
        """File → Connect…: the dialog, over ``window``."""
        from .ui.connect_dialog import ConnectDialog

        return ConnectDialog(window.root, self)

    # ------------------------------------------------------------------ listing
    def recent(self) -> list[tuple[str, dict]]:
        """``(label, target dict)`` pairs, most recent first."""
        shown = []
        for entry in self.recent_store.load():
            try:
                shown.append((Target.from_dict(entry).label(), entry))
            except ValueError:
                continue
        return shown

    def kernelspecs(self) -> list[tuple[str, str]]:
        """Local kernelspecs as ``(name, display name)``."""
        from .kernel import bundle

        specs = bundle.spec_manager().get_all_specs()
        pairs = [(name, s.get("spec", {}).get("display_name", name)) for name, s in specs.items()]
        return sorted(pairs, key=lambda pair: pair[1].lower())

    def connection_files(self) -> list[tuple[str, float]]:
        """Kernel connection files in the runtime dir, newest first."""
        from jupyter_core.paths import jupyter_runtime_dir

        found = []
        for path in Path(jupyter_runtime_dir()).glob("kernel-*.json"):
            try:
                found.append((str(path), path.stat().st_mtime))
            except OSError:
                continue
        return sorted(found, key=lambda item: -item[1])

    def list_server(self, url: str, token: str | None) -> Future:
        """A future of ``{"url", "token", "specs", "default", "kernels", "note"}``.

        ``url`` and ``token`` are what was used: a token pasted into the URL
        comes back separately, and the URL without it.
        """
        from .kernel.loop import shared_loop
        from .kernel.server import ServerClient

        async def listing() -> dict:
            client = ServerClient(url, token or None)
            data = await client.kernelspecs()
            specs = data.get("kernelspecs", {})
            result = {
                "url": client.url,
                "token": client.token,
                "specs": [(n, s.get("spec", {}).get("display_name", n)) for n, s in specs.items()],
                "default": data.get("default"),
                "kernels": [],
                "note": None,
            }
            try:
                result["kernels"] = await client.kernels()
            except Exception as exc:  # a gateway that does not list: say so, keep the specs
                result["note"] = str(exc)
            return result

        return shared_loop().submit(_checked(listing()))

    def shutdown_kernel(self, url: str, token: str | None, kernel_id: str) -> Future:
        """Shut a server's kernel down (only ever on the person's explicit request)."""
        from .kernel.loop import shared_loop
        from .kernel.server import ServerClient

        return shared_loop().submit(_checked(ServerClient(url, token or None).shutdown(kernel_id)))


async def _checked(coro: Any) -> Any:
    """Server failures come out as ``ValueError`` with the one-line reason."""
    from .kernel.server import ServerError

    try:
        return await coro
    except ServerError as exc:
        raise ValueError(str(exc)) from None


@runtime_checkable
class MainWindowLike(Protocol):
    """The tabbed main window: new consoles open as its tabs."""

    def open_target(self, data: dict) -> Any: ...


def _target_key(entry: dict) -> tuple:
    try:
        return Target.from_dict(entry).key()
    except ValueError:
        return (repr(entry),)
