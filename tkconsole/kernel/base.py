"""What every kernel connection shares, whatever carries its messages.

A connection is a kernel as the console sees it: requests go out, messages
come back on the process-wide queue as ``(connection, channel, message)``.
Besides the kernel's own channels (shell, iopub, stdin, control) it reports
its life on the ``"events"`` channel with messages whose ``msg_type`` is one
of ``EVENTS``.

``BaseConnection`` holds the console's interface (request builders, the
queue of requests sent before the kernel is ready, the readiness probe)
and the restart policy; subclasses say how a kernel is reached
(``connection.KernelConnection``: zmq, launched or from a file;
``tunnel.TunnelledConnection``: zmq through ssh; ``remote.RemoteConnection``:
a server's websocket) by providing ``_start``, ``_shutdown``, ``interrupt``
and ``restart``, and by setting ``self.channels`` once connected.  All
socket work runs on the shared loop.
"""

from __future__ import annotations

import atexit
import logging
import time
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from jupyter_client.session import Session

from ..models.features import KernelFeatures
from .channels import Channels
from .loop import shared_loop
from .subshells import Subshell

log = logging.getLogger(__name__)

EVENTS = (
    "ready",  # iopub is live and kernel_info answered; content: kernel_info, restarted,
    # iopub_welcome (the kernel's XPUB said our subscription is live)
    "start_failed",  # content: message
    "died",  # the kernel process ended; content: restarting (bool), message (optional)
    "not_responding",  # the heartbeat stopped (content: state, message, when it retries)
    "responding",  # the heartbeat came back
    "restart_failed",  # content: message
    "progress",  # a slow start is under way; content: state (a short status-bar text)
)

PROBE_INTERVAL = 0.2  # s between kernel_info probes until iopub is live
WELCOME_WAIT = 0.5  # s after the kernel answers before probing again (ipykernel 7's
# iopub_welcome came 0.1-0.4 s after connecting here)
LAUNCH_TIMEOUT = 120.0  # s a kernel may take from launch to answering (settings: [kernel])
RESTART_LIMIT = 5  # automatic restarts allowed ...
RESTART_WINDOW = 60.0  # ... within this many seconds


def event(name: str, **content: Any) -> dict[str, Any]:
    """A message-shaped dict for the ``events`` channel."""
    return {
        "header": {"msg_type": name},
        "msg_type": name,
        "parent_header": {},
        "content": content,
    }


