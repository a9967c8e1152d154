"""Updates of different users at once; each user's one at a time, in the order they came.

python-telegram-bot runs updates either one after another (a slow hand-back then holds up
every other user) or all at once (two messages of one user could then be read against the
same position). This processor runs different users' updates concurrently and queues each
user's behind the one before. Background work on a user's data (an album's acknowledgement,
a delivered translation) waits its turn in the same queue.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, nullcontext
from typing import Any
from weakref import WeakValueDictionary

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

# Enough that a burst of slow hand-backs (eleven messages each) leaves room for other users;
# at most half the database pool (bot/storage/session.py), as a hand-back holds one session
# and its translation cache opens another.
MAX_CONCURRENT_UPDATES = 12


class PerUserOrder(BaseUpdateProcessor):
    """Concurrent across users, in arrival order within one user."""

    def __init__(
        self, max_concurrent_updates: int, finished: Callable[[object], None] | None = None
    ) -> None:
        """`finished` hears of each update once its handlers (error handler included) are done."""
        super().__init__(max_concurrent_updates)
        self._finished = finished
        # A user's lock lives while someone holds or awaits it; then it is collected.
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[None]:
        """This user's turn: waits for the user's earlier updates and background work."""
        lock = self._locks.get(user_id)
        if lock is None:
            lock = self._locks[user_id] = asyncio.Lock()
        async with lock:
            yield

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        owner = owner_of(update)
        try:
            if owner is None:
                await coroutine
                return
            async with self.hold(owner):
                await coroutine
        finally:
            if self._finished is not None:
                self._finished(update)

    async def initialize(self) -> None:
        """Nothing to set up: locks are made on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: locks go with their last holder."""


def owner_of(update: object) -> int | None:
    """The user whose update this is; None for anything else the update queue carries."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


def user_turn(application: Application[Any, Any, Any, Any, Any, Any], user_id: int) -> Any:
    """Background work on a user's data: wait for the user's updates in this process."""
    processor = application.update_processor
    if isinstance(processor, PerUserOrder):
        return processor.hold(user_id)
    return nullcontext()
