"""Real Jupyter Server, Kernel Gateway and Enterprise Gateway processes on 127.0.0.1.

Each gets a token, a free loopback port, its own runtime and config dirs,
and can be stopped and started again on the same port.  Enterprise Gateway
3.3 needs jupyter_server<2 and jupyter_client<7, so it runs from its own
venv (``.venv-eg``, made by tests/run.sh; ``TKCONSOLE_EG_VENV`` overrides).
"""

from __future__ import annotations

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
