"""One kernel as the console sees it: requests go out, messages come back
on the process-wide queue as ``(connection, channel, message)``.

Besides the kernel's own channels (shell, iopub, stdin, control) the
connection reports its life on the ``"events"`` channel with messages whose
``msg_type`` is one of ``EVENTS``.  All socket work runs on the shared loop.
"""

from __future__ import annotations

import atexit
import logging
import os
import time
import weakref
from collections import deque
from typing import Any

import zmq.asyncio
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.session import Session

from . import bundle, connfile
from .client import SharedLoopClient
from .loop import LoopThread, shared_loop

log = logging.getLogger(__name__)

EVENTS = (
    "ready",  # iopub is live and kernel_info answered; content: kernel_info, restarted
    "start_failed",  # content: message
    "died",  # the kernel process ended; content: restarting (bool)
    "not_responding",  # the heartbeat stopped
    "responding",  # the heartbeat came back
    "restart_failed",  # content: message
)

PROBE_INTERVAL = 0.2  # s between kernel_info probes until iopub is live
PROBE_TIMEOUT = 60.0  # s before start-up is declared failed
POLL_INTERVAL = 0.5  # s between process polls of a kernel we launched
RESTART_LIMIT = 5  # automatic restarts allowed ...
RESTART_WINDOW = 60.0  # ... within this many seconds


def event(name: str, **content: Any) -> dict:
    """A message-shaped dict for the ``events`` channel."""
    return {
        "header": {"msg_type": name},
        "msg_type": name,
        "parent_header": {},
        "content": content,
    }


