"""A kernel's channels over a Jupyter Server websocket, on the shared loop.

``WebSocketChannels`` stands where a zmq ``SharedLoopClient`` stands for a
local kernel: both meet ``channels.Channels`` (``channel(name).send(msg)``
on the loop thread, ``stop_channels()``).  It owns no thread: tornado's websocket client runs
on the shared IOLoop and each frame is decoded and handed to ``emit``.

Sends made while the socket is down wait in an outbox and go out in order
once it is open again.  Reopening uses the same session id, so Jupyter
Server replays what it buffered for us while we were away.

Latency: Jupyter Server leaves Nagle's algorithm on for its websockets, so
of two frames it writes back to back (``busy``, then ``execute_input``)
the second waits for our ACK of the first, which Linux delays by up to
40 ms.  Acknowledging each frame at once (TCP_QUICKACK) took a ``1+1``
round trip here from 48 ms to 8 ms.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections import deque
from collections.abc import Callable
from typing import Any

from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClientConnection, WebSocketClosedError, websocket_connect

from . import wsproto
from .channels import Emit
from .loop import LoopThread
from .server import ServerClient, ServerError

log = logging.getLogger(__name__)

MAX_MESSAGE = 512 * 2**20  # bytes: big images and data frames pass
PING_INTERVAL = 10.0  # s: keeps proxies from idling the socket out ...
PING_TIMEOUT = 10.0  # s: ... and notices a peer that vanished without a FIN (<= interval)
CHANNELS = ("shell", "iopub", "stdin", "control")
_QUICKACK: int | None = getattr(socket, "TCP_QUICKACK", None)  # Linux only


class WsChannel:
    """One kernel channel's sending side (``channels.Channel``)."""

    def __init__(self, link: WebSocketChannels, name: str) -> None:
        self.link = link
        self.name = name

    def send(self, msg: dict[str, Any]) -> None:
        """Loop thread: write now, or when the socket is open again."""
        self.link.send(self.name, msg)


class _Attempt:
    """One websocket connection; frames that beat the handshake wait here."""

    def __init__(self) -> None:
        self.ws: WebSocketClientConnection | None = None
        self.sock: socket.socket | None = None  # for TCP_QUICKACK, where there is one
        self.early: list[str | bytes] = []
        self.closed_early = False


