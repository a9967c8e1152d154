"""Updates waiting for getUpdates: offsets confirm, long polls wait for the next update."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from typing import Any

Update = dict[str, Any]


def update_type(update: Update) -> str:
    """The kind of an update: its one key besides update_id."""
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Pending updates in update_id order, confirmed by getUpdates' offset."""

    def __init__(self) -> None:
        self._pending: deque[Update] = deque()
        self._next_id = 1
        self._waiters: set[asyncio.Future[None]] = set()
        self.allowed: frozenset[str] | None = None
        self.confirmed = 0

    def __len__(self) -> int:
        return len(self._pending)

    def new_id(self) -> int:
        """The update_id for a new update."""
        update_id = self._next_id
        self._next_id += 1
        return update_id

    def accepts(self, update: Update) -> bool:
        """Whether allowed_updates (as last set by the bot) lets this update through."""
        return self.allowed is None or update_type(update) in self.allowed

    def push(self, updates: Iterable[Update]) -> None:
        """Queue updates together and wake long polls once."""
        self._pending.extend(updates)
        self.wake()

    def wake(self) -> None:
        """Release every waiting long poll."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    def confirm(self, offset: int | None) -> None:
        """Forget updates before offset; a negative offset keeps only the last -offset."""
        if offset is None:
            return
        pending = self._pending
        if offset < 0:
            while len(pending) > -offset:
                pending.popleft()
                self.confirmed += 1
            return
        while pending and pending[0]["update_id"] < offset:
            pending.popleft()
            self.confirmed += 1

    def take(self, limit: int) -> list[Update]:
        """Up to limit pending updates, without confirming them."""
        return [self._pending[i] for i in range(min(limit, len(self._pending)))]

    async def wait(self, seconds: float) -> None:
        """Wait until an update arrives, wake() is called or `seconds` pass."""
        if seconds <= 0 or self._pending:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(waiter)

    def drain(self) -> list[Update]:
        """Remove and return every pending update (they move to the webhook)."""
        drained = list(self._pending)
        self._pending.clear()
        return drained

    def drop(self) -> int:
        """Forget every pending update (drop_pending_updates); return how many."""
        count = len(self._pending)
        self._pending.clear()
        return count
