"""What CurveZMQ costs, and ``1+1`` over Enterprise Gateway: ``python -m benchmarks.encryption``.

Rows of ``(case, tkconsole figure, baseline figure)``, each side in a child
process of its own, the two sides alternated ROUNDS times so a busy moment
hits both alike:

- ``1+1`` on a local kernel launched with CurveZMQ keys against one launched
  without, for a bare jupyter_client client and for tkconsole (the app,
  timed from execute to ``Out`` drawn): the cost of encryption, honestly;
- ``1+1`` through a real Enterprise Gateway 3.3 on 127.0.0.1 (``.venv-eg``,
  made by tests/run.sh): tkconsole (``--server``) beside a bare tornado
  websocket client given the same TCP settings (no Nagle, every frame
  acknowledged at once).  Skipped when the gateway's venv is missing.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from . import common
from .common import ROOT, emit
from .core import ROUND_TRIPS, _bare_roundtrip, roundtrip_steps
from .remote import _bare, _wait_until_up

EG_PROGRAM = Path(os.environ.get("TKCONSOLE_EG_VENV") or ROOT / ".venv-eg") / "bin"
EG_PROGRAM = EG_PROGRAM / "jupyter-enterprisegateway"
ROUNDS = 3  # child runs per side; each reports the median of core.ROUND_TRIPS round trips
CONFIG_ENV = "TKCONSOLE_CONFIG_DIR"


# --------------------------------------------------------------------- children
def bare_child(encryption: str) -> float:
    """Median ``1+1`` for a bare jupyter_client client (``transport_encryption``)."""
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3", transport_encryption=encryption)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(60)
        assert (km.curve_secretkey is not None) == (encryption == "auto")
        return statistics.median(_bare_roundtrip(kc) for _ in range(ROUND_TRIPS))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def gui_child(argv: list[str]) -> None:
    """The app on ``argv``; emits ``{"roundtrip": median s, "encrypted": bool}``."""

    def steps(window, result: dict):
        times: list[float] = []
        yield from roundtrip_steps(window, times)
        result["roundtrip"] = statistics.median(times)
        result["encrypted"] = window.console.conn.encrypted

    common.gui_child(time.time(), argv, steps)


def eg_bare_child(url: str, token: str) -> float:
    from tornado.ioloop import IOLoop

    return IOLoop.current().run_sync(lambda: _bare(url, token, True))


def eg_transport_child(url: str, token: str) -> float:
    """Median ``1+1`` through tkconsole's RemoteConnection alone: no window, no drawing.

    Step for step what the bare client does (``remote._bare``), a
    silent empty execute between rounds included, so only the transport differs.
    """
    from tkconsole.kernel.remote import RemoteConnection
    from tkconsole.kernel.server import ServerClient

    conn = RemoteConnection(ServerClient(url, token))
    conn.start()

    def until(msg_type: str, parent: str | None = None, state: str | None = None) -> None:
        while True:
            owner, _channel, msg = conn.queue.get(timeout=60)
            if owner is not conn or msg["msg_type"] != msg_type:
                continue
            ours = parent is None or msg["parent_header"].get("msg_id") == parent
            if ours and (state is None or msg["content"].get("execution_state") == state):
                return

    until("ready")
    times = []
    for _ in range(ROUND_TRIPS):
        start = time.perf_counter()
        msg_id = conn.execute("1+1")
        until("execute_result", msg_id)
        times.append(time.perf_counter() - start)
        until("status", msg_id, "idle")
        until("status", conn.execute("", silent=True), "idle")  # settle, as the bare client does
    conn.shutdown()
    return statistics.median(times)


def child_main(kind: str, args: list[str]) -> None:
    if kind == "bare":
        emit({"roundtrip": bare_child(args[0])})
    elif kind == "gui":
        gui_child(args)
    elif kind == "eg-bare":
        emit({"roundtrip": eg_bare_child(*args)})
    elif kind == "eg-transport":
        emit({"roundtrip": eg_transport_child(*args)})


# --------------------------------------------------------------------- driver
def run_child(kind: str, *args: str, env: dict[str, str] | None = None) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.encryption", "--child", kind, *args]
    out = subprocess.run(
        cmd, capture_output=True, text=True, timeout=600, cwd=ROOT,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{kind} child failed:\n{out.stderr[-3000:]}")


def settings_dir(folder: Path, encryption: str) -> dict[str, str]:
    """The environment for an app child whose settings say ``encryption``."""
    path = folder / encryption
    path.mkdir(exist_ok=True)
    (path / "settings.toml").write_text(f'[kernel]\nencryption = "{encryption}"\n')
    return {CONFIG_ENV: str(path)}


def alternate(*sides: Callable[[], float]) -> list[float]:
    """The median of each side, the sides run ROUNDS times in turn."""
    runs: list[list[float]] = [[] for _ in sides]
    for _ in range(ROUNDS):
        for side, results in zip(sides, runs, strict=True):
            results.append(side())
    return [statistics.median(results) for results in runs]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def local_rows(folder: Path) -> list[tuple[str, str, str]]:
    bare = alternate(
        lambda: run_child("bare", "auto")["roundtrip"],
        lambda: run_child("bare", "disabled")["roundtrip"],
    )
    curve_env, plain_env = settings_dir(folder, "auto"), settings_dir(folder, "off")

    def gui(env: dict[str, str], encrypted: bool) -> float:
        result = run_child("gui", env=env)
        assert result["encrypted"] is encrypted, result
        return result["roundtrip"]

    app = alternate(lambda: gui(curve_env, True), lambda: gui(plain_env, False))
    return [
        ("1+1 local, bare jupyter_client: curve vs plain", ms(bare[0]), ms(bare[1])),
        ("1+1 local, tkconsole: curve vs plain", ms(app[0]), ms(app[1])),
    ]


def eg_rows(folder: Path) -> list[tuple[str, str, str]]:
    if not EG_PROGRAM.exists():
        print("Enterprise Gateway skipped: no .venv-eg (run tests/run.sh)", file=sys.stderr)
        return []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token, url = uuid.uuid4().hex, f"http://127.0.0.1:{port}/"
    env = {**os.environ, "EG_UNAUTHORIZED_USERS": "nobody-here", "EG_RESPONSE_IP": "127.0.0.1"}
    env["JUPYTER_RUNTIME_DIR"] = str(folder / "eg-runtime")
    gateway = subprocess.Popen(
        [str(EG_PROGRAM), "--EnterpriseGatewayApp.ip=127.0.0.1",
         f"--EnterpriseGatewayApp.port={port}", f"--EnterpriseGatewayApp.auth_token={token}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    try:
        _wait_until_up(url, token)
        app, transport, bare = alternate(
            lambda: run_child("gui", "--server", url, "--token", token)["roundtrip"],
            lambda: run_child("eg-transport", url, token)["roundtrip"],
            lambda: run_child("eg-bare", url, token)["roundtrip"],
        )
    finally:
        gateway.terminate()
        gateway.wait(30)
    return [
        ("1+1 over Enterprise Gateway: tkconsole vs bare websocket", ms(app), ms(bare)),
        ("  the same, tkconsole's transport alone (no window)", ms(transport), ms(bare)),
    ]


def run() -> list[tuple[str, str, str]]:
    """Every row: ``(case, tkconsole figure, baseline figure)``."""
    with common.private_display(), tempfile.TemporaryDirectory() as tmp:
        return local_rows(Path(tmp)) + eg_rows(Path(tmp))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        child_main(argv[1], argv[2:])
        return 0
    for case, ours, base in run():
        print(f"{case}: {ours}  baseline {base}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
