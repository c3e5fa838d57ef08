"""What a JupyterHub says, as plain data: a user's servers and a spawn's progress.

The Hub's REST answers and its progress stream (server-sent events) come
from the network, so every function here takes whatever arrived and either
returns clean values or drops what it cannot read; nothing raises past
``ValueError``.  The REST client (``kernel/hub.py``) feeds them; the tests
feed them hostile data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

MESSAGE_LIMIT = 300  # characters of a progress message kept (a Hub may send HTML-sized text)


@dataclass(frozen=True)
class HubServer:
    """One of the user's servers; ``name`` ``""`` is the default server."""

    name: str
    ready: bool = False
    pending: str | None = None  # "spawn" or "stop" while one is under way
    url: str | None = None  # path on the Hub, "/user/<name>/[<server>/]"

    @property
    def state(self) -> str:
        """One word for lists: ready, starting, stopping or stopped."""
        if self.pending:
            return {"spawn": "starting", "stop": "stopping"}.get(self.pending, self.pending)
        return "ready" if self.ready else "stopped"

    @property
    def label(self) -> str:
        return self.name or "default server"


@dataclass(frozen=True)
class Progress:
    """One event of a spawn's progress stream."""

    message: str
    percent: int | None = None
    ready: bool = False
    failed: bool = False
    url: str | None = None


def user_name(data: Any) -> str:
    """The token owner's name from ``GET /hub/api/user``; ``ValueError`` if absent."""
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name:
        raise ValueError("the Hub did not say whose token this is")
    return name


def parse_servers(data: Any) -> list[HubServer]:
    """The servers of a user model (``GET /hub/api/users/:name``), default first.

    Entries that are not a server model are left out; a user model without
    the default server still lists it, stopped (it can always be started).
    """
    raw = data.get("servers") if isinstance(data, dict) else None
    found: dict[str, HubServer] = {}
    if isinstance(raw, dict):
        for name, entry in raw.items():
            if isinstance(name, str) and isinstance(entry, dict):
                found[name] = _server(name, entry)
    found.setdefault("", HubServer(""))
    return sorted(found.values(), key=lambda s: (s.name != "", s.name))


def _server(name: str, entry: dict[str, Any]) -> HubServer:
    pending = entry.get("pending")
    url = entry.get("url")
    return HubServer(
        name,
        ready=entry.get("ready") is True,
        pending=pending if isinstance(pending, str) and pending else None,
        url=url if isinstance(url, str) and url.startswith("/") else None,
    )


def server_path(user: str, server: str = "") -> str:
    """The REST path of a user's server (start with POST, stop with DELETE)."""
    return f"hub/api/users/{quote(user, safe='')}/servers/{quote(server, safe='')}"


def progress_path(user: str, server: str = "") -> str:
    """The progress stream's path (the default server's has its own spelling)."""
    if not server:
        return f"hub/api/users/{quote(user, safe='')}/server/progress"
    return server_path(user, server) + "/progress"


def default_url(user: str, server: str = "") -> str:
    """Where the Hub puts a server when it does not say (``/user/<name>/[<server>/]``)."""
    tail = f"{quote(server, safe='')}/" if server else ""
    return f"/user/{quote(user, safe='')}/{tail}"


def parse_progress(data: str) -> Progress | None:
    """An event's ``data`` as ``Progress``; None for anything that is not one."""
    try:
        event = json.loads(data)
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    message = event.get("message")
    message = " ".join(message.split())[:MESSAGE_LIMIT] if isinstance(message, str) else ""
    percent = event.get("progress")
    if isinstance(percent, bool) or not isinstance(percent, (int, float)):
        percent = None
    elif percent == percent:  # not NaN
        percent = int(max(0, min(100, percent)))
    else:
        percent = None
    url = event.get("url")
    return Progress(
        message=message,
        percent=percent,
        ready=event.get("ready") is True,
        failed=event.get("failed") is True,
        url=url if isinstance(url, str) and url.startswith("/") else None,
    )


class EventStream:
    """Server-sent events from chunks of bytes: ``feed`` returns each event's ``data``.

    Lines end with LF, CR LF or CR; an event ends at a blank line; its
    ``data:`` lines are joined with LF; comments (``:``) and other fields
    are ignored.  A chunk may end anywhere, even inside a UTF-8 character.
    """

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[str]:
        self._buffer += chunk
        events: list[str] = []
        while True:
            line, found = self._next_line()
            if not found:
                return events
            if not line:
                if self._data:
                    events.append("\n".join(self._data))
                self._data = []
                continue
            field, _, value = line.partition(":")
            if field == "data":
                self._data.append(value[1:] if value.startswith(" ") else value)

    def _next_line(self) -> tuple[str, bool]:
        ends = [i for i in (self._buffer.find(b"\n"), self._buffer.find(b"\r")) if i >= 0]
        if not ends:
            return "", False
        end = min(ends)
        if self._buffer[end : end + 1] == b"\r" and end + 1 == len(self._buffer):
            return "", False  # a CR at the chunk's end may be half of CR LF
        step = 2 if self._buffer[end : end + 2] == b"\r\n" else 1
        line, self._buffer = self._buffer[:end], self._buffer[end + step :]
        return line.decode("utf-8", "replace"), True
