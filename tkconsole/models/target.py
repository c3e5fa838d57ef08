"""Where a console connects, as the command line and File → Connect… say it.

A ``Target`` is plain data: the Connect dialog, the command line, the tabs
and session restore all pass it around, and it goes into the recents and
session files as a dict (``as_dict`` / ``from_dict``, the only place the dict
form is read back).  The app layer's ``connector.open_connection`` turns it
into a connection.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

KINDS = ("local", "file", "server", "hub")


@dataclass(frozen=True)
class Target:
    kind: str  # local | file | server | hub
    kernel: str | None = None  # kernelspec to start (locally or on the server)
    path: str | None = None  # connection file
    ssh: str | None = None  # user@host[:port] to tunnel through
    sshkey: str | None = None
    url: str | None = None  # Jupyter Server / gateway / JupyterHub
    token: str | None = None
    kernel_id: str | None = None  # attach to this kernel on the server
    env: str | None = None  # NAME=VALUE lines for a kernel started on the server (KERNEL_*)
    hub_server: str | None = None  # the Hub user's named server (None: the default one)

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
        if self.kind == "hub":
            what = f"kernel {self.kernel_id[:8]}" if self.kernel_id else self.kernel or "new kernel"
            return f"{self.url} ({self.hub_server or 'default server'}, {what})"
        return f"local {self.kernel or 'python3'}"

    def without_token(self) -> tuple[Target, str | None]:
        """This target with no token (nor one pasted into its URL), and that token.

        What goes into the recents and session files; the token goes to the
        keyring, filed under ``place()``.
        """
        if not self.url:
            return replace(self, token=None), self.token
        parts = urlsplit(self.url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        in_url = [value for key, value in query if key == "token"]
        kept = urlencode([(key, value) for key, value in query if key != "token"])
        url = urlunsplit(parts._replace(query=kept))
        return replace(self, url=url, token=None), self.token or (in_url[0] if in_url else None)

    def place(self) -> str:
        """Whose token this target needs: its kind and URL (no token, no kernel)."""
        return f"{self.kind} {self.without_token()[0].url or ''}"

    def key(self) -> tuple[object, ...]:
        """What makes two targets the same place (the token may change)."""
        return tuple(v for f, v in asdict(self).items() if f != "token")

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: object) -> Target:
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
