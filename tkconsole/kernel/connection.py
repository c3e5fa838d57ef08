"""A local kernel over zmq: one we launch, or an existing one from a connection file.

Kernels we launch get CurveZMQ keys whenever their kernelspec declares
``"supported_encryption": ["curve"]`` (``encryption="auto"``, the default;
``"required"`` refuses a kernelspec that does not, ``"off"`` never asks).
Without them every local user who can reach the loopback ports can read
the code and outputs.  The keys travel in the connection file, so a
connection file that holds them connects encrypted too, directly or
through ssh tunnels.

The connection files of kernels we launch go to the Jupyter runtime
folder as ``kernel-<id>.json`` (mode 0600, written by jupyter_client) and
are removed when the kernel is shut down, so ``--existing`` finds them
from another console.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import zmq.asyncio
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir

from . import bundle, connfile
from .base import LAUNCH_TIMEOUT, BaseConnection, one_line
from .client import SharedLoopClient

POLL_INTERVAL = 0.5  # s between process polls of a kernel we launched
ENCRYPTION = ("auto", "required", "off")  # the [kernel] encryption setting's values
_POLICY = {"auto": "auto", "required": "required", "off": "disabled"}  # jupyter_client's names


class EncryptionError(RuntimeError):
    """Encryption is required but this kernel cannot have it; one line."""


class KernelConnection(BaseConnection):
    """A local kernel we launch, or an existing one from a connection file."""

    def __init__(
        self,
        kernel_name: str | None = None,
        connection_file: str | None = None,
        encryption: str = "auto",
        launch_timeout: float = LAUNCH_TIMEOUT,
    ) -> None:
        if encryption not in ENCRYPTION:
            raise ValueError(f"encryption must be one of {', '.join(ENCRYPTION)}")
        owns = connection_file is None
        name = kernel_name or "python3"
        super().__init__(name, owns, name if owns else "existing kernel", launch_timeout)
        self.connection_file = connection_file
        self.encryption = encryption
        self.manager: AsyncKernelManager | None = None
        self.client: SharedLoopClient | None = None

    @property
    def encrypted(self) -> bool:
        return self.client is not None and self.client.curve is not None

    def interrupt(self) -> None:
        """Signal or ``interrupt_request``, as the kernelspec's interrupt mode says."""
        if self.manager is not None:
            self.loop.submit(_interrupt(self.manager))
        else:
            self.request("control", "interrupt_request", {})

    def restart(self) -> None:
        """Restart a kernel we launched; reconnect to one we did not."""
        if self.manager is not None:
            self.loop.submit(self._restart(self.manager))
        else:
            self.loop.call(self._reconnect)

    # ----------------------------------------------------------- loop-thread side
    async def _start(self) -> None:
        info: Mapping[str, Any]
        try:
            if self.owns_kernel:
                info = await self._launch()
            else:
                info = self._checked(connfile.load(self.connection_file or ""))
        except Exception as exc:  # reported to the user, not raised
            self._event("start_failed", message=one_line(exc))
            return
        self._connect(info)
        if self.manager is not None:
            self.loop.ioloop.call_later(POLL_INTERVAL, self._poll)

    def _checked(self, info: dict[str, Any]) -> dict[str, Any]:
        """``info``, unless encryption is required and it holds no keys."""
        if self.encryption == "required" and not info.get("curve_secretkey"):
            raise EncryptionError(
                f"{self.connection_file} holds no CurveZMQ keys, and the settings say "
                '[kernel] encryption = "required"'
            )
        return info

    async def _launch(self) -> KernelConnectionInfo:
        context = zmq.asyncio.Context(self.loop.context)  # shadow: no new zmq thread
        kernel_id = str(uuid.uuid4())
        self.manager = AsyncKernelManager(
            kernel_name=self.kernel_name,
            context=context,
            kernel_spec_manager=bundle.spec_manager(),
            connection_file=runtime_file(kernel_id),
            transport_encryption=self._policy(),
        )
        self.manager.shutdown_wait_time = 2.0
        spec = self.manager.kernel_spec
        if spec is not None:
            self.display_name = spec.display_name
            self.spec_metadata = dict(spec.metadata or {})
        if self.encryption == "required" and not declares_curve(spec):
            raise EncryptionError(
                f"kernelspec {self.kernel_name!r} does not declare CurveZMQ support, and the "
                'settings say [kernel] encryption = "required"'
            )
        await self.manager.start_kernel(
            env=kernel_env(), kernel_id=kernel_id, **bundle.launch_options()
        )
        return self.manager.get_connection_info()

    def _policy(self) -> str:
        """jupyter_client's ``transport_encryption``: only where this pyzmq has curve."""
        if self.encryption == "auto" and not zmq.has("curve"):
            return "disabled"
        return _POLICY[self.encryption]

    def _connect(self, info: Mapping[str, Any]) -> None:
        self._unready()
        self.client = self.channels = SharedLoopClient(
            self.loop,
            self._emit,
            self._heartbeat_state,
            self._stdin_connected,
            session=self.session,
        )
        # connfile.load checked the ports, or jupyter_client wrote them
        self.client.load_connection_info(cast("KernelConnectionInfo", info))
        self.client.start_channels()
        self._probe(time.monotonic())

    def _disconnect(self) -> None:
        super()._disconnect()
        self.client = None

    def _heartbeat_state(self, beating: bool) -> None:
        if not self._restarting and not self._closed:
            self._event("responding" if beating else "not_responding")

    def _poll(self) -> None:
        if self._closed or self.manager is None:
            return
        self.loop.submit(self._check_alive())

    async def _check_alive(self) -> None:
        try:
            manager = self.manager
            if manager and not self._restarting and not await manager.is_alive():
                await self._on_death(manager)
        finally:
            if not self._closed:
                self.loop.ioloop.call_later(POLL_INTERVAL, self._poll)

    async def _on_death(self, manager: AsyncKernelManager) -> None:
        can_restart = self.restart_policy.allow()
        self._event("died", restarting=can_restart)
        if can_restart:
            await self._restart(manager)
        else:
            self._disconnect()

    async def _restart(self, manager: AsyncKernelManager) -> None:
        self._restarting = True
        self._disconnect()
        try:
            await manager.restart_kernel(now=True, env=kernel_env())
        except Exception as exc:  # reported to the user, not raised
            self._restarting = False
            self._event("restart_failed", message=one_line(exc))
            return
        self._connect(manager.get_connection_info())

    def _reconnect(self) -> None:
        self._restarting = True
        self._disconnect()
        try:
            self._connect(self._checked(connfile.load(self.connection_file or "")))
        except (connfile.ConnectionFileError, EncryptionError) as exc:
            self._restarting = False
            self._event("restart_failed", message=str(exc))

    async def _shutdown(self) -> None:
        self._disconnect()
        if self.manager is not None and self.manager.has_kernel and not self.keep_kernel:
            await self.manager.shutdown_kernel(now=False)


def declares_curve(spec: KernelSpec | None) -> bool:
    """Does the kernelspec say its kernel speaks CurveZMQ (``supported_encryption``)?"""
    declared = (spec.metadata or {}).get("supported_encryption") if spec is not None else None
    if isinstance(declared, str):
        declared = [declared]
    return isinstance(declared, list) and "curve" in {str(d).strip().lower() for d in declared}


def runtime_file(kernel_id: str) -> str:
    """``kernel-<id>.json`` in the Jupyter runtime folder (made private if new)."""
    folder = Path(jupyter_runtime_dir())
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(folder / f"kernel-{kernel_id}.json")


def kernel_env() -> dict[str, str]:
    """The kernel's environment: ours, minus debugpy's start-up warning."""
    return {**bundle.child_env(os.environ), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


async def _interrupt(manager: AsyncKernelManager) -> None:
    """A coroutine for ``LoopThread.submit`` (jupyter_client types the method as an Awaitable)."""
    await manager.interrupt_kernel()
