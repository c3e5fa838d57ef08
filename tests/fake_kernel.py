"""A tiny hand-made kernel on real zmq sockets, for what ipykernel never sends:
badly signed, replayed and garbage messages."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import zmq
from jupyter_client.session import Session

KEY = b"fake-kernel-key"


class SignedKernel:
    """Real zmq sockets on 127.0.0.1, a connection file, a heartbeat, and a thread
    that hands each shell or control request to ``_answer`` (subclasses)."""

    def __init__(self, folder: Path, name: str, key: bytes) -> None:
        self.context = zmq.Context()
        self.session = Session(key=key)
        self.sockets = {
            "shell": self.context.socket(zmq.ROUTER),
            "iopub": self.context.socket(zmq.PUB),
            "stdin": self.context.socket(zmq.ROUTER),
            "control": self.context.socket(zmq.ROUTER),
            "hb": self.context.socket(zmq.REP),
        }
        ports = {
            f"{channel}_port": s.bind_to_random_port("tcp://127.0.0.1")
            for channel, s in self.sockets.items()
        }
        info = {**ports, "ip": "127.0.0.1", "transport": "tcp", "key": key.decode(),
                "signature_scheme": "hmac-sha256", "kernel_name": name}  # fmt: skip
        self.connection_file = folder / f"kernel-{name}.json"
        self.connection_file.write_text(json.dumps(info))
        self.count = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(5)
        self.context.destroy(linger=0)

    def _run(self) -> None:
        poller = zmq.Poller()
        for name in ("shell", "control", "hb"):
            poller.register(self.sockets[name], zmq.POLLIN)
        while not self._stop.is_set():
            for sock, _ in poller.poll(50):
                if sock is self.sockets["hb"]:
                    sock.send(sock.recv())
                    continue
                idents, msg = self.session.feed_identities(sock.recv_multipart())
                self._answer(sock, idents, self.session.deserialize(msg))

    def _answer(self, sock: zmq.Socket, idents: list, request: dict) -> None:
        raise NotImplementedError


class FakeKernel(SignedKernel):
    """Answers kernel_info and execute; before each execute's good output it
    sends a badly signed message, a replayed one and garbage frames."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder, "fake", KEY)

    def _iopub(self, msg_type: str, content: dict, parent: dict) -> dict:
        return self.session.send(self.sockets["iopub"], msg_type, content, parent=parent)

    def _answer(self, sock: zmq.Socket, idents: list, request: dict) -> None:
        kind = request["msg_type"]
        self._iopub("status", {"execution_state": "busy"}, request)
        if kind == "kernel_info_request":
            content = {"status": "ok", "protocol_version": "5.3", "implementation": "fake",
                       "language_info": {"name": "python"}, "banner": "fake kernel"}  # fmt: skip
            self.session.send(sock, "kernel_info_reply", content, request, ident=idents)
        elif kind == "execute_request":
            if not request["content"].get("silent"):
                self.count += 1
                self._hostile(request)
                self._iopub("stream", {"name": "stdout", "text": "good output\n"}, request)
            content = {"status": "ok", "execution_count": self.count, "payload": []}
            self.session.send(sock, "execute_reply", content, request, ident=idents)
        self._iopub("status", {"execution_state": "idle"}, request)

    def _hostile(self, request: dict) -> None:
        iopub = self.sockets["iopub"]
        bad = Session(key=b"wrong-key", session=self.session.session)
        bad.send(iopub, "stream", {"name": "stdout", "text": "BAD SIGNATURE\n"}, parent=request)
        sent = self._iopub("stream", {"name": "stdout", "text": "first copy\n"}, request)
        replay = self.session.serialize(sent)  # the same header and signature again
        iopub.send_multipart(replay)
        iopub.send_multipart([b"<IDS|MSG>", b"not-a-signature", b"{garbage", b"", b"", b""])
        iopub.send_multipart([b"no delimiter at all"])


class PlainKernel(SignedKernel):
    """A well-behaved kernel with no optional features (no subshells): it keeps
    every request's type and header, answers kernel_info, execute and
    complete, and, like ipykernel without subshells, never answers a
    subshell request."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder, "plain", KEY)
        self.requests: list[tuple[str, dict]] = []  # (msg_type, header) in arrival order

    def _answer(self, sock: zmq.Socket, idents: list, request: dict) -> None:
        kind = request["msg_type"]
        self.requests.append((kind, dict(request["header"])))
        iopub = self.sockets["iopub"]
        self.session.send(iopub, "status", {"execution_state": "busy"}, parent=request)
        reply = self._reply(kind, request["content"])
        if reply is not None:
            name = kind.replace("_request", "_reply")
            self.session.send(sock, name, reply, request, ident=idents)
        self.session.send(iopub, "status", {"execution_state": "idle"}, parent=request)

    def _reply(self, kind: str, content: dict) -> dict | None:
        if kind == "kernel_info_request":
            return {"status": "ok", "protocol_version": "5.3", "implementation": "plain",
                    "language_info": {"name": "python"}, "banner": "plain kernel",
                    "supported_features": []}  # fmt: skip
        if kind == "execute_request":
            self.count += 0 if content.get("silent") else 1
            if content["code"].startswith("sleep "):  # busy: later requests wait, as they do
                time.sleep(float(content["code"].split()[1]))  # on a kernel's one main shell
            return {"status": "ok", "execution_count": self.count, "payload": []}
        if kind == "complete_request":
            code, cursor = content["code"], content["cursor_pos"]
            word = code[:cursor].rsplit(".", 1)[-1]
            names = [n for n in ("floor", "fabs", "factorial") if n.startswith(word)]
            return {"status": "ok", "matches": names, "cursor_start": cursor - len(word),
                    "cursor_end": cursor, "metadata": {}}  # fmt: skip
        if kind == "is_complete_request":
            return {"status": "complete"}
        return None
