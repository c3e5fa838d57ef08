"""A kernel on a Jupyter Server or gateway, as the console sees any kernel.

``RemoteConnection`` is a ``BaseConnection`` (the console's interface,
pending queue, readiness probe and restart policy) whose transport is the
server's: REST calls start, attach, interrupt, restart and shut down the
kernel, and its channels run over the server's websocket on the shared
loop.  Enterprise Gateway is such a server too: kernel parameters go as
``env`` in the start request, and a start that takes long (a kernel
brought up on a cluster) is reported as ``progress`` every second.

Life events map onto the local ones: a dropped websocket is
``not_responding`` (with a message, while it reconnects with backoff) and
``responding`` once back; the server's ``restarting`` and ``dead`` kernel
statuses, and a kernel that vanished from the server, are ``died``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from . import wsproto
from .base import LAUNCH_TIMEOUT, BaseConnection
from .server import AuthError, KernelGone, ServerClient, ServerError, ServerStopped, Unreachable
from .websocket import WebSocketChannels

log = logging.getLogger(__name__)

FIRST_RETRY = 0.5  # s before the first reconnect attempt; doubles ...
MAX_RETRY = 8.0  # ... up to this
GIVE_UP = 600.0  # s of failed reconnecting before the console is told to stop waiting
PROGRESS_AFTER = 1.0  # s a kernel start may take before the status bar counts the seconds


class RemoteConnection(BaseConnection):
    """Start a kernel on ``server`` (or attach to ``kernel_id``) and talk to it.

    ``kernel_env``: parameters for the kernel's launch (``KERNEL_*`` names
    on an Enterprise Gateway), sent only when we start the kernel.
    """

    def __init__(
        self,
        server: ServerClient,
        kernel_name: str | None = None,  # None: the server's default kernelspec
        kernel_id: str | None = None,
        protocols: tuple[str, ...] = (wsproto.V1,),
        kernel_env: dict[str, str] | None = None,
        launch_timeout: float = LAUNCH_TIMEOUT,
    ) -> None:
        label = f"{kernel_name or 'kernel'} on {server.host}"
        super().__init__(kernel_name, kernel_id is None, label, launch_timeout)
        self.server = server
        self.kernel_id = kernel_id
        self.protocols = protocols
        self.kernel_env = dict(kernel_env or {})
        self.link: WebSocketChannels | None = None
        self._watch: asyncio.Future[None] | None = None  # the reconnect loop, while one runs

    # ----------------------------------------------------------------- public API
    def interrupt(self) -> None:
        """Interrupt through REST: the server signals or messages the kernel."""
        self.loop.submit(self._interrupt())

    def restart(self) -> None:
        """Restart a kernel we started (a new one if it is gone); reattach otherwise."""
        self.loop.submit(self._restart(auto=False))

    # ----------------------------------------------------------- loop-thread side
    async def _start(self) -> None:
        try:
            await self._attach(await self._open_kernel(self.kernel_id))
        except ServerError as exc:
            self._event("start_failed", message=str(exc))

    async def _open_kernel(self, kernel_id: str | None) -> dict[str, Any]:
        """Look up ``kernel_id``, or start a kernel (``None``); sets the id and the display name."""
        if kernel_id is None:
            model = await self._launch()
        else:
            model = await self.server.kernel(kernel_id)
        self.kernel_id = model["id"]
        self.kernel_name = model.get("name") or self.kernel_name
        name = await self.server.display_name(self.kernel_name or "kernel")
        self.display_name = f"{name} on {self.server.host}"
        return model

    async def _launch(self) -> dict[str, Any]:
        """POST the start request, counting the seconds in the status bar while it runs."""
        started = time.monotonic()
        timer: list[object] = []

        def tick() -> None:
            seconds = time.monotonic() - started
            self._event("progress", state=f"starting kernel… {seconds:.0f} s")
            timer[:] = [self.loop.ioloop.call_later(1.0, tick)]

        timer.append(self.loop.ioloop.call_later(PROGRESS_AFTER, tick))
        try:
            return await self.server.start_kernel(
                self.kernel_name, self.kernel_env, self.launch_timeout
            )
        finally:
            self.loop.ioloop.remove_timeout(timer[0])

    async def _attach(self, model: dict[str, Any]) -> None:
        """Open a websocket to the kernel, then probe until it is ready."""
        if self.link is not None:
            self.link.stop_channels()
        self.link = WebSocketChannels(
            self.loop,
            self.server,
            model["id"],
            self.session_id,
            self._emit,
            self._lost,
            self.protocols,
        )
        await self.link.connect()
        self._connect(model)

    def _connect(self, model: Any = None) -> None:
        """Probe readiness over the open websocket (no sockets of our own)."""
        self._unready()
        self.channels = self.link
        self._probe(time.monotonic())

    def _unready(self, stdin_up: bool = True) -> None:
        """As the base's, but the server's stdin socket is up before the websocket opens."""
        super()._unready(stdin_up)

    def _emit(self, channel: str, msg: dict[str, Any]) -> None:
        """The server's own kernel statuses (no parent) are life events."""
        life = channel == "iopub" and msg["msg_type"] in ("status", "shutdown_reply")
        if life and self._life_message(msg):
            return
        if channel == "iopub" and not self.ready and not self._answers_probe(msg):
            # after a restart the old kernel's last words still trickle in: only
            # output caused by our own probe proves the new kernel's iopub is live
            self.queue.put((self, channel, msg))
            return
        super()._emit(channel, msg)

    def _answers_probe(self, msg: dict[str, Any]) -> bool:
        parent = msg["parent_header"]
        return bool(
            parent.get("msg_type") == "kernel_info_request"
            and parent.get("session") == self.session_id
        )

    def _life_message(self, msg: dict[str, Any]) -> bool:
        """React to the server restarting or stopping the kernel; True to hide ``msg``."""
        content, parent = msg["content"], msg["parent_header"]
        if msg["msg_type"] == "status":
            state = content.get("execution_state")
            if not parent and state in ("restarting", "dead"):
                self._server_status(state)
                return True
        elif parent.get("session") != self.session_id and content.get("restart") is False:
            # someone else shut the kernel down (a REST DELETE): the websocket
            # stays open, so ask the server whether the kernel is gone
            self.loop.submit(self._confirm_gone(self.link))
        return False

    async def _confirm_gone(self, link: WebSocketChannels | None) -> None:
        for _ in range(20):
            await asyncio.sleep(0.5)
            if self._closed or link is None or self.link is not link:
                return
            try:
                await self.server.kernel(link.kernel_id)
            except KernelGone:
                await self._kernel_gone()
                return
            except ServerError:
                return  # unreachable: the websocket's loss handler takes over

    def _server_status(self, state: str) -> None:
        if state == "restarting":  # the server's restarter revived a dead kernel
            self._event("died", restarting=True)
            self._restarting = True
            self._connect()
        else:
            self._unready()
            message = f"The kernel died and {self.server.host} could not restart it."
            self._event("died", restarting=False, message=message)

    def _lost(self, why: str) -> None:
        """The websocket dropped: say so and reconnect with backoff."""
        link = self.link
        if self._closed or self._watch is not None or link is None:
            return
        message = f"Lost the connection to {self.server.url} ({why}); reconnecting…"
        self._event("not_responding", state="reconnecting", message=message)
        self._watch = asyncio.ensure_future(self._reconnect_loop(link))

    async def _reconnect_loop(self, link: WebSocketChannels) -> None:
        delay, started = FIRST_RETRY, time.monotonic()
        try:
            while not self._closed and self.link is link:
                await asyncio.sleep(delay)
                try:
                    await self.server.kernel(link.kernel_id)
                    await link.connect()
                except KernelGone:
                    self._watch = None  # _kernel_gone may restart, which cancels a watch
                    await self._kernel_gone()
                    return
                except ServerStopped as exc:
                    self._watch = None
                    await self._server_stopped(exc)
                    return
                except ServerError as exc:
                    if isinstance(exc, AuthError) or time.monotonic() - started > GIVE_UP:
                        self._give_up(str(exc))
                        return
                    delay = min(2 * delay, MAX_RETRY)
                    continue
                self._event("responding")
                return
        finally:
            if self._watch is asyncio.current_task():
                self._watch = None

    async def _server_stopped(self, exc: ServerStopped) -> None:
        """The whole server is down on its Hub: waiting will not bring it back."""
        self._give_up(str(exc))

    def _give_up(self, reason: str) -> None:
        self._disconnect()
        message = f"Stopped reconnecting: {reason}. Press Ctrl+. to try again."
        self._event("died", restarting=False, message=message)

    async def _kernel_gone(self) -> None:
        """Our kernel is no longer on the server (shut down, or the server restarted)."""
        where = (
            f"kernel {self.kernel_id} is gone from {self.server.host} (shut down there, "
            "or culled as idle)"
        )
        if self.owns_kernel and self.restart_policy.allow():
            self._event("died", restarting=True, message=f"The {where}; starting a new one.")
            await self._restart(auto=True)
        else:
            self._disconnect()
            message = f"The {where}. Press Ctrl+. to try to reconnect."
            self._event("died", restarting=False, message=message)

    async def _restart(self, auto: bool) -> None:
        """REST restart (or a new kernel if ours is gone); a kernel not ours is reattached."""
        self._cancel_watch()
        self._restarting = True
        self._unready()
        try:
            model = await self._restarted_kernel()
            if self.link is None or not self.link.is_open() or self.link.kernel_id != model["id"]:
                await self._attach(model)
            else:
                self._connect(model)
        except ServerError as exc:
            self._restarting = False
            if auto and self.link is not None and isinstance(exc, Unreachable):
                self._lost(str(exc))  # the server went away mid-restart: wait for it
            else:
                self._event("restart_failed", message=str(exc))

    async def _restarted_kernel(self) -> dict[str, Any]:
        if not self.owns_kernel:
            if self.link is not None:
                self.link.drop()  # reattach: a fresh websocket, same session
            return await self._open_kernel(self.kernel_id)
        if self.kernel_id is not None:
            try:
                await self.server.kernel(self.kernel_id)  # a gone kernel's restart is HTTP 500
                await self.server.restart(self.kernel_id)
                return await self.server.kernel(self.kernel_id)
            except KernelGone:
                pass
        return await self._open_kernel(None)

    async def _interrupt(self) -> None:
        if self.kernel_id is None:
            return
        try:
            await self.server.interrupt(self.kernel_id)
        except ServerError as exc:
            log.warning("interrupt: %s", exc)

    def _cancel_watch(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    async def _shutdown(self) -> None:
        self._cancel_watch()
        self._disconnect()
        if self.owns_kernel and self.kernel_id is not None and not self.keep_kernel:
            try:
                await self.server.shutdown(self.kernel_id)
            except KernelGone:
                pass
            except ServerError as exc:
                log.warning("kernel shutdown: %s", exc)
