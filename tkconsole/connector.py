"""Opening consoles on targets, for the command line and File → Connect….

``Connector`` is the app-layer glue the Connect dialog talks to (the
dialog, being UI, may not import the transport): it lists local
kernelspecs, connection files and a server's kernels, opens a new console
window for a choice, remembers recent choices, and answers ssh password
questions with a Tk dialog over the main window.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

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
        """Open ``data`` (a target as a dict) in a new console window; remember it.

        Raises ``ValueError`` with one line when the target is unusable.
        """
        from .ui.window import MainWindow

        target = Target.from_dict(data)
        if target.kind == "file":
            from .kernel import connfile

            connfile.load(target.path or "")
        connection = self.connect(target)
        window = MainWindow(connection, master=self.root, on_connect=self.show_dialog)
        self.windows.append(window)
        self.recent_store.remember(target.as_dict())
        return window

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


def _target_key(entry: dict) -> tuple:
    try:
        return Target.from_dict(entry).key()
    except ValueError:
        return (repr(entry),)
