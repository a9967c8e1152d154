"""The commit made while a request still lacks its last byte: claimed -> sending.

Whatever runs between this commit and the write of the last byte is the window in which a
crash loses a reminder, so the commit must hand control straight back. On SQLite the COMMIT
itself runs on the event loop's thread (the row is locked and updated beforehand in a worker
thread), so no thread hand-off and no wait for the GIL separate it from the write.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.reminders import store

_MARK = (
    "UPDATE reminders SET status = 'sending', sent_at = ?, lease_until = ?"
    " WHERE id = ? AND status = 'claimed' AND claimed_by = ?"
)


class Marker(Protocol):
    """One reminder's mark: commit before the last byte, close after it."""

    async def commit(self) -> bool: ...

    async def close(self) -> None: ...


class Guard(Protocol):
    """Makes markers for one dispatcher."""

    def marker(self, reminder_id: int, owner: str, now: datetime, lease: datetime) -> Marker: ...

    def close(self) -> None: ...


def guard_for(engine: AsyncEngine) -> Guard:
    """The SQLite guard for a file database, the engine's own connections otherwise."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return SqliteGuard(url.database)
    return EngineGuard(engine)


class EngineGuard:
    """A bare connection (a session would hand it back to the pool inside the commit)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    def marker(self, reminder_id: int, owner: str, now: datetime, lease: datetime) -> Marker:
        """A marker on a connection taken when it commits."""
        return _EngineMarker(self.engine, (reminder_id, owner, now, lease))

    def close(self) -> None:
        """Nothing of its own to close."""


class _EngineMarker:
    def __init__(self, engine: AsyncEngine, mark: tuple[int, str, datetime, datetime]) -> None:
        self.engine = engine
        self.mark = mark
        self.connection: AsyncConnection | None = None

    async def commit(self) -> bool:
        reminder_id, owner, now, lease = self.mark
        self.connection = await self.engine.connect()
        held = await store.mark_sending(self.connection, reminder_id, owner, now, lease)
        await self.connection.commit()
        return held

    async def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            await connection.close()


class SqliteGuard:
    """One synchronous connection: lock and update in a worker thread, COMMIT on the loop."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.lock = asyncio.Lock()

    def marker(self, reminder_id: int, owner: str, now: datetime, lease: datetime) -> Marker:
        """A marker on the guard's connection."""
        return _SqliteMarker(self, (_stamp(now), _stamp(lease), reminder_id, owner))

    def prepare(self, mark: tuple[str, str, int, str]) -> bool:
        """In a worker thread: take the write lock and update; False if the claim is gone."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            held = self.db.execute(_MARK, mark).rowcount == 1
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        if not held:
            self.db.execute("ROLLBACK")
        return held

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


class _SqliteMarker:
    def __init__(self, guard: SqliteGuard, mark: tuple[str, str, int, str]) -> None:
        self.guard = guard
        self.mark = mark

    async def commit(self) -> bool:
        guard = self.guard
        async with guard.lock:
            if not await asyncio.to_thread(guard.prepare, self.mark):
                return False
            try:
                guard.db.execute("COMMIT")
            except BaseException:
                guard.db.execute("ROLLBACK")
                raise
            return True

    async def close(self) -> None:
        """Nothing held after the commit."""


def _stamp(moment: datetime) -> str:
    """SQLAlchemy's SQLite form of a DateTime: naive UTC with microseconds."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
