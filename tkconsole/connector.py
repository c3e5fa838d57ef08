"""Opening consoles on targets, for the command line and File → Connect….

``Connector`` is the app-layer glue the Connect dialog talks to (the
dialog, being UI, may not import the transport): it lists local
kernelspecs, connection files and a server's kernels, opens a new console
window for a choice, remembers recent choices, and answers ssh password
questions with a Tk dialog over the main window.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from .models.connection import Connection
from .models.prompts import PromptRequests
from .models.recent import RecentConnections
from .models.target import Target, parse_env
from .tokens import TokenStore

if TYPE_CHECKING:
    import tkinter as tk

    from .kernel.tunnel import AskPassword
    from .ui.dialogs.connect import ConnectDialog
    from .ui.dialogs.kernel_picker import KernelChoice

T = TypeVar("T")

PASSWORD_WAIT = 600.0  # s an ssh login waits for someone to answer the dialog


def default_recent_path() -> Path:
    """Beside the settings file (``$TKCONSOLE_CONFIG_DIR`` or the platform's folder)."""
    from .models.settings import config_dir

    return config_dir() / "recent.json"


class Connector:
    def __init__(self, recent_path: Path | None = None, tokens: TokenStore | None = None) -> None:
        self.prompts = PromptRequests()
        self.recent_store = RecentConnections(recent_path or default_recent_path(), key=_target_key)
        # beside the recents file: the config folder ($TKCONSOLE_CONFIG_DIR), or a test's own
        self.tokens = tokens or TokenStore(recent_path.parent if recent_path else None)
        self.root: Any = None
        self.windows: list[Any] = []
        self._uses_ssh = False
        self._prompt: Any = None

    # ------------------------------------------------------------------ opening
    def connect(self, target: Target) -> Connection:
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

    def serve(self, window: MainWindowLike) -> None:
        """Use ``window`` (the main one) for password dialogs and new windows."""
        self.root = window.root
        self.windows.append(window)
        self._answer_prompts()

    def _answer_prompts(self) -> None:
        """Show ssh questions over the main window, polling only once ssh is in use."""
        if self._uses_ssh and self.root is not None and self._prompt is None:
            from .ui.dialogs.password import PasswordPrompt

            self._prompt = PasswordPrompt(self.root, self.prompts)

    def open(self, target: Target) -> Any:
        """Open ``target`` in a new tab of the main window; remember it.

        Without a main window (a test's bare root) it opens a window of its
        own.  Returns the tab or window, which has ``console``.  Raises
        ``ValueError`` with one line when the target is unusable.
        """
        main = self.windows[0] if self.windows else None
        if isinstance(main, MainWindowLike):
            opened = main.open_target(target)
        else:
            from .ui.mainwindow import MainWindow

            opened = MainWindow(self, master=self.root)
            opened.open_target(target)
        self.windows.append(opened)
        return opened

    # ------------------------------------------------------- the window's backend
    def open_target(self, target: Target) -> Connection:
        """A started connection for ``target``, remembered among the recents.

        A target without a token (from the recents or a saved session) gets
        the one kept for its place; the recents get the target without it.
        """
        if target.kind == "file":
            from .kernel import connfile

            connfile.load(target.path or "")
        connection = self.connect(self.tokens.fill(target))
        self.recent_store.remember(self.tokens.keep(target).as_dict())
        self._say_token_notices()
        return connection

    def keep_tokens(self, target: Target) -> None:
        """At start: keep the command line's token, and move old recents' tokens out.

        Recents written before tokens went to the keyring hold them in plain JSON.
        """
        self.tokens.keep(target)
        entries = self.recent_store.load()
        if any("token" in entry for entry in entries):
            self.recent_store.replace([_without_token(self.tokens, e) for e in entries])
        self._say_token_notices()

    def _say_token_notices(self) -> None:
        """What the token store has to say (once), in the main window's console.

        Said when idle: by then a tab being opened is the selected one.
        """
        if self.root is not None and self.tokens.notices:
            self.root.after_idle(self._show_token_notices)

    def _show_token_notices(self) -> None:
        main = self.windows[0] if self.windows else None
        if main is None or getattr(main, "closing", True) or main.console is None:
            return  # kept for the next window that opens a target
        notices, self.tokens.notices = self.tokens.notices, []
        for text in notices:
            main.console.notice(text)

    def open_kernel(self, name: str) -> Connection:
        return self.connect(Target("local", kernel=name))

    def same_kernel(self, connection: Connection) -> tuple[Connection, Target] | None:
        """A second client on ``connection``'s kernel, and where it goes; None if unknown yet."""
        target = self.target_of(connection, sibling=True)
        if target is None:
            return None
        try:
            return self.connect(target), target
        except ValueError:
            return None

    def target_of(self, connection: Connection, sibling: bool = False) -> Target | None:
        """Where ``connection`` goes.

        For session restore (``sibling`` False) a kernel we started comes back
        as a new kernel of its spec; for a second console (``sibling``) it is
        the running kernel itself, through its connection file.
        """
        # Only look at the remote and tunnel classes if they were ever loaded
        # (a connection of theirs implies it): importing them pulls in tornado.web.
        remote = sys.modules.get(f"{__package__}.kernel.remote")
        tunnel = sys.modules.get(f"{__package__}.kernel.tunnel")
        hub = sys.modules.get(f"{__package__}.kernel.hub")
        if hub is not None and isinstance(connection, hub.HubConnection):
            return _hub_target_of(connection, sibling)
        if remote is not None and isinstance(connection, remote.RemoteConnection):
            server = connection.server
            kernel_id = connection.kernel_id if sibling or not connection.owns_kernel else None
            if sibling and kernel_id is None:
                return None
            return Target(
                "server", url=server.url, token=server.token or None,
                kernel_id=kernel_id or None, kernel=connection.kernel_name or None,
            )  # fmt: skip
        if tunnel is not None and isinstance(connection, tunnel.TunnelledConnection):
            return None  # the tunnel's target is kept by the tab that opened it
        from .kernel.connection import KernelConnection  # loaded: it made ``connection``

        if not isinstance(connection, KernelConnection):
            return None
        if connection.owns_kernel and not sibling:
            return Target("local", kernel=connection.kernel_name)
        path = connection.connection_file
        if path is None and connection.manager is not None:
            path = connection.manager.connection_file or None
        return Target("file", path=path) if path and Path(path).exists() else None

    def kernel_choices(self) -> list[KernelChoice]:
        """Every local kernelspec with its language and logo, by display name."""
        from .kernel import bundle
        from .ui.dialogs.kernel_picker import KernelChoice

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

    def show_dialog(self, parent: tk.Misc) -> ConnectDialog:
        """File → Connect…: the dialog, over ``parent``."""
        from .ui.dialogs.connect import ConnectDialog

        return ConnectDialog(parent, self)

    # ------------------------------------------------------------------ listing
    def recent(self) -> list[tuple[str, Target]]:
        """``(label, target)`` pairs, most recent first (malformed entries skipped)."""
        shown = []
        for entry in self.recent_store.load():
            try:
                target = Target.from_dict(entry)
            except ValueError:
                continue
            shown.append((target.label(), target))
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

    def list_server(self, url: str, token: str | None) -> Future[dict[str, Any]]:
        """A future of ``{"url", "token", "specs", "default", "kernels", "note"}``.

        ``url`` and ``token`` are what was used: a token pasted into the URL
        comes back separately, and the URL without it.
        """
        from .kernel.loop import shared_loop
        from .kernel.server import ServerClient

        return shared_loop().submit(_checked(_listing(ServerClient(url, token or None))))

    def list_hub(self, url: str, token: str | None) -> Future:
        """A future of ``{"url", "token", "user", "servers"}`` (``HubServer`` list)."""
        from .kernel.hub import HubClient
        from .kernel.loop import shared_loop

        async def listing() -> dict[str, Any]:
            hub = HubClient(url, token or None)
            servers = await hub.servers()
            return {"url": hub.url, "token": hub.token, "user": await hub.user(),
                    "servers": servers}  # fmt: skip

        return shared_loop().submit(_checked(listing()))

    def list_hub_server(
        self, url: str, token: str | None, name: str, on_progress: Callable[[str], None]
    ) -> Future:
        """Start the Hub server ``name`` if it is stopped, then list it as ``list_server``.

        ``on_progress(message)`` is called from the loop thread for each spawn event.
        """
        from .kernel.hub import HubClient
        from .kernel.loop import shared_loop

        async def listing() -> dict[str, Any]:
            hub = HubClient(url, token or None)
            server = await hub.start(name, lambda event: on_progress(event.message))
            return await _listing(hub.server_client(server, await hub.user()))

        return shared_loop().submit(_checked(listing()))

    def stop_hub_server(self, url: str, token: str | None, name: str) -> Future[None]:
        """Stop the Hub server ``name`` (only ever on the person's explicit request)."""
        from .kernel.hub import HubClient
        from .kernel.loop import shared_loop

        return shared_loop().submit(_checked(HubClient(url, token or None).stop(name)))

    def shutdown_kernel(self, url: str, token: str | None, kernel_id: str) -> Future[None]:
        """Shut a server's kernel down (only ever on the person's explicit request)."""
        from .kernel.loop import shared_loop
        from .kernel.server import ServerClient

        return shared_loop().submit(_checked(ServerClient(url, token or None).shutdown(kernel_id)))


def _hub_target_of(connection: Any, sibling: bool) -> Target | None:
    """Where a Hub connection goes: the Hub and server, and the kernel if not ours."""
    kernel_id = connection.kernel_id if sibling or not connection.owns_kernel else None
    if sibling and kernel_id is None:
        return None
    return Target(
        "hub", url=connection.hub.url, token=connection.hub.token or None,
        hub_server=connection.server_name or None, kernel_id=kernel_id or None,
        kernel=connection.kernel_name or None,
    )  # fmt: skip


async def _listing(client: Any) -> dict[str, Any]:
    """A server's kernelspecs and running kernels (a gateway that will not list: a note)."""
    data = await client.kernelspecs()
    specs = data.get("kernelspecs", {})
    result: dict[str, Any] = {
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


async def _checked(coro: Awaitable[T]) -> T:
    """Server failures come out as ``ValueError`` with the one-line reason."""
    from .kernel.server import ServerError

    try:
        return await coro
    except ServerError as exc:
        raise ValueError(str(exc)) from None


@runtime_checkable
class MainWindowLike(Protocol):
    """The tabbed main window (``ui.mainwindow.MainWindow``): new consoles open
    as its tabs, password dialogs over its root."""

    @property
    def root(self) -> tk.Misc: ...

    def open_target(self, target: Target) -> Any: ...


def _without_token(tokens: TokenStore, entry: dict[str, Any]) -> dict[str, Any]:
    try:
        return tokens.keep(Target.from_dict(entry)).as_dict()
    except ValueError:  # not a target: nothing of ours to move
        return {k: v for k, v in entry.items() if k != "token"}


def _target_key(entry: dict[str, Any]) -> tuple[object, ...]:
    try:
        return Target.from_dict(entry).key()
    except ValueError:
        return (repr(entry),)


def target_from_args(args: argparse.Namespace) -> Target:
    """Check the option combination; raises ``ValueError`` with one line."""
    if args.hub is not None:
        return _hub_target(args)
    if args.hub_server is not None:
        raise ValueError("--hub-server needs --hub URL")
    env = parse_env(args.kernel_env or [])
    if args.server is None:
        given = (("--token", args.token), ("--kernel-id", args.kernel_id))
        for option, value in (*given, ("--kernel-env", args.kernel_env)):
            if value is not None:
                raise ValueError(f"{option} needs --server URL")
    if args.ssh is None and args.sshkey is not None:
        raise ValueError("--sshkey needs --ssh user@host")
    if args.server is not None:
        if args.existing is not None or args.ssh is not None:
            raise ValueError("--server cannot be combined with --existing or --ssh")
        if args.kernel is not None and args.kernel_id is not None:
            raise ValueError("give --kernel (start one) or --kernel-id (attach), not both")
        from .kernel.server import ServerError, split_token

        try:
            split_token(args.server, args.token)
        except ServerError as exc:
            raise ValueError(str(exc)) from None
        return Target(
            "server", kernel=args.kernel, url=args.server, token=args.token,
            kernel_id=args.kernel_id, env="\n".join(f"{k}={v}" for k, v in env.items()) or None,
        )  # fmt: skip
    if args.existing is not None:
        from .kernel import connfile

        path = connfile.check(args.existing)
        return Target("file", path=path, ssh=args.ssh, sshkey=args.sshkey)
    if args.ssh is not None:
        raise ValueError("--ssh needs --existing FILE (the kernel's connection file)")
    return Target("local", kernel=args.kernel)


def _hub_target(args: argparse.Namespace) -> Target:
    for option, value in (("--server", args.server), ("--existing", args.existing),
                          ("--ssh", args.ssh), ("--kernel-env", args.kernel_env)):  # fmt: skip
        if value is not None:
            raise ValueError(f"--hub cannot be combined with {option}")
    if args.kernel is not None and args.kernel_id is not None:
        raise ValueError("give --kernel (start one) or --kernel-id (attach), not both")
    from .kernel.hub import hub_root
    from .kernel.server import ServerError

    try:
        url, token = hub_root(args.hub, args.token)
    except ServerError as exc:
        raise ValueError(str(exc).replace("server URL", "JupyterHub URL")) from None
    given = args.token is not None or "token=" in args.hub  # not $JUPYTERHUB_API_TOKEN's
    return Target(
        "hub", kernel=args.kernel, url=url, token=(token or None) if given else None,
        kernel_id=args.kernel_id, hub_server=args.hub_server or None,
    )  # fmt: skip


def open_connection(target: Target, ask_password: AskPassword | None = None) -> Connection:
    """The connection object for ``target`` (not started yet).

    ``ask_password(prompt) -> str | None`` is called from a worker thread
    when an ssh login needs a password or passphrase.
    """
    from .models.settings import load_settings

    options = load_settings().kernel  # encryption, launch timeout
    timeout = float(options.launch_timeout)
    if target.kind == "hub":
        from .kernel.hub import HubClient, HubConnection

        return HubConnection(
            HubClient(target.url or "", target.token), target.hub_server or "",
            kernel_name=target.kernel, kernel_id=target.kernel_id, launch_timeout=timeout,
        )  # fmt: skip
    if target.kind == "server":
        from .kernel.remote import RemoteConnection
        from .kernel.server import ServerClient

        server = ServerClient(target.url or "", target.token)
        return RemoteConnection(
            server, kernel_name=target.kernel, kernel_id=target.kernel_id,
            kernel_env=target.kernel_env(), launch_timeout=timeout,
        )  # fmt: skip
    if target.kind == "file" and target.ssh:
        from .kernel.tunnel import TunnelledConnection

        return TunnelledConnection(
            target.path or "", target.ssh, target.sshkey, ask_password, options.encryption, timeout
        )
    from .kernel.connection import KernelConnection

    return KernelConnection(
        kernel_name=target.kernel if target.kind != "file" else None,
        connection_file=target.path if target.kind == "file" else None,
        encryption=options.encryption,
        launch_timeout=timeout,
    )
