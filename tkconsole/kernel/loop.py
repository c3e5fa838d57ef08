"""The one event-loop thread that owns every kernel socket in the process.

Every connection (local zmq kernel, tunnelled kernel, server websocket)
registers its streams here instead of starting a thread of its own, so the
number of threads does not grow with the number of kernels.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any

import zmq
from tornado.ioloop import IOLoop

THREAD_NAME = "tkconsole-loop"


class MessageQueue(queue.Queue[Any]):
    """Everything the transport delivers: ``(connection, channel, message)``.

    The consumer may ask for a callback after each put (``call_on_put``), so
    a GUI can sleep until there is work instead of polling.
    """

    def __init__(self) -> None:
        super().__init__()
        self._on_put: Callable[[], None] | None = None

    def call_on_put(self, callback: Callable[[], None] | None) -> None:
        """Call ``callback`` (on the putting thread) after each put; None: stop."""
        self._on_put = callback

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        super().put(item, block, timeout)
        on_put = self._on_put
        if on_put is not None:
            try:
                on_put()
            except Exception:  # the loop thread must survive a consumer's bug
                logging.getLogger(__name__).exception("the queue's put callback failed")


class LoopThread:
    """A daemon thread running one tornado IOLoop (on asyncio) forever."""

    def __init__(self) -> None:
        self.context: zmq.Context[zmq.Socket[bytes]] = zmq.Context.instance()
        self.queue = MessageQueue()
        started = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(started,), name=THREAD_NAME, daemon=True
        )
        self._thread.start()
        started.wait()

    def _run(self, started: threading.Event) -> None:
        self.asyncio_loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.asyncio_loop)
        self.ioloop = IOLoop.current()
        self.asyncio_loop.call_soon(started.set)
        self.asyncio_loop.run_forever()

    def call(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` on the loop thread soon; safe from any thread."""
        self.ioloop.add_callback(fn, *args)

    def submit(self, coro: Coroutine[Any, Any, Any]) -> Future[Any]:
        """Schedule a coroutine on the loop; the caller gets a concurrent Future."""
        return asyncio.run_coroutine_threadsafe(coro, self.asyncio_loop)


_lock = threading.Lock()
_shared: LoopThread | None = None


def shared_loop() -> LoopThread:
    """The process-wide loop thread, started on first use."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = LoopThread()
        return _shared
