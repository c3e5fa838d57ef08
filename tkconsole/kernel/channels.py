"""Channels that live on the shared loop instead of owning a thread.

A channel flips an alive flag and registers a receive handler on the shared
loop.  The handler only deserializes and hands the message on; a message
that fails to deserialize (bad or replayed signature, garbage frames) is
logged and dropped, because letting the exception escape would silence the
stream for good.

Every transport's channels meet ``Channels`` (``client.SharedLoopClient``
for zmq, ``websocket.WebSocketChannels`` for a server): a connection asks
for a channel by name and calls its ``send`` on the loop thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from hmac import compare_digest
from typing import Any, NamedTuple, Protocol

import zmq
from jupyter_client.adapter import adapt
from jupyter_client.session import DELIM, Session
from zmq.eventloop.zmqstream import ZMQStream

from .loop import LoopThread

log = logging.getLogger(__name__)

#: Receives ``(channel_name, message)`` on the loop thread.
Emit = Callable[[str, dict[str, Any]], None]

#: Messages read per wake-up of a stream: ZMQStream delivers one per poll
#: round, whose bookkeeping cost as much as the message itself (a 20k-step
#: ``\r`` bar is 20k messages); 64 of ~40 us stay under 3 ms of loop time.
DRAIN = 64


def deserialize(session: Session, frames: list[Any]) -> dict[str, Any]:
    """``session.deserialize`` of a received multipart message, minus the dates.

    Same checks (signature, replay, length) and the same shape, but header
    dates stay ISO strings: jupyter_client parses them with dateutil, which
    was 55% of the loop thread's cost per message (67 us of which 37 here),
    and the loop thread holds the GIL while it works, which the Tk thread
    then waits for.  Nothing in tkconsole reads those dates.
    """
    for i, frame in enumerate(frames):
        if frame.bytes == DELIM:
            parts = frames[i + 1 :]
            break
    else:
        raise ValueError("DELIM not in message")
    if len(parts) < 5:
        raise TypeError("malformed message, fewer than 5 parts")
    head = [part.bytes for part in parts[:5]]
    if session.auth is not None:
        signature = head[0]
        if not signature:
            raise ValueError("Unsigned Message")
        if signature in session.digest_history:
            raise ValueError(f"Duplicate Signature: {signature!r}")
        session._add_digest(signature)  # replay protection, as deserialize does
        if not compare_digest(signature, session.sign(head[1:5])):
            raise ValueError(f"Invalid Signature: {signature!r}")
    unpack = session.unpack
    header = unpack(head[1])
    msg = {
        "header": header,
        "msg_id": header["msg_id"],
        "msg_type": header["msg_type"],
        "parent_header": unpack(head[2]),
        "metadata": unpack(head[3]),
        "content": unpack(head[4]),
        "buffers": [memoryview(bytes(part.bytes)) for part in parts[5:]],
    }
    return adapt(msg)


class Channel(Protocol):
    def send(self, msg: dict[str, Any]) -> None:
        """Loop thread only: write ``msg`` (with any ``buffers``) now."""


class Channels(Protocol):
    """A kernel's shell, iopub, stdin and control channels over one transport."""

    def channel(self, name: str) -> Channel:
        """``"shell"``, ``"stdin"``, ``"control"`` (or ``"iopub"``)."""

    def stop_channels(self) -> None:
        """Close every channel (any thread)."""


class CurveKeys(NamedTuple):
    """A CurveZMQ client's keys: the kernel's public key and our key pair.

    Jupyter connection files hold one key pair, which the kernel's sockets
    use as server and clients use as their own (``jupyter_client.connect``).
    """

    server: bytes
    public: bytes
    secret: bytes

    def apply(self, sock: zmq.Socket[bytes]) -> None:
        """Make ``sock`` (not yet connected) a CurveZMQ client of the kernel."""
        sock.curve_secretkey = self.secret
        sock.curve_publickey = self.public
        sock.curve_serverkey = self.server


