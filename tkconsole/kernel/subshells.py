"""The console's own kernel subshell: made when the kernel is ready, deleted at close.

A kernel that lists ``"kernel subshells"`` in ``supported_features`` runs
shell requests whose header carries ``subshell_id`` on that subshell's own
thread, so completion and help are answered while the main shell runs a
cell.  Kernels without the feature log an error and never answer a
subshell request, so nothing is sent to them.  Loop thread only, except
``id``, which the Tk thread reads (one attribute, set in one step).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from jupyter_client.session import Session

log = logging.getLogger(__name__)

DELETE_WAIT = 1.0  # s a delete_subshell_reply is awaited at close


class Subshell:
    """One subshell per connection; ``send`` writes a control message now."""

    def __init__(self, session: Session, send: Callable[[dict[str, Any]], None]) -> None:
        self.session = session
        self.send = send
        self.id: str | None = None  # the live subshell's id (None: none yet)
        self._created_by: str | None = None  # msg_id of our create request
        self._stale: str | None = None  # made before a reconnect: the kernel may still hold it
        self._deleted: asyncio.Future[None] | None = None
        self._delete_id: str | None = None

    def create(self) -> None:
        """Ask for a subshell (the kernel is ready and lists the feature)."""
        if self._stale is not None:
            self._send("delete_subshell_request", {"subshell_id": self._stale})
            self._stale = None
        self._created_by = self._send("create_subshell_request", {})

    def lost(self, kernel_restarted: bool) -> None:
        """The connection went; a reconnect to the same kernel deletes the old one."""
        if self.id is not None and not kernel_restarted:
            self._stale = self.id
        self.id = None
        self._created_by = None

    def on_control(self, msg: dict[str, Any]) -> None:
        """Every control message passes here; the replies we wait for are taken."""
        parent = msg["parent_header"].get("msg_id")
        if parent is None:
            return
        if parent == self._created_by:
            self._created_by = None
            subshell_id = msg["content"].get("subshell_id")
            if isinstance(subshell_id, str) and subshell_id:
                self.id = subshell_id
            else:
                log.warning("create_subshell_reply without a subshell_id: %r", msg["content"])
        elif parent == self._delete_id and self._deleted and not self._deleted.done():
            self._deleted.set_result(None)

    async def delete(self) -> None:
        """Delete our subshell and wait (briefly) for the kernel to say so."""
        subshell_id, self.id = self.id, None
        if subshell_id is None:
            return
        self._deleted = asyncio.get_running_loop().create_future()
        self._delete_id = self._send("delete_subshell_request", {"subshell_id": subshell_id})
        try:
            await asyncio.wait_for(self._deleted, DELETE_WAIT)
        except TimeoutError:
            log.warning("the kernel did not confirm deleting subshell %s", subshell_id)

    def _send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg = self.session.msg(msg_type, content)
        self.send(msg)
        return str(msg["header"]["msg_id"])
