"""The interface the console needs from a kernel connection.

``kernel.connection.KernelConnection`` and ``kernel.remote`` connections
satisfy it structurally; the ui never imports the kernel layer, so the
interface lives here, beside the model that reads its messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from .features import KernelFeatures


class MessageSource(Protocol):
    """The transport's queue of ``(connection, channel, message)`` (kernel/loop.py)."""

    def get_nowait(self) -> Any: ...

    def empty(self) -> bool: ...

    def call_on_put(self, callback: Callable[[], None] | None) -> None:
        """Call ``callback`` after each put (on the putting thread); None: stop."""


class Connection(Protocol):
    """Requests go out through these methods and return their msg_id; what
    comes back arrives on ``queue`` as ``(connection, channel, message)``."""

    features: KernelFeatures  # what the kernel said it can do (empty until ready)
    owns_kernel: bool  # False: an existing or remote kernel we attach to
    display_name: str
    kernel_name: str | None  # the kernelspec's name (None: the server's default)

    @property
    def queue(self) -> MessageSource: ...

    @property
    def session_id(self) -> str: ...

    @property
    def encrypted(self) -> bool:
        """True when every byte to and from the kernel is encrypted on the wire."""
        ...

    @property
    def subshell_id(self) -> str | None:
        """The console's subshell on the kernel (None: none, or not yet)."""

    def start(self) -> None: ...

    def request(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any],
        buffers: Sequence[bytes | memoryview] | None = None,
        *,
        subshell_id: str | None = None,
    ) -> str: ...

    def execute(self, code: str, silent: bool = False, store_history: bool = True) -> str: ...

    def is_complete(self, code: str, subshell_id: str | None = None) -> str: ...

    def complete(self, code: str, cursor_pos: int, subshell_id: str | None = None) -> str: ...

    def inspect(
        self, code: str, cursor_pos: int, detail_level: int = 0, subshell_id: str | None = None
    ) -> str: ...

    def input(self, value: str) -> None: ...

    def interrupt(self) -> None: ...

    def restart(self) -> None: ...

    def shutdown(self, timeout: float = 5.0, keep_kernel: bool = False) -> None: ...


@runtime_checkable
class ServerStarter(Protocol):
    """A connection whose whole server can stop under it and be started again (a Hub's)."""

    def start_again(self) -> None: ...
