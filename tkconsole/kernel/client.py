"""A jupyter_client KernelClient whose channels live on the shared loop.

Subclassing keeps jupyter_client's request builders (``execute``,
``complete``, ``is_complete``, ``input``...) while replacing the part that
starts a thread per client and per heartbeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jupyter_client.client import KernelClient

from .channels import Emit, HeartbeatChannel, StreamChannel
from .loop import LoopThread

_IDENTIFIED = {"shell", "stdin", "control"}  # DEALER sockets carry our identity


class SharedLoopClient(KernelClient):
    """Channels are created lazily, as in jupyter_client, but own no thread."""

    def __init__(
        self,
        loop: LoopThread,
        emit: Emit,
        on_heartbeat: Callable[[bool], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(context=loop.context, **kwargs)
        self._loop = loop
        self._emit = emit
        self._on_heartbeat = on_heartbeat
        self.allow_stdin = True

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
                self.context, self._make_url("hb"), self._loop, self._on_heartbeat
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

    def interrupt_message(self) -> str:
        """Send ``interrupt_request`` on the control channel."""
        msg = self.session.msg("interrupt_request", {})
        self.control_channel.send(msg)
        return msg["header"]["msg_id"]
