"""The REST side of a Jupyter Server or Kernel/Enterprise Gateway.

Runs on the shared loop (tornado's AsyncHTTPClient), so it never starts a
thread.  The token travels only in the ``Authorization`` header: a token
pasted into the URL (``?token=...``) is taken out of it, so no URL that
tkconsole shows or logs carries it.  Every failure is a ``ServerError``
whose message is one line a person can act on.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

CONNECT_TIMEOUT = 10.0  # s
REQUEST_TIMEOUT = 60.0  # s: starting a kernel on a busy gateway can take a while


# What Enterprise Gateway's 403s say when the token is fine but the request is not
# (an unauthorized KERNEL_USERNAME, a per-user or total kernel limit).
_GATEWAY_REFUSALS = ("KERNEL_USERNAME", "max kernels")


class ServerError(Exception):
    """The server could not be used; ``str()`` is one readable line."""


class AuthError(ServerError):
    """The server refused our token (HTTP 401 or 403)."""


class KernelGone(ServerError):
    """The server does not know the kernel id (HTTP 404)."""


class Unreachable(ServerError):
    """No HTTP answer at all: refused, timed out, unknown host, TLS failure."""


class ServerStopped(ServerError):
    """A JupyterHub answers for a user's server that is not running (HTTP 424)."""


class Refused(ServerError):
    """The server understood and said no (a kernel limit, a user or a parameter it refuses)."""


def split_token(url: str, token: str | None = None) -> tuple[str, str]:
    """``(base_url, token)``: the token from the argument, the URL or ``JUPYTER_TOKEN``.

    The returned URL has no token in it and ends with ``/``; a bare
    ``host:port`` gets ``http://``.
    """
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServerError(f"not a server URL: {url!r} (expected http://host:port/)")
    query = parse_qsl(parts.query, keep_blank_values=True)
    in_url = [value for key, value in query if key == "token"]
    query = [(key, value) for key, value in query if key != "token"]
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    base = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    if token is None:
        token = in_url[0] if in_url else os.environ.get("JUPYTER_TOKEN", "")
    return base, token