class RestartPolicy:
    """At most ``limit`` automatic restarts within any ``window`` seconds.

    A kernel that dies at start-up would otherwise be restarted forever.
    """

    def __init__(
        self,
        limit: int = RESTART_LIMIT,
        window: float = RESTART_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._times: deque[float] = deque()

    def allow(self) -> bool:
        """May we restart now?  A yes counts as a restart."""
        now = self.clock()
        while self._times and now - self._times[0] > self.window:
            self._times.popleft()
        if len(self._times) >= self.limit:
            return False
        self._times.append(now)
        return True


class BaseConnection:
    """The console's interface to one kernel; see the module docstring."""

    keep_kernel = False  # set by shutdown(keep_kernel=True): leave even our kernel running

    def __init__(
        self,
        kernel_name: str | None,
        owns_kernel: bool,
        display_name: str,
        launch_timeout: float = LAUNCH_TIMEOUT,
    ) -> None:
        self.loop = shared_loop()
        self.queue = self.loop.queue
        self.kernel_name = kernel_name
        self.owns_kernel = owns_kernel
        self.display_name = display_name
        self.launch_timeout = launch_timeout
        self.session = Session()
        self.channels: Channels | None = None
        self.ready = False
        self.restart_policy = RestartPolicy()
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._iopub_seen = False
        self._welcomed = False
        self._answered_at: float | None = None  # when the first probe was answered
        self._probed = False
        self._stdin_up = False
        self._info: dict[str, Any] | None = None
        self._restarting = False
        self._closed = False
        self._started = False
        self.features = KernelFeatures()  # what the kernel said it can do (set when ready)
        self.spec_metadata: dict[str, Any] = {}  # the kernelspec's ``metadata``, where known
        self.subshell = Subshell(self.session, lambda msg: self._send("control", msg))

    @property
    def subshell_id(self) -> str | None:
        """Our subshell on the kernel (None: it has none, or not yet)."""
        return self.subshell.id

    # ----------------------------------------------------------------- public API
    @property
    def session_id(self) -> str:
        return self.session.session

    @property
    def encrypted(self) -> bool:
        """True when every byte to and from the kernel is encrypted on the wire."""
        return False

    def start(self) -> None:
        """Launch or attach in the background; "ready" or "start_failed" follows.

        Idempotent, so an app can start the kernel before building its window.
        """
        if not self._started:
            self._started = True
            _live.add(self)
            self.loop.submit(self._start())

    def request(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any],
        buffers: Sequence[bytes | memoryview] | None = None,
        subshell_id: str | None = None,
    ) -> str:
        """Send a request (queued until the kernel is ready); returns its msg_id.

        ``buffers`` are binary parts sent after the JSON ones (``comm_msg``
        of widgets with binary state); ``subshell_id`` runs a shell request
        on that subshell's thread instead of the main shell's.
        """
        msg = self.session.msg(msg_type, content)
        if subshell_id is not None:
            msg["header"]["subshell_id"] = subshell_id
        if buffers:
            msg["buffers"] = [bytes(b) for b in buffers]
        self.loop.call(self._send, channel, msg)
        msg_id: str = msg["header"]["msg_id"]  # jupyter_client's Session made it a str
        return msg_id

    def execute(self, code: str, silent: bool = False, store_history: bool = True) -> str:
        return self.request(
            "shell",
            "execute_request",
            {
                "code": code,
                "silent": silent,
                "store_history": store_history and not silent,
                "user_expressions": {},
                "allow_stdin": True,
                "stop_on_error": True,
            },
        )

    def is_complete(self, code: str, subshell_id: str | None = None) -> str:
        content = {"code": code}
        return self.request("shell", "is_complete_request", content, subshell_id=subshell_id)

    def complete(self, code: str, cursor_pos: int, subshell_id: str | None = None) -> str:
        content = {"code": code, "cursor_pos": cursor_pos}
        return self.request("shell", "complete_request", content, subshell_id=subshell_id)

    def inspect(
        self, code: str, cursor_pos: int, detail_level: int = 0, subshell_id: str | None = None
    ) -> str:
        content = {"code": code, "cursor_pos": cursor_pos, "detail_level": detail_level}
        return self.request("shell", "inspect_request", content, subshell_id=subshell_id)

    def kernel_info(self) -> str:
        return self.request("shell", "kernel_info_request", {})

    def input(self, value: str) -> None:
        """Answer the kernel's ``input_request``."""
        self.request("stdin", "input_reply", {"value": value})

    def interrupt(self) -> None:
        raise NotImplementedError

    def restart(self) -> None:
        """Restart a kernel we launched; reconnect to one we did not."""
        raise NotImplementedError

    def shutdown(self, timeout: float = 5.0, keep_kernel: bool = False) -> None:
        """Stop our channels, and the kernel too if we launched it (blocks).

        ``keep_kernel`` (``exit(keep_kernel=True)`` in IPython) leaves it running.
        """
        if self._closed:
            return
        self._closed = True
        self.keep_kernel = keep_kernel
        future = self.loop.submit(self._close())
        try:
            future.result(timeout)
        except Exception as exc:  # closing must not fail
            log.warning("kernel shutdown: %s", exc)

    # ----------------------------------------------------------- loop-thread side
    async def _start(self) -> None:
        raise NotImplementedError

    async def _shutdown(self) -> None:
        raise NotImplementedError

    async def _close(self) -> None:
        """Our subshell goes first: a kernel we leave running keeps no thread of ours."""
        if self.ready and (self.keep_kernel or not self.owns_kernel):
            await self.subshell.delete()
        await self._shutdown()

    def _emit(self, channel: str, msg: dict[str, Any]) -> None:
        """Runs on the loop thread for every message: note liveness, queue it."""
        if not self.ready:
            if channel == "iopub":
                self._iopub_seen = True
                self._welcomed = self._welcomed or msg["msg_type"] == "iopub_welcome"
            elif msg["msg_type"] == "kernel_info_reply":
                self._info = msg["content"]
            self.loop.call(self._become_ready)
        if msg["msg_type"] == "iopub_welcome":
            return  # addressed to the transport (our subscription is live), not the console
        if channel == "control":
            self.subshell.on_control(msg)
        self.queue.put((self, channel, msg))

    def _stdin_connected(self) -> None:
        self._stdin_up = True
        self._become_ready()

    def _event(self, name: str, **content: Any) -> None:
        self.queue.put((self, "events", event(name, **content)))

    def _unready(self, stdin_up: bool = False) -> None:
        """Queue requests from now on, and forget what said the kernel was up."""
        self.ready = False
        self.subshell.lost(kernel_restarted=self.owns_kernel and self._restarting)
        self._iopub_seen = False
        self._welcomed = False
        self._answered_at = None
        self._info = None
        self._probed = False
        self._stdin_up = stdin_up

    def _probe(self, started: float) -> None:
        """Ask kernel_info until iopub is known to be live (late-joiner guard).

        A kernel whose iopub is an XPUB sends ``iopub_welcome`` once our
        subscription is live: that, or any output, proves it.  Kernels that
        send none are probed again after ``WELCOME_WAIT``, until their
        reply's status messages come through.
        """
        if self.ready or self._closed or self.channels is None:
            return
        if time.monotonic() - started > self.launch_timeout:
            seconds = f"{self.launch_timeout:.0f}"
            self._event("start_failed", message=f"the kernel did not answer within {seconds} s")
            return
        # The first probe waits in zmq until the kernel binds; probe again only
        # once the kernel answered, iopub is still silent and no welcome came.
        now = time.monotonic()
        if self._info is not None and self._answered_at is None:
            self._answered_at = now
        waited = self._answered_at is not None and now - self._answered_at >= WELCOME_WAIT
        if not self._probed or waited:
            self._probed = True
            self.channels.channel("shell").send(self.session.msg("kernel_info_request", {}))
        self.loop.ioloop.call_later(PROBE_INTERVAL, self._probe, started)

    def _become_ready(self) -> None:
        """Ready once iopub delivers, the kernel answers and stdin is routable."""
        if self.ready or not (self._iopub_seen and self._info is not None and self._stdin_up):
            return
        self.ready = True
        restarted = bool(self._restarting)
        self._restarting = False
        self.features = KernelFeatures.from_kernel_info(self._info, self.spec_metadata)
        self._event(
            "ready", kernel_info=self._info, restarted=restarted, iopub_welcome=self._welcomed
        )
        if self.features.subshells:
            self.subshell.create()
        pending, self._pending = self._pending, []
        for channel, msg in pending:
            self._send(channel, msg)

    def _send(self, channel: str, msg: dict[str, Any]) -> None:
        if not self.ready or self.channels is None:
            self._pending.append((channel, msg))
            return
        self.channels.channel(channel).send(msg)

    def _disconnect(self) -> None:
        self.ready = False
        if self.channels is not None:
            self.channels.stop_channels()
            self.channels = None


_live: weakref.WeakSet[BaseConnection] = weakref.WeakSet()


@atexit.register
def _shutdown_all() -> None:
    """A program that exits without closing its consoles leaves no kernels."""
    for connection in list(_live):
        connection.shutdown(timeout=3.0)


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message, for a notice."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
