"""The remote part of ``python -m benchmarks``: ``1+1`` over a Jupyter Server.

One local ``jupyter server`` (127.0.0.1, a token) serves both sides, each
in a child process of its own (``common.run_child``), ROUNDS times in turn:

- ``remote-gui``: the app launched with ``--server``, timed from execute to
  ``Out`` drawn (the same steps as the local round trip);
- ``remote-bare``: a bare tornado websocket client speaking the v1
  subprotocol, no tkconsole code, timed from send to ``execute_result``
  received; once as is, once acknowledging every frame at once
  (TCP_QUICKACK) as tkconsole does, which removes the server's Nagle wait.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable

from .common import emit, gui_child, run_child
from .core import ROUND_TRIPS, roundtrip_steps

SERVER_ENV = "TKCONSOLE_BENCH_SERVER"  # "url token" for the children
ROUNDS = 3  # child runs per side, alternating; each reports a median of ROUND_TRIPS
V1 = "v1.kernel.websocket.jupyter.org"


def _server() -> tuple[str, str]:
    url, token = os.environ[SERVER_ENV].split(" ", 1)
    return url, token


# --------------------------------------------------------------------- gui side
def remote_gui_child(t0: float, _full: bool) -> None:
    def steps(window, result: dict):
        times: list[float] = []
        yield from roundtrip_steps(window, times)
        result["remote_roundtrip"] = result["remote_roundtrip_tuned"] = statistics.median(times)

    url, token = _server()
    gui_child(t0, ["--server", url, "--token", token], steps)


# --------------------------------------------------------------------- bare side
def remote_bare_child(_t0: float, _full: bool) -> None:
    from tornado.ioloop import IOLoop

    url, token = _server()
    result = {
        "remote_roundtrip": IOLoop.current().run_sync(lambda: _bare(url, token, False)),
        "remote_roundtrip_tuned": IOLoop.current().run_sync(lambda: _bare(url, token, True)),
    }
    emit(result)


async def _bare(url: str, token: str, quickack: bool) -> float:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    auth = {"Authorization": f"token {token}"}
    http = AsyncHTTPClient()
    reply = await http.fetch(url + "api/kernels", method="POST", headers=auth, body="{}")
    kernel = json.loads(reply.body)["id"]
    session = uuid.uuid4().hex
    ws_url = "ws" + url[4:] + f"api/kernels/{kernel}/channels?session_id={session}"
    ws = await websocket_connect(HTTPRequest(ws_url, headers=auth), subprotocols=[V1])
    sock = ws.protocol.stream.socket

    async def run(msg_type: str, content: dict, until: str) -> float:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": session,
                  "username": "bench", "version": "5.3", "date": "2020-01-01T00:00Z"}  # fmt: skip
        start = time.perf_counter()
        await ws.write_message(_pack("shell", [header, {}, {}, content]), binary=True)
        while True:
            frame = await ws.read_message()
            if quickack:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            kind, parent = _unpack_types(frame)
            if parent == msg_id and kind == until:
                return time.perf_counter() - start

    await run("kernel_info_request", {}, "kernel_info_reply")
    times = []
    for _ in range(ROUND_TRIPS):
        code = {"code": "1+1", "silent": False, "store_history": True, "allow_stdin": False}
        times.append(await run("execute_request", code, "execute_result"))
        await run("execute_request", {"code": "", "silent": True}, "execute_reply")  # settle
    ws.close()
    await http.fetch(url + f"api/kernels/{kernel}", method="DELETE", headers=auth)
    return statistics.median(times)


def _pack(channel: str, parts: list[dict]) -> bytes:
    blobs = [channel.encode(), *(json.dumps(p).encode() for p in parts)]
    ends, at = [], 8 * (len(blobs) + 2)
    for blob in blobs:
        ends.append(at)
        at += len(blob)
    ends.append(at)
    return struct.pack(f"<{len(ends) + 1}Q", len(ends), *ends) + b"".join(blobs)


def _unpack_types(frame: bytes) -> tuple[str, str | None]:
    count = struct.unpack_from("<Q", frame)[0]
    at = struct.unpack_from(f"<{count}Q", frame, 8)
    header, parent = (json.loads(frame[at[i] : at[i + 1]]) for i in (1, 2))
    return header["msg_type"], parent.get("msg_id")


CHILDREN: dict[str, Callable[[float, bool], None]] = {
    "remote-gui": remote_gui_child,
    "remote-bare": remote_bare_child,
}


# --------------------------------------------------------------------- driver
METRICS = [  # key, name, unit, scale, compare (as in core.METRICS)
    ("remote_roundtrip", "remote_roundtrip_1plus1", "ms", 1000, "diff"),
    ("remote_roundtrip_tuned", "remote_roundtrip_1plus1_vs_quickack_bare", "ms", 1000, "diff"),
]


def measure() -> tuple[dict, dict]:
    """Start a local Jupyter Server, run both children against it: ``(gui, bare)``."""
    try:
        import jupyter_server  # noqa: F401
    except ImportError:
        print("remote_roundtrip skipped: jupyter_server is not installed", file=sys.stderr)
        return {}, {}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token, url = uuid.uuid4().hex, f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
         "--ServerApp.open_browser=False", "--ServerApp.allow_root=True"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    )  # fmt: skip
    os.environ[SERVER_ENV] = f"{url} {token}"
    try:
        _wait_until_up(url, token)
        runs: dict[str, list[dict]] = {"remote-bare": [], "remote-gui": []}
        for _ in range(ROUNDS):  # alternate, so a busy moment hits both sides alike
            for kind, results in runs.items():
                results.append(run_child(kind, True))
        return _medians(runs["remote-gui"]), _medians(runs["remote-bare"])
    finally:
        server.terminate()
        server.wait(30)


def _medians(results: list[dict]) -> dict:
    keys = ("remote_roundtrip", "remote_roundtrip_tuned")
    return {key: statistics.median(r[key] for r in results) for key in keys}


def _wait_until_up(url: str, token: str, timeout: float = 60.0) -> None:
    request = urllib.request.Request(url + "api", headers={"Authorization": f"token {token}"})
    end = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(request, timeout=5).close()
            return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)
