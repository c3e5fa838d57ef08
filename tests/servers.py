"""Real Jupyter Server, Kernel Gateway and Enterprise Gateway processes on 127.0.0.1.

Each gets a token, a free loopback port, its own runtime and config dirs,
and can be stopped and started again on the same port.  Enterprise Gateway
3.3 needs jupyter_server<2 and jupyter_client<7, so it runs from its own
venv (``.venv-eg``, made by tests/run.sh; ``TKCONSOLE_EG_VENV`` overrides).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

TOKEN = "t0k3n-for-tests"
ROOT = Path(__file__).resolve().parents[1]
EG_VENV = Path(os.environ.get("TKCONSOLE_EG_VENV") or ROOT / ".venv-eg")
EG_PROGRAM = EG_VENV / "bin" / "jupyter-enterprisegateway"
# Enterprise Gateway refuses KERNEL_USERNAME=root (its default unauthorized user),
# and tests run as root here: refuse someone else instead.
EG_REFUSED_USER = "mallory"


LEGACY_ONLY = ("--ZMQChannelsWebsocketConnection.kernel_ws_protocol=",)


@pytest.fixture(scope="module")
def jserver(tmp_path_factory):
    """A Jupyter Server with a token (prefers the v1 websocket subprotocol)."""
    server = ServerProcess("server", tmp_path_factory.mktemp("jserver")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    """A Kernel Gateway with a token, told to speak only the legacy JSON protocol."""
    server = ServerProcess("gateway", tmp_path_factory.mktemp("kg"), LEGACY_ONLY).start()
    yield server
    server.stop()


def make_certificate(folder: Path) -> Path:
    """A throwaway self-signed certificate for 127.0.0.1 (cert.pem, key.pem)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``kind``: ``"server"`` (jupyter server), ``"gateway"`` (kernel gateway) or ``"eg"``."""

    def __init__(
        self,
        kind: str,
        home: Path,
        extra: tuple[str, ...] = (),
        tls: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        """``tls``: a folder with cert.pem and key.pem to serve https with."""
        self.kind = kind
        self.env = env or {}
        self.tls = tls
        self.home = home
        self.port = free_port()
        self.extra = extra
        self.token = TOKEN
        self.proc: subprocess.Popen | None = None
        self.log = home / f"{kind}.log"

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        if self.kind == "server":
            app = "ServerApp"
            args = [
                "-m", "jupyter_server", "--ServerApp.open_browser=False",
                "--ServerApp.allow_root=True", f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.home}",
            ]  # fmt: skip
        elif self.kind == "eg":
            app = "EnterpriseGatewayApp"
            args = [f"--{app}.auth_token={self.token}"]
            ports = [f"--{app}.ip=127.0.0.1", f"--{app}.port={self.port}"]
            return [str(EG_PROGRAM), *args, *ports, f"--{app}.port_retries=0", *self.extra]
        else:
            app = "KernelGatewayApp"
            args = [
                "-m", "kernel_gateway", f"--KernelGatewayApp.auth_token={self.token}",
                "--JupyterWebsocketPersonality.list_kernels=True",
            ]  # fmt: skip
        ports = [f"--{app}.ip=127.0.0.1", f"--{app}.port={self.port}", f"--{app}.port_retries=0"]
        if self.tls:
            ports += [f"--{app}.certfile={self.tls / 'cert.pem'}"]
            ports += [f"--{app}.keyfile={self.tls / 'key.pem'}"]
        return [sys.executable, *args, *ports, *self.extra]

    def start(self, timeout: float = 60.0) -> ServerProcess:
        env = {
            **os.environ,
            "JUPYTER_RUNTIME_DIR": str(self.home / "runtime"),
            "JUPYTER_CONFIG_DIR": str(self.home / "config"),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            **self.env,
        }
        env.pop("JUPYTER_TOKEN", None)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command(), env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.home
            )
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited: {self.log.read_text()[-2000:]}")
            try:
                self.get("api/kernelspecs")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.kind} did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    # ------------------------------------------------------------------ REST
    def call(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        context = ssl.create_default_context(cafile=self.tls / "cert.pem") if self.tls else None
        with urllib.request.urlopen(request, timeout=60, context=context) as response:
            text = response.read()
        return json.loads(text) if text else None

    def get(self, path: str):
        return self.call("GET", path)

    def kernel_ids(self) -> set[str]:
        return {k["id"] for k in self.get("api/kernels")}

    def start_kernel(self, env: dict[str, str] | None = None) -> str:
        body: dict = {"name": "python3"}
        if env:
            body["env"] = env
        return self.call("POST", "api/kernels", body)["id"]

    def delete_kernel(self, kernel_id: str) -> None:
        self.call("DELETE", f"api/kernels/{kernel_id}")

    def has_kernel(self, kernel_id: str) -> bool:
        try:
            self.get(f"api/kernels/{kernel_id}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return False
            raise
        return True


# ---------------------------------------------------------------------- JupyterHub
HUB_PROXY = Path(
    os.environ.get("TKCONSOLE_HUB_PROXY")
    or ROOT / ".hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
)
HUB_ADMIN_TOKEN = "hub-admin-t0k3n-for-tests"
HUB_USER = "alice"
# Every stop takes a second more, as on a cluster: the Hub answers 202 and the
# server is listed as pending "stop" meanwhile (a start then is refused).
SLOW_STOP = """
import asyncio

async def _slow_stop(spawner):
    await asyncio.sleep(1.0)

