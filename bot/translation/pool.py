"""A small thread pool for deep-translator's blocking calls, each under its own time limit."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerPool:
    """Runs blocking calls off the event loop; a call's time limit counts from when it starts."""

    def __init__(self, workers: int) -> None:
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="translator")
        # A slot is held until the thread is really free, even after the caller gave up on it,
        # so that no call waits in the executor's queue while its own timeout runs.
        self._slots = asyncio.Semaphore(workers)

    async def run(self, seconds: float, call: Callable[..., T], *args: Any) -> T:
        """Run call(*args) in a worker thread; TimeoutError after `seconds`."""
        await self._slots.acquire()
        try:
            future = self._executor.submit(call, *args)
        except BaseException:
            self._slots.release()
            raise
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda _: _release_from_thread(loop, self._slots))
        return await asyncio.wait_for(asyncio.wrap_future(future), seconds)

    def close(self) -> None:
        """Stop taking calls; threads still waiting on a socket end at their own time limit."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def _release_from_thread(loop: asyncio.AbstractEventLoop, slots: asyncio.Semaphore) -> None:
    # A closed loop has nobody left waiting for the slot.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(slots.release)
