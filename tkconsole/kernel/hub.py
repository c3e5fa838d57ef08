"""A JupyterHub as a place for kernels: the user's servers, started and watched.

``HubClient`` speaks the Hub's REST API (``/hub/api``) on the shared loop:
whose token this is, the user's servers, starting one and following its
progress stream, stopping one.  A user's server is a Jupyter Server at
``{hub}{url}``, so ``HubConnection`` is a ``RemoteConnection`` that first
makes sure its server runs (showing the spawn's progress messages as they
arrive), then starts or attaches to a kernel there as on any server.  A
server stopped while connected (from the Hub, or culled as idle) is said
in one notice that offers to start it again or to reconnect.

The Hub answers a wrong and an expired token alike (HTTP 403), so both get
the same one line.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..models.hub import (
    EventStream,
    HubServer,
    Progress,
    default_url,
    parse_progress,
    parse_servers,
    progress_path,
    server_path,
    user_name,
)
from .base import LAUNCH_TIMEOUT
from .remote import RemoteConnection
from .server import (
    CONNECT_TIMEOUT,
    REQUEST_TIMEOUT,
    AuthError,
    Refused,
    ServerClient,
    ServerError,
    ServerStopped,
    Unreachable,
    reason,
    split_token,
)

SPAWN_TIMEOUT = 300.0  # s a server may take to start (a cluster pulling an image is slow)
STOP_POLL = 0.5  # s between looks at a server that is stopping, before starting it again
TOKEN_VARIABLE = "JUPYTERHUB_API_TOKEN"

ProgressCallback = Callable[[Progress], None]


def hub_root(url: str, token: str | None = None) -> tuple[str, str]:
    """``(hub_url, token)``: the Hub's public root (a pasted ``…/hub/…`` page is cut back).

    The token comes from the argument, the URL or ``$JUPYTERHUB_API_TOKEN``.
    """
    if token is None and "token=" not in url:
        token = os.environ.get(TOKEN_VARIABLE, "")
    base, token = split_token(url, token)
    parts = urlsplit(base)
    path = parts.path
    for marker in ("/hub/", "/user/"):
        if marker in path:
            path = path[: path.index(marker) + 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")), token


class HubClient:
    """REST calls to one Hub with one user's token; coroutines for the shared loop."""

    def __init__(self, url: str, token: str | None = None) -> None:
        self.url, self.token = hub_root(url, token)
        self._user: str | None = None

    def __repr__(self) -> str:  # never the token
        return f"HubClient({self.url!r})"

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    async def user(self) -> str:
        """The token owner's name (asked once)."""
        if self._user is None:
            try:
                self._user = user_name(await self._call("GET", "hub/api/user"))
            except ValueError as exc:
                raise ServerError(f"{self.url}: {exc}") from None
        return self._user

    async def servers(self) -> list[HubServer]:
        """The user's servers, stopped named ones included, the default first."""
        user = await self.user()
        path = f"hub/api/users/{quote(user, safe='')}?include_stopped_servers=1"
        return parse_servers(await self._call("GET", path))

    async def server(self, name: str = "") -> HubServer:
        return next((s for s in await self.servers() if s.name == name), HubServer(name))

    async def start(self, name: str = "", on_progress: ProgressCallback | None = None) -> HubServer:
        """Start server ``name`` unless it runs; its progress goes to ``on_progress``.

        Returns the ready server; ``ServerError`` if the spawn failed.
        """
        user = await self.user()
        current = await self._settled(name)
        if not current.ready and not current.pending:
            code = await self._post_start(user, name)
            if code == 201:  # ready at once: there is no progress to show
                return await self._ready(name)
        elif current.ready:
            return current
        await self._follow(user, name, on_progress or (lambda _p: None))
        return await self._ready(name)

    async def _settled(self, name: str) -> HubServer:
        """Server ``name`` once it is not stopping (a start then would be refused)."""
        waited = 0.0
        current = await self.server(name)
        while current.pending == "stop" and waited < SPAWN_TIMEOUT:
            await asyncio.sleep(STOP_POLL)
            waited += STOP_POLL
            current = await self.server(name)
        return current

    async def stop(self, name: str = "") -> None:
        """Ask the Hub to stop server ``name`` (it answers before the server is gone)."""
        await self._call("DELETE", server_path(await self.user(), name))

    def server_client(self, server: HubServer, user: str) -> ServerClient:
        """The Jupyter Server that is ``server``, reached through the Hub's proxy."""
        path = server.url or default_url(user, server.name)
        return ServerClient(self.url.rstrip("/") + path, self.token or "")

    # ------------------------------------------------------------------ plumbing
    async def _post_start(self, user: str, name: str) -> int:
        try:
            code: int = await self._call("POST", server_path(user, name), {}, status=True)
            return code
        except Refused as exc:
            if "already" in str(exc) or "pending" in str(exc):
                return 202  # someone else started it meanwhile: follow its progress
            raise

    async def _ready(self, name: str) -> HubServer:
        server = await self.server(name)
        if not server.ready:
            state = server.state
            raise ServerError(f"the server {server.label} on {self.host} is {state}, not ready")
        return server

    async def _follow(self, user: str, name: str, on_progress: ProgressCallback) -> None:
        """Read the progress stream until the Hub ends it; failures raise."""
        stream = EventStream()
        failed: list[Progress] = []

        def chunk(data: bytes) -> None:
            for text in stream.feed(data):
                event = parse_progress(text)
                if event is not None:
                    if event.failed:
                        failed.append(event)
                    on_progress(event)

        request = self._request("GET", progress_path(user, name), timeout=SPAWN_TIMEOUT)
        request.streaming_callback = chunk
        request.headers["Accept"] = "text/event-stream"
        response = await self._fetch(request)
        if response.code >= 400:
            raise self._error(response.code, response.body)
        if failed:
            label = name or "default server"
            raise ServerError(f"the server {label} on {self.host} failed to start: "
                              f"{failed[-1].message or 'no reason given'}")  # fmt: skip

    def _request(
        self, method: str, path: str, body: Any = None, timeout: float = REQUEST_TIMEOUT
    ) -> HTTPRequest:
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        return HTTPRequest(
            self.url + path, method=method, headers={**headers, "Content-Type": "application/json"},
            body=None if body is None else json.dumps(body),
            connect_timeout=CONNECT_TIMEOUT, request_timeout=timeout,
        )  # fmt: skip

    async def _fetch(self, request: HTTPRequest) -> Any:
        try:
            return await AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, ssl.SSLError, HTTPClientError) as exc:
            raise Unreachable(f"cannot reach the JupyterHub at {self.url}: {reason(exc)}") from None

    async def _call(self, method: str, path: str, body: Any = None, status: bool = False) -> Any:
        response = await self._fetch(self._request(method, path, body))
        if response.code >= 400 or response.code < 200:
            raise self._error(response.code, response.body)
        if status:
            return response.code
        try:
            return json.loads(response.body) if response.body else None
        except ValueError:
            raise ServerError(f"{self.url} did not answer like a JupyterHub") from None

    def _error(self, code: int, body: bytes | None) -> ServerError:
        said = _said(body)
        if code in (401, 403):
            return AuthError(
                f"the JupyterHub at {self.url} refused the token (HTTP {code}): it is wrong "
                f"or has expired; check --token or {TOKEN_VARIABLE}"
            )
        if code == 404:
            return ServerError(f"{self.url} is not a JupyterHub, or has no such server ({said})")
        if code == 400:
            return Refused(f"the JupyterHub at {self.url} refused: {said}")
        return ServerError(f"the JupyterHub at {self.url} answered HTTP {code}: {said}")