class StreamChannel:
    """One zmq socket (shell, iopub, stdin or control) on the shared loop."""

    def __init__(
        self, name: str, socket: zmq.Socket[bytes], session: Session, loop: LoopThread, emit: Emit
    ) -> None:
        self.name = name
        self.socket = socket
        self.session = session
        self.loop = loop
        self.emit = emit
        self.stream: ZMQStream | None = None
        self._alive = False

    def is_alive(self) -> bool:
        return self._alive

    def start(self) -> None:
        """Loop thread (channels are started there): receive from now on."""
        self._alive = True
        self._attach()

    def _attach(self) -> None:
        if self._alive and self.stream is None and not self.socket.closed:
            self.stream = ZMQStream(self.socket, self.loop.ioloop)
            self.stream.on_recv(self._on_recv, copy=False)

    def stop(self) -> None:
        self._alive = False
        self.loop.call(self._detach)

    close = stop

    def _detach(self) -> None:
        if self.stream is not None:
            self.stream.close(linger=0)
            self.stream = None
        elif not self.socket.closed:
            self.socket.close(linger=0)

    def send(self, msg: dict[str, Any]) -> None:
        """Loop thread only: write ``msg`` (buffers included) to the socket."""
        if self._alive and self.stream is not None:
            self.session.send(self.stream, msg)

    def _on_recv(self, frames: list[Any]) -> None:
        """This message, then those already waiting (up to ``DRAIN``)."""
        self._deliver(frames)
        for _ in range(DRAIN - 1):
            if not self._alive or self.stream is None or self.socket.closed:
                return
            try:
                frames = self.socket.recv_multipart(zmq.NOBLOCK, copy=False)
            except zmq.ZMQError:  # nothing more waiting (EAGAIN), or closed
                return
            self._deliver(frames)

    def _deliver(self, frames: list[Any]) -> None:
        if not self._alive:
            return
        try:
            msg = deserialize(self.session, frames)
        except Exception as exc:  # any bad message is dropped; the stream goes on
            log.warning("dropped a bad message on %s: %s", self.name, exc)
            return
        self.emit(self.name, msg)


class HeartbeatChannel:
    """A REQ ping driven by loop timers: no thread, reports state changes.

    ``on_state(beating)`` runs on the loop thread when the kernel stops or
    resumes answering.  A REQ socket is strictly send/receive, so after a
    missed reply the socket is replaced before the next ping.
    """

    def __init__(
        self,
        context: zmq.Context[zmq.Socket[bytes]],
        url: str,
        loop: LoopThread,
        on_state: Callable[[bool], None],
        curve: CurveKeys | None = None,
        interval: float = 1.0,
        time_to_dead: float = 3.0,
    ) -> None:
        self.context = context
        self.curve = curve
        self.url = url
        self.loop = loop
        self.on_state = on_state
        self.interval = interval
        self.time_to_dead = time_to_dead
        self.stream: ZMQStream | None = None
        self._alive = False
        self._beating = True
        self._waiting = False
        self._last_reply = 0.0
        self._timer: Any = None

    def is_alive(self) -> bool:
        return self._alive

    def is_beating(self) -> bool:
        return self._alive and self._beating

    def start(self) -> None:
        self._alive = True
        self.loop.call(self._begin)

    def stop(self) -> None:
        self._alive = False
        self.loop.call(self._end)

    close = stop

    def _begin(self) -> None:
        self._last_reply = time.monotonic()
        self._ping()

    def _end(self) -> None:
        if self._timer is not None:
            self.loop.ioloop.remove_timeout(self._timer)
            self._timer = None
        self._drop_socket()

    def _drop_socket(self) -> None:
        if self.stream is not None:
            self.stream.close(linger=0)
            self.stream = None
        self._waiting = False

    def _ping(self) -> None:
        self._timer = None
        if not self._alive:
            return
        if self._waiting:  # no reply since the last ping: start over
            self._drop_socket()
        if self.stream is None:
            sock = self.context.socket(zmq.REQ)
            sock.linger = 0
            if self.curve is not None:  # an encrypted kernel ignores a plain ping
                self.curve.apply(sock)
            sock.connect(self.url)
            self.stream = ZMQStream(sock, self.loop.ioloop)
            self.stream.on_recv(self._on_pong)
        self.stream.send(b"ping")
        self._waiting = True
        silent_for = time.monotonic() - self._last_reply
        if self._beating and silent_for > self.time_to_dead:
            self._set_beating(False)
        self._timer = self.loop.ioloop.call_later(self.interval, self._ping)

    def _on_pong(self, _frames: list[Any]) -> None:
        self._waiting = False
        self._last_reply = time.monotonic()
        if not self._beating:
            self._set_beating(True)

    def _set_beating(self, beating: bool) -> None:
        self._beating = beating
        try:
            self.on_state(beating)
        except Exception:  # never raise out of a loop callback
            log.exception("heartbeat state handler failed")