class WebSocketChannels:
    """The kernel's shell, iopub, stdin and control channels on one websocket."""

    def __init__(
        self,
        loop: LoopThread,
        server: ServerClient,
        kernel_id: str,
        session_id: str,
        emit: Emit,
        on_lost: Callable[[str], None],
        protocols: tuple[str, ...] = (wsproto.V1,),
    ) -> None:
        self.loop = loop
        self.server = server
        self.kernel_id = kernel_id
        self.session_id = session_id
        self.emit = emit
        self.on_lost = on_lost
        self.protocols = list(protocols)
        self.protocol: str | None = None  # what the server chose; None is legacy JSON
        self.stopped = False
        self._current: _Attempt | None = None
        self._outbox: deque[tuple[str, dict[str, Any]]] = deque()
        self._channels = {name: WsChannel(self, name) for name in CHANNELS}

    def channel(self, name: str) -> WsChannel:
        return self._channels[name]

    def is_open(self) -> bool:
        return self._current is not None and self._current.ws is not None

    async def connect(self) -> None:
        """Open (or reopen) the socket; raises ``ServerError`` with the reason.

        Runs on the loop thread.  ``on_lost`` is called if it drops later.
        """
        attempt = self._current = _Attempt()
        try:
            ws = await self._open(attempt)
        except ServerError:
            if self._current is attempt:
                self._current = None
            raise
        if self.stopped or self._current is not attempt:
            ws.close()  # closed or replaced while we waited
            return
        if attempt.closed_early:
            self._current = None
            raise ServerError(f"the server at {self.server.url} closed the kernel's websocket")
        self.protocol = ws.selected_subprotocol
        attempt.ws = ws
        attempt.sock = _quick_socket(ws)
        for frame in attempt.early:
            self._deliver(frame)
        attempt.early.clear()
        self._flush()

    def send(self, channel: str, msg: dict[str, Any]) -> None:
        """Loop thread: write now, or keep for when the socket is open."""
        if self.is_open() and not self._outbox:
            self._write(channel, msg)
        elif not self.stopped:
            self._outbox.append((channel, msg))
            self._flush()

    def stop_channels(self) -> None:
        """Close for good (any thread)."""
        self.stopped = True
        self.loop.call(self._close)

    def drop(self) -> None:
        """Loop thread: close the current socket (``connect`` may reopen it)."""
        attempt, self._current = self._current, None
        if attempt is not None and attempt.ws is not None:
            attempt.ws.close()

    # ------------------------------------------------------------------ inside
    async def _open(self, attempt: _Attempt) -> WebSocketClientConnection:
        request = self.server.websocket_request(self.kernel_id, self.session_id)
        try:
            return await websocket_connect(
                request,
                on_message_callback=lambda frame: self._on_frame(attempt, frame),
                subprotocols=self.protocols or None,
                max_message_size=MAX_MESSAGE,
                ping_interval=PING_INTERVAL,
                ping_timeout=PING_TIMEOUT,
            )
        except HTTPClientError as exc:
            if exc.code == 599:
                raise self.server.unreachable(exc) from None
            path = "api/kernels/" + self.kernel_id + "/channels"
            raise self.server.http_error(exc.code, path, None) from None
        except OSError as exc:
            raise self.server.unreachable(exc) from None

    def _close(self) -> None:
        self._outbox.clear()
        self.drop()

    def _flush(self) -> None:
        while self._outbox and self.is_open():
            channel, msg = self._outbox.popleft()
            if not self._write(channel, msg):
                return

    def _write(self, channel: str, msg: dict[str, Any]) -> bool:
        """Write one message; False (and kept for the reconnect) if the socket just closed."""
        frame = wsproto.encode(self.protocol, channel, msg)
        ws = self._current.ws if self._current is not None else None
        try:
            if ws is None:
                raise WebSocketClosedError
            future = ws.write_message(frame, binary=isinstance(frame, bytes))
        except WebSocketClosedError:
            self._outbox.appendleft((channel, msg))
            return False
        future.add_done_callback(_consume)
        return True

    def _on_frame(self, attempt: _Attempt, frame: str | bytes | None) -> None:
        if attempt is not self._current:
            return  # a socket we already replaced
        if frame is None and attempt.ws is None:
            attempt.closed_early = True  # connect() reports it
        elif frame is None:
            self._on_close(attempt.ws)
        elif attempt.ws is None:
            attempt.early.append(frame)
        else:
            if attempt.sock is not None:
                _ack_now(attempt.sock)
            self._deliver(frame)

    def _deliver(self, frame: str | bytes) -> None:
        try:
            channel, msg = wsproto.decode(self.protocol, frame)
        except wsproto.FrameError as exc:
            log.warning("dropped a bad websocket frame: %s", exc)
            return
        if channel in CHANNELS:
            self.emit(channel, msg)

    def _on_close(self, ws: WebSocketClientConnection | None) -> None:
        self._current = None
        if self.stopped:
            return
        code = ws.close_code if ws is not None else None
        why = f"closed by the server, code {code}" if code else "connection lost"
        try:
            self.on_lost(why)
        except Exception:
            log.exception("websocket loss handler failed")


def _quick_socket(ws: WebSocketClientConnection) -> socket.socket | None:
    """Our TCP socket with Nagle off, if it can also ACK at once (Linux)."""
    protocol = ws.protocol
    try:
        if protocol is None:
            return None
        protocol.set_nodelay(True)
        sock: socket.socket | None = getattr(protocol.stream, "socket", None)
    except OSError:
        return None
    return sock if _QUICKACK is not None else None


def _ack_now(sock: socket.socket) -> None:
    """Send the pending ACK now (Linux re-enables delayed ACKs by itself)."""
    with contextlib.suppress(OSError):
        if _QUICKACK is not None:
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)


def _consume(future: Any) -> None:
    """Retrieve a failed write's error so asyncio does not log it: the close follows."""
    if not future.cancelled():
        future.exception()