def _said(body: bytes | None) -> str:
    """The Hub's own error text (JSON ``message``), one line."""
    try:
        data = json.loads(body or b"")
        text = data.get("message") if isinstance(data, dict) else None
    except ValueError:
        text = None
    text = text if isinstance(text, str) and text.strip() else "no details"
    return text.strip().splitlines()[0][:200]


class HubConnection(RemoteConnection):
    """A kernel on the Hub user's server ``server_name`` (``""``: the default one)."""

    def __init__(
        self,
        hub: HubClient,
        server_name: str = "",
        kernel_name: str | None = None,
        kernel_id: str | None = None,
        launch_timeout: float = LAUNCH_TIMEOUT,
    ) -> None:
        # the user's server is not known until the Hub says: the Hub stands in until then
        super().__init__(ServerClient(hub.url, hub.token or ""), kernel_name, kernel_id,
                         launch_timeout=launch_timeout)  # fmt: skip
        self.hub = hub
        self.server_name = server_name
        server = f"server {server_name}" if server_name else "default server"
        self.where = f"{server} on {hub.host}"  # for notices
        self._server_gone = False  # stopped under us: its kernels went with it

    def start_again(self) -> None:
        """Start the stopped server again, and a new kernel on it."""
        self.loop.submit(self._start_again())

    # ----------------------------------------------------------- loop-thread side
    async def _start(self) -> None:
        try:
            await self._server_up()
        except ServerError as exc:
            self._event("start_failed", message=str(exc))
            return
        await super()._start()

    async def _server_up(self) -> None:
        """Start our server if it is stopped (saying its progress); point REST at it."""
        server = await self.hub.start(self.server_name, self._progress)
        self.server = self.hub.server_client(server, await self.hub.user())

    def _progress(self, event: Progress) -> None:
        percent = f" {event.percent}%" if event.percent is not None else ""
        message = f"{self.where[0].upper()}{self.where[1:]}: {event.message or 'starting'}"
        self._event("progress", state=f"starting server…{percent}", message=message)

    async def _start_again(self) -> None:
        self._cancel_watch()
        self._restarting = True
        self._unready()
        try:
            await self._server_up()
            self.owns_kernel = True  # the old kernel went with the server: the new one is ours
            await self._attach(await self._open_kernel(None))
        except ServerError as exc:
            self._restarting = False
            self._event("restart_failed", message=str(exc))

    async def _attach(self, model: dict[str, Any]) -> None:
        await super()._attach(model)
        self._server_gone = False

    async def _shutdown(self) -> None:
        if self._server_gone:  # nothing left to shut down (the Hub answers 403 to a DELETE)
            self.keep_kernel = True
        await super()._shutdown()

    async def _server_stopped(self, exc: ServerStopped) -> None:
        self._server_gone = True
        self._disconnect()
        message = (
            f"The {self.where} was stopped (from the Hub, or culled as idle); "
            "its kernels went with it."
        )
        self._event("died", restarting=False, message=message, offer=["start_again", "reconnect"])