class KernelConnection:
    """A local kernel we launch, or an existing one from a connection file."""

    def __init__(
        self,
        kernel_name: str | None = None,
        connection_file: str | None = None,
        loop: LoopThread | None = None,
    ) -> None:
        self.loop = loop or shared_loop()
        self.queue = self.loop.queue
        self.kernel_name = kernel_name or "python3"
        self.connection_file = connection_file
        self.owns_kernel = connection_file is None
        self.session = Session()
        self.manager: AsyncKernelManager | None = None
        self.client: SharedLoopClient | None = None
        self.display_name = self.kernel_name if self.owns_kernel else "existing kernel"
        self.ready = False
        self._pending: list[tuple[str, dict]] = []
        self._iopub_seen = False
        self._probed = False
        self._stdin_up = False
        self._info: dict | None = None
        self._restarts: deque[float] = deque()
        self._restarting = False
        self._closed = False
        self._started = False

    # ----------------------------------------------------------------- public API
    @property
    def session_id(self) -> str:
        return self.session.session

    def start(self) -> None:
        """Launch or attach in the background; "ready" or "start_failed" follows.

        Idempotent, so an app can start the kernel before building its window.
        """
        if not self._started:
            self._started = True
            _live.add(self)
            self.loop.submit(self._start())

    def request(self, channel: str, msg_type: str, content: dict) -> str:
        """Send a request (queued until the kernel is ready); returns its msg_id."""
        msg = self.session.msg(msg_type, content)
        self.loop.call(self._send, channel, msg)
        return msg["header"]["msg_id"]

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

    def is_complete(self, code: str) -> str:
        return self.request("shell", "is_complete_request", {"code": code})

    def complete(self, code: str, cursor_pos: int) -> str:
        return self.request("shell", "complete_request", {"code": code, "cursor_pos": cursor_pos})

    def inspect(self, code: str, cursor_pos: int, detail_level: int = 0) -> str:
        content = {"code": code, "cursor_pos": cursor_pos, "detail_level": detail_level}
        return self.request("shell", "inspect_request", content)

    def kernel_info(self) -> str:
        return self.request("shell", "kernel_info_request", {})

    def input(self, value: str) -> None:
        """Answer the kernel's ``input_request``."""
        self.request("stdin", "input_reply", {"value": value})

    def interrupt(self) -> None:
        """Signal or ``interrupt_request``, as the kernelspec's interrupt mode says."""
        if self.manager is not None:
            self.loop.submit(self.manager.interrupt_kernel())
        else:
            self.request("control", "interrupt_request", {})

    def restart(self) -> None:
        """Restart a kernel we launched; reconnect to one we did not."""
        if self.manager is not None:
            self.loop.submit(self._restart(auto=False))
        else:
            self.loop.call(self._reconnect)

    keep_kernel = False  # set by shutdown(keep_kernel=True): leave even our kernel running

    def shutdown(self, timeout: float = 5.0, keep_kernel: bool = False) -> None:
        """Stop our channels, and the kernel too if we launched it (blocks).

        ``keep_kernel`` (``exit(keep_kernel=True)`` in IPython) leaves it running.
        """
        if self._closed:
            return
        self._closed = True
        self.keep_kernel = keep_kernel
        future = self.loop.submit(self._shutdown())
        try:
            future.result(timeout)
        except Exception as exc:  # closing must not fail
            log.warning("kernel shutdown: %s", exc)

    # ----------------------------------------------------------- loop-thread side
    def _emit(self, channel: str, msg: dict) -> None:
        """Runs on the loop thread for every message: note liveness, queue it."""
        if not self.ready:
            if channel == "iopub":
                self._iopub_seen = True
            elif msg["msg_type"] == "kernel_info_reply":
                self._info = msg["content"]
            self.loop.call(self._become_ready)
        self.queue.put((self, channel, msg))

    def _stdin_connected(self) -> None:
        self._stdin_up = True
        self._become_ready()

    def _event(self, name: str, **content: Any) -> None:
        self.queue.put((self, "events", event(name, **content)))

    async def _start(self) -> None:
        try:
            if self.owns_kernel:
                info = await self._launch()
            else:
                info = connfile.load(self.connection_file)
        except Exception as exc:  # reported to the user, not raised
            self._event("start_failed", message=_one_line(exc))
            return
        self._connect(info)
        if self.manager is not None:
            self.loop.ioloop.call_later(POLL_INTERVAL, self._poll)

    async def _launch(self) -> dict:
        context = zmq.asyncio.Context(self.loop.context)  # shadow: no new zmq thread
        self.manager = AsyncKernelManager(
            kernel_name=self.kernel_name, context=context, kernel_spec_manager=bundle.spec_manager()
        )
        self.manager.shutdown_wait_time = 2.0
        spec = self.manager.kernel_spec
        if spec is not None:
            self.display_name = spec.display_name
        await self.manager.start_kernel(env=kernel_env(), **bundle.launch_options())
        return self.manager.get_connection_info()

    def _connect(self, info: dict) -> None:
        self.ready = False
        self._iopub_seen = False
        self._info = None
        self._probed = False
        self._stdin_up = False
        self.client = SharedLoopClient(
            self.loop,
            self._emit,
            self._heartbeat_state,
            self._stdin_connected,
            session=self.session,
        )
        self.client.load_connection_info(info)
        self.client.start_channels()
        self._probe(time.monotonic())

    def _probe(self, started: float) -> None:
        """Ask kernel_info until iopub is known to be live (late-joiner guard)."""
        if self.ready or self._closed or self.client is None:
            return
        if time.monotonic() - started > PROBE_TIMEOUT:
            self._event("start_failed", message="the kernel did not answer within 60 s")
            return
        # The first probe waits in zmq until the kernel binds; probe again only
        # once the kernel answers while iopub is still silent.
        if not self._probed or self._info is not None:
            self._probed = True
            self.client.shell_channel.send(self.session.msg("kernel_info_request", {}))
        self.loop.ioloop.call_later(PROBE_INTERVAL, self._probe, started)

    def _become_ready(self) -> None:
        """Ready once iopub delivers, the kernel answers and stdin is routable."""
        if self.ready or not (self._iopub_seen and self._info is not None and self._stdin_up):
            return
        self.ready = True
        restarted = bool(self._restarting)
        self._restarting = False
        self._event("ready", kernel_info=self._info, restarted=restarted)
        pending, self._pending = self._pending, []
        for channel, msg in pending:
            self._send(channel, msg)

    def _send(self, channel: str, msg: dict) -> None:
        if not self.ready or self.client is None:
            self._pending.append((channel, msg))
            return
        getattr(self.client, f"{channel}_channel")._send(msg)

    def _heartbeat_state(self, beating: bool) -> None:
        if not self._restarting and not self._closed:
            self._event("responding" if beating else "not_responding")

    def _poll(self) -> None:
        if self._closed or self.manager is None:
            return
        self.loop.submit(self._check_alive())

    async def _check_alive(self) -> None:
        try:
            if not self._restarting and not await self.manager.is_alive():
                await self._on_death()
        finally:
            if not self._closed:
                self.loop.ioloop.call_later(POLL_INTERVAL, self._poll)

    async def _on_death(self) -> None:
        now = time.monotonic()
        while self._restarts and now - self._restarts[0] > RESTART_WINDOW:
            self._restarts.popleft()
        can_restart = len(self._restarts) < RESTART_LIMIT
        self._event("died", restarting=can_restart)
        if can_restart:
            self._restarts.append(now)
            await self._restart(auto=True)
        else:
            self._disconnect()

    async def _restart(self, auto: bool) -> None:
        self._restarting = True
        self._disconnect()
        try:
            await self.manager.restart_kernel(now=True, env=kernel_env())
        except Exception as exc:  # reported to the user, not raised
            self._restarting = False
            self._event("restart_failed", message=_one_line(exc))
            return
        self._connect(self.manager.get_connection_info())

    def _reconnect(self) -> None:
        self._restarting = True
        self._disconnect()
        try:
            self._connect(connfile.load(self.connection_file))
        except connfile.ConnectionFileError as exc:
            self._restarting = False
            self._event("restart_failed", message=str(exc))

    def _disconnect(self) -> None:
        self.ready = False
        if self.client is not None:
            self.client.stop_channels()
            self.client = None

    async def _shutdown(self) -> None:
        self._disconnect()
        if self.manager is not None and self.manager.has_kernel and not self.keep_kernel:
            await self.manager.shutdown_kernel(now=False)


_live: weakref.WeakSet[KernelConnection] = weakref.WeakSet()


@atexit.register
def _shutdown_all() -> None:
    """A program that exits without closing its consoles leaves no kernels."""
    for connection in list(_live):
        connection.shutdown(timeout=3.0)


def kernel_env() -> dict[str, str]:
    """The kernel's environment: ours, minus debugpy's start-up warning."""
    return {**bundle.child_env(os.environ), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