c.Spawner.post_stop_hook = _slow_stop
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A JupyterHub with the user ``alice`` (no server running yet) and her token."""
    server = HubProcess(tmp_path_factory.mktemp("hub")).start()
    yield server
    server.stop()


class HubProcess:
    """A JupyterHub on 127.0.0.1: dummy authenticator, local process spawner, named servers.

    The proxy is the npm ``configurable-http-proxy`` (``.hub-proxy/``, made by
    tests/run.sh).  ``slow_spawn_timeout`` 0 makes every start answer 202 and
    stream its progress, as a spawn on a cluster does; every stop answers 202
    and takes a second (``SLOW_STOP``).  A service token with
    the admin role (``admin``) makes users and their tokens through the REST API.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.log = home / "hub.log"
        self.proc: subprocess.Popen | None = None
        self.token = ""  # alice's token, made once the Hub is up

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def config(self) -> str:
        users = self.home / "users"
        settings = {
            "JupyterHub.ip": "127.0.0.1",
            "JupyterHub.port": self.port,
            "JupyterHub.hub_ip": "127.0.0.1",
            "JupyterHub.hub_port": free_port(),
            "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{free_port()}",
            "ConfigurableHTTPProxy.command": [str(HUB_PROXY)],
            "JupyterHub.db_url": f"sqlite:///{self.home / 'hub.sqlite'}",
            "JupyterHub.cookie_secret_file": str(self.home / "cookie_secret"),
            "JupyterHub.authenticator_class": "dummy",
            "Authenticator.allow_all": True,
            "JupyterHub.spawner_class": "simple",
            "SimpleLocalProcessSpawner.home_dir_template": f"{users}/{{username}}",
            "Spawner.cmd": [sys.executable, "-m", "jupyterhub.singleuser"],
            "Spawner.args": ["--allow-root"],  # the tests run as root here
            "Spawner.default_url": "/tree",
            "JupyterHub.allow_named_servers": True,
            "JupyterHub.tornado_settings": {"slow_spawn_timeout": 0, "slow_stop_timeout": 0},
            "JupyterHub.services": [{"name": "tests", "api_token": HUB_ADMIN_TOKEN}],
            "JupyterHub.load_roles": [{"name": "admin", "services": ["tests"]}],
        }
        lines = [f"c.{name} = {value!r}" for name, value in settings.items()]
        return "\n".join([*lines, SLOW_STOP]) + "\n"

    def start(self, timeout: float = 90.0) -> HubProcess:
        if not HUB_PROXY.exists():
            raise RuntimeError(f"no {HUB_PROXY}: run tests/run.sh (npm configurable-http-proxy)")
        config = self.home / "jupyterhub_config.py"
        config.write_text(self.config())
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(self.home / "runtime")}
        env.pop("JUPYTERHUB_API_TOKEN", None)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(config)],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.home,
            )  # fmt: skip
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Hub exited: {self.log.read_text()[-3000:]}")
            try:
                self.call("GET", "hub/api/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the Hub did not start: {self.log.read_text()[-3000:]}")
        if self.user() is None:
            self.call("POST", f"hub/api/users/{HUB_USER}")
        self.token = self.new_token()
        return self

    def stop(self) -> None:
        """Stop the Hub and every single-user server it spawned."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for name in list((self.user() or {}).get("servers", {})):
            with contextlib.suppress(OSError):
                self.stop_server(name, wait=True)
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    # ------------------------------------------------------------------ REST (as admin)
    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={"Authorization": f"token {token or HUB_ADMIN_TOKEN}",
                     "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
        return json.loads(text) if text else None

    def user(self) -> dict | None:
        try:
            return self.call("GET", f"hub/api/users/{HUB_USER}?include_stopped_servers=1")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def new_token(self, expires_in: int | None = None, scopes: list[str] | None = None) -> str:
        """A token of alice's (her own scopes, unless ``scopes``)."""
        body: dict = {"note": "tkconsole tests"}
        if expires_in is not None:
            body["expires_in"] = expires_in
        if scopes is not None:
            body["scopes"] = scopes
        return self.call("POST", f"hub/api/users/{HUB_USER}/tokens", body)["token"]

    def server(self, name: str = "") -> dict | None:
        """Alice's server ``name`` as the Hub lists it (None: never started)."""
        return ((self.user() or {}).get("servers") or {}).get(name)

    def start_server(self, name: str = "", timeout: float = 90.0) -> dict:
        """Start alice's server ``name`` (unless it runs) and wait until it is ready."""
        self._wait(name, lambda s: not (s and s.get("pending") == "stop"), timeout)
        try:
            self.call("POST", f"hub/api/users/{HUB_USER}/servers/{name}", {})
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # "already running"
                raise
        return self._wait(name, lambda s: s is not None and s.get("ready"), timeout)

    def stop_server(self, name: str = "", wait: bool = True, timeout: float = 60.0) -> None:
        try:
            self.call("DELETE", f"hub/api/users/{HUB_USER}/servers/{name}")
        except urllib.error.HTTPError as exc:
            if exc.code not in (400, 404):  # not running
                raise
        if wait:
            self._wait(name, lambda s: not (s and (s.get("ready") or s.get("pending"))), timeout)

    def _wait(self, name: str, done, timeout: float):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = self.server(name)
            if done(found):
                return found
            time.sleep(0.2)
        raise RuntimeError(f"server {name!r} did not settle: {self.log.read_text()[-3000:]}")

    def jupyter(self, name: str = "") -> ServerProcess:
        """Alice's running server ``name`` as a ServerProcess-like REST helper."""
        url = self.url.rstrip("/") + (self.server(name) or {})["url"]
        return UserServer(url, self.token)


class UserServer(ServerProcess):
    """REST calls to a single-user server behind the Hub (not a process of ours)."""

    def __init__(self, url: str, token: str) -> None:
        self._url, self.token, self.tls = url, token, None

    @property
    def url(self) -> str:
        return self._url
