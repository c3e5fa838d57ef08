"""A jupyter_client KernelClient whose channels live on the shared loop.

Subclassing keeps jupyter_client's request builders (``execute``,
``complete``, ``is_complete``, ``input``...) while replacing the part that
starts a thread per client and per heartbeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import zmq
from jupyter_client.client import KernelClient
from jupyter_client.connect import channel_socket_types
from zmq.eventloop.zmqstream import ZMQStream

from .channels import CurveKeys, Emit, HeartbeatChannel, StreamChannel
from .loop import LoopThread

_IDENTIFIED = {"shell", "stdin", "control"}  # DEALER sockets carry our identity


class SharedLoopClient(KernelClient):
    """Channels are created lazily, as in jupyter_client, but own no thread.

    Must be created and started on the loop thread.
    """

    def __init__(
        self,
        loop: LoopThread,
        emit: Emit,
        on_heartbeat: Callable[[bool], None],
        on_stdin_connected: Callable[[], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(context=loop.context, **kwargs)
        self._loop = loop
        self._emit = emit
        self._on_heartbeat = on_heartbeat
        self._on_stdin_connected = on_stdin_connected
        self.allow_stdin = True

    def _create_connected_socket(
        self, channel: str, identity: bytes | None = None
    ) -> zmq.Socket[bytes]:
        """As jupyter_client's, but stdin is watched from before it connects.

        The kernel routes ``input_request`` by identity and silently drops it
        while our stdin socket's handshake is unfinished, so readiness must
        wait for that handshake, and the watch must start before connect()
        or a fast handshake would go unseen.
        """
        sock: zmq.Socket[bytes] = self.context.socket(channel_socket_types[channel])
        sock.linger = 1000
        if identity:
            sock.identity = identity
        if self.curve is not None:
            self.curve.apply(sock)
        if channel == "stdin":
            self._watch_handshake(sock)
        sock.connect(self._make_url(channel))
        return sock

    @property
    def curve(self) -> CurveKeys | None:
        """The CurveZMQ keys from the connection info, if it holds them."""
        if self.curve_publickey is None or self.curve_secretkey is None:
            return None
        return CurveKeys(self.curve_publickey, self.curve_publickey, self.curve_secretkey)

    def channel(self, name: str) -> StreamChannel:
        """The channel called ``name`` (the ``Channels`` interface)."""
        return _CHANNELS[name](self)

    def _watch_handshake(self, sock: zmq.Socket[bytes]) -> None:
        monitor = ZMQStream(
            sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED), self._loop.ioloop
        )

        def on_event(_frames: list[bytes]) -> None:
            monitor.close(linger=0)
            if not sock.closed:
                sock.disable_monitor()
            self._on_stdin_connected()

        monitor.on_recv(on_event)

    def _make_channel(self, name: str) -> StreamChannel:
        connect = getattr(self, f"connect_{name}")
        socket = connect(identity=self.session.bsession) if name in _IDENTIFIED else connect()
        return StreamChannel(name, socket, self.session, self._loop, self._emit)

    @property
    def shell_channel(self) -> StreamChannel:
        if self._shell_channel is None:
            self._shell_channel = self._make_channel("shell")
        return self._shell_channel

    @property
    def iopub_channel(self) -> StreamChannel:
        if self._iopub_channel is None:
            self._iopub_channel = self._make_channel("iopub")
        return self._iopub_channel

    @property
    def stdin_channel(self) -> StreamChannel:
        if self._stdin_channel is None:
            self._stdin_channel = self._make_channel("stdin")
        return self._stdin_channel

    @property
    def control_channel(self) -> StreamChannel:
        if self._control_channel is None:
            self._control_channel = self._make_channel("control")
        return self._control_channel

    @property
    def hb_channel(self) -> HeartbeatChannel:
        if self._hb_channel is None:
            self._hb_channel = HeartbeatChannel(
                self.context, self._make_url("hb"), self._loop, self._on_heartbeat, self.curve
            )
        return self._hb_channel

    def stop_channels(self) -> None:
        """Stop every channel; the shared context is never destroyed here."""
        for channel in (
            self._shell_channel,
            self._iopub_channel,
            self._stdin_channel,
            self._hb_channel,
            self._control_channel,
        ):
            if channel is not None and channel.is_alive():
                channel.stop()


_CHANNELS: dict[str, Callable[[SharedLoopClient], StreamChannel]] = {
    "shell": lambda client: client.shell_channel,
    "iopub": lambda client: client.iopub_channel,
    "stdin": lambda client: client.stdin_channel,
    "control": lambda client: client.control_channel,
}