class ServerClient:
    """REST calls to one server; coroutines to run on the shared loop."""

    def __init__(self, url: str, token: str | None = None) -> None:
        self.url, self.token = split_token(url, token)

    def __repr__(self) -> str:  # never the token
        return f"ServerClient({self.url!r})"

    @property
    def host(self) -> str:
        """``host:port``, for labels."""
        return urlsplit(self.url).netloc

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    def websocket_request(self, kernel_id: str, session_id: str) -> HTTPRequest:
        """The request for the kernel's ``channels`` websocket."""
        scheme = "wss" if self.url.startswith("https:") else "ws"
        query = urlencode({"session_id": session_id})
        url = f"{scheme}{self.url[self.url.index(':') :]}api/kernels/{quote(kernel_id)}/channels"
        return HTTPRequest(
            f"{url}?{query}", headers=self.headers(), connect_timeout=CONNECT_TIMEOUT
        )

    # ------------------------------------------------------------------ calls
    async def kernelspecs(self) -> dict[str, Any]:
        """``{"default": name, "kernelspecs": {name: {"spec": {...}}}}``."""
        return await self._object("GET", "api/kernelspecs")

    async def kernels(self) -> list[dict[str, Any]]:
        """The running kernels (a Kernel Gateway refuses unless it allows listing)."""
        try:
            kernels = await self._call("GET", "api/kernels")
        except AuthError:
            await self.kernelspecs()  # raises again if the token is the problem
            raise ServerError(
                f"{self.host} does not list its running kernels (an Enterprise Gateway needs "
                "EG_LIST_KERNELS=True, a Kernel Gateway "
                "--JupyterWebsocketPersonality.list_kernels=True)"
            ) from None
        if not isinstance(kernels, list) or not all(isinstance(k, dict) for k in kernels):
            raise self.not_jupyter("api/kernels")
        return kernels

    async def kernel(self, kernel_id: str) -> dict[str, Any]:
        return await self._object("GET", self._kernel_path(kernel_id))

    async def start_kernel(
        self,
        name: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = REQUEST_TIMEOUT,
    ) -> dict[str, Any]:
        """Start a kernel (``None``: the server's default kernelspec).

        ``env`` goes as the request's ``env``: an Enterprise Gateway hands
        ``KERNEL_*`` names (``KERNEL_USERNAME``...) to the kernel's launcher.
        A gateway may take tens of seconds to bring a kernel up on a
        cluster, so the request waits up to ``timeout``.
        """
        body: dict[str, Any] = {"name": name} if name else {}
        if env:
            body["env"] = dict(env)
        try:
            return await self._object("POST", "api/kernels", body, timeout)
        except Unreachable as exc:
            if "timeout" not in str(exc):
                raise
            raise ServerError(
                f"the kernel did not start on {self.host} within {timeout:.0f} s "
                "(the [kernel] launch_timeout setting)"
            ) from None

    async def interrupt(self, kernel_id: str) -> None:
        await self._call("POST", self._kernel_path(kernel_id) + "/interrupt", {})

    async def restart(self, kernel_id: str) -> dict[str, Any]:
        return await self._object("POST", self._kernel_path(kernel_id) + "/restart", {})

    async def shutdown(self, kernel_id: str) -> None:
        await self._call("DELETE", self._kernel_path(kernel_id))

    async def display_name(self, kernel_name: str) -> str:
        """The kernelspec's display name, or its name if the server won't say."""
        try:
            specs = (await self.kernelspecs()).get("kernelspecs", {})
            name = specs[kernel_name]["spec"]["display_name"]
        except (ServerError, KeyError, TypeError):
            return kernel_name
        return name if isinstance(name, str) else kernel_name

    # ------------------------------------------------------------------ plumbing
    @staticmethod
    def _kernel_path(kernel_id: str) -> str:
        return f"api/kernels/{quote(kernel_id, safe='')}"

    async def _call(
        self, method: str, path: str, body: Any = None, timeout: float = REQUEST_TIMEOUT
    ) -> Any:
        request = HTTPRequest(
            self.url + path,
            method=method,
            headers={**self.headers(), "Content-Type": "application/json"},
            body=None if body is None else json.dumps(body),
            connect_timeout=CONNECT_TIMEOUT,
            request_timeout=timeout,
        )
        try:
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, ssl.SSLError, HTTPClientError) as exc:
            raise self.unreachable(exc) from None
        if response.code >= 400 or response.code < 200:
            raise self.http_error(response.code, path, response.body)
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError:
            raise self.not_jupyter(path) from None

    async def _object(
        self, method: str, path: str, body: Any = None, timeout: float = REQUEST_TIMEOUT
    ) -> dict[str, Any]:
        """``_call`` for an answer that must be a JSON object (checked: it comes off the wire)."""
        answer = await self._call(method, path, body, timeout)
        if not isinstance(answer, dict):
            raise self.not_jupyter(path)
        return answer

    def not_jupyter(self, path: str) -> ServerError:
        """The error for an answer that is not the JSON a Jupyter server sends."""
        return ServerError(f"{self.url} did not answer like a Jupyter server ({path})")

    def unreachable(self, exc: BaseException) -> ServerError:
        """The error for a server we could not talk to at all."""
        return Unreachable(f"cannot reach the Jupyter server at {self.url}: {reason(exc)}")

    def http_error(self, code: int, path: str, body: bytes | None) -> ServerError:
        """The error for an HTTP failure ``code`` answering ``path``."""
        said = _message(body)
        if code == 403 and said == "Resource Limit":  # Enterprise Gateway's max_kernels
            return Refused(
                f"the server at {self.url} runs as many kernels as it allows (HTTP 403 "
                "Resource Limit): shut one down there, or ask its administrator"
            )
        if code == 403 and any(word in said for word in _GATEWAY_REFUSALS):
            return Refused(f"the server at {self.url} refused (HTTP 403): {said}")
        if code == 400 and path == "api/kernels":
            return Refused(f"the server at {self.url} refused to start the kernel: {said}")
        if code in (401, 403):
            return AuthError(
                f"the server at {self.url} refused the token (HTTP {code}): "
                "check --token or JUPYTER_TOKEN"
            )
        if code == 424:  # JupyterHub: "server no longer running"
            return ServerStopped(f"the server at {self.url} is not running (stopped on its Hub)")
        if code == 404 and path.startswith("api/kernels/"):
            kernel_id = path.split("/")[2]
            return KernelGone(f"there is no kernel {kernel_id} on the server at {self.url}")
        if code == 404:
            return ServerError(f"{self.url} is not a Jupyter server (no {path})")
        return ServerError(f"the server at {self.url} answered HTTP {code}: {said}")


def reason(exc: BaseException) -> str:
    """A short cause for a network failure."""
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({exc.verify_message})"
    if isinstance(exc, HTTPClientError) and exc.code == 599:
        return str(exc.message or "timed out").lower()
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text[0].lower() + text[1:] if text else text


def _message(body: bytes | None) -> str:
    """The server's own error text (Jupyter answers JSON with ``message``)."""
    try:
        data = json.loads(body or b"")
        text = data.get("message") or data.get("reason") or ""
    except (ValueError, AttributeError):
        text = (body or b"").decode("utf-8", "replace")
    line = text.strip().splitlines()[0] if text.strip() else "no details"
    return line[:200]
