"""Where a console connects, as the command line and File → Connect… say it.

A ``Target`` is plain data (it goes into the recent-connections file);
``open_connection`` turns it into the matching connection object: a local
kernel, a connection file (optionally through ssh), or a kernel on a
Jupyter Server or gateway.  This is the app layer: it may import anything.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

KINDS = ("local", "file", "server")


@dataclass(frozen=True)
class Target:
    kind: str  # local | file | server
    kernel: str | None = None  # kernelspec to start (locally or on the server)
    path: str | None = None  # connection file
    ssh: str | None = None  # user@host[:port] to tunnel through
    sshkey: str | None = None
    url: str | None = None  # Jupyter Server / gateway
    token: str | None = None
    kernel_id: str | None = None  # attach to this kernel on the server
    env: str | None = None  # NAME=VALUE lines for a kernel started on the server (KERNEL_*)

    def kernel_env(self) -> dict[str, str]:
        """``env`` as a dict (an Enterprise Gateway's kernel parameters)."""
        return parse_env((self.env or "").splitlines())

    def label(self) -> str:
        """One line for menus and lists; never shows the token."""
        if self.kind == "file":
            via = f" via {self.ssh}" if self.ssh else ""
            return f"{Path(self.path or '').name}{via}"
        if self.kind == "server":
            what = f"kernel {self.kernel_id[:8]}" if self.kernel_id else self.kernel or "new kernel"
            return f"{self.url} ({what})"
        return f"local {self.kernel or 'python3'}"

    def key(self) -> tuple:
        """What makes two targets the same place (the token may change)."""
        return tuple(v for f, v in asdict(self).items() if f != "token")

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        """From stored data; raises ``ValueError`` for anything malformed."""
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or data.get("kind") not in KINDS:
            raise ValueError(f"not a connection target: {data!r}")
        values = {k: v for k, v in data.items() if k in names}
        if not all(isinstance(v, str) for v in values.values()):
            raise ValueError(f"not a connection target: {data!r}")
        return cls(**values)


def parse_env(pairs: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings as a dict; raises ``ValueError`` with one line."""
    env = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--kernel-env needs NAME=VALUE, not {pair!r}")
        env[name.strip()] = value
    return env


def target_from_args(args: argparse.Namespace) -> Target:
    """Check the option combination; raises ``ValueError`` with one line."""
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


def open_connection(target: Target, ask_password: Any = None) -> Any:
    """The connection object for ``target`` (not started yet).

    ``ask_password(prompt) -> str | None`` is called from a worker thread
    when an ssh login needs a password or passphrase.
    """
    from .models.settings import load_settings

    options = load_settings().kernel  # encryption, launch timeout
    timeout = float(options.launch_timeout)
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
            target.path, target.ssh, target.sshkey, ask_password, options.encryption, timeout
        )
    from .kernel.connection import KernelConnection

    return KernelConnection(
        kernel_name=target.kernel if target.kind != "file" else None,
        connection_file=target.path if target.kind == "file" else None,
        encryption=options.encryption,
        launch_timeout=timeout,
    )
