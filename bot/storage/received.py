"""Updates received and not yet handled: written on receipt, deleted once handled."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any, cast

import asyncpg
from sqlalchemy import Table, bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.models import ReceivedUpdate
from bot.storage.session import insert_or_ignore

# An update taken up this many times after stops and never finished is given up: it may be
# what stopped the bot.
MAX_RECOVERIES = 3

_TABLE = cast(Table, ReceivedUpdate.__table__)
# Telegram may send an update again (a webhook answer it did not get): the first row stays.
_SQLITE_INSERT = insert_or_ignore(
    _TABLE, "update_id", "user_id", "payload", "received_at", recoveries=0
)
_SQLITE_FORGET = delete(ReceivedUpdate).where(
    ReceivedUpdate.update_id.in_(bindparam("ids", expanding=True))
)


Write = Callable[[Sequence[dict[str, Any]], Sequence[int]], Awaitable[None]]

# The same two statements for asyncpg itself, with its $n parameters.
_PG_INSERT = (
    "INSERT INTO received_updates (update_id, user_id, payload, received_at, recoveries) "
    "VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING"
)
_PG_FORGET = "DELETE FROM received_updates WHERE update_id = ANY($1::bigint[])"


def writer(engine: AsyncEngine, one_at_a_time: asyncio.Lock | None) -> Write:
    """How to note updates received (update_id, user_id, payload, received_at) and forget those
    handled: once per update, so it has to be cheap."""
    if engine.dialect.name == "postgresql":
        return _postgres_writer(engine)
    return _sqlite_writer(engine, one_at_a_time)


def _sqlite_writer(engine: AsyncEngine, one_at_a_time: asyncio.Lock | None) -> Write:
    """One transaction, taking its turn with the units of work: SQLite has one writer."""

    async def write(received: Sequence[dict[str, Any]], handled: Sequence[int]) -> None:
        async with one_at_a_time or nullcontext(), engine.begin() as connection:
            if received:
                await connection.execute(_SQLITE_INSERT, list(received))
            if handled:
                await connection.execute(_SQLITE_FORGET, {"ids": list(handled)})

    return write


def _postgres_writer(engine: AsyncEngine) -> Write:
    """asyncpg's own statements on a pooled connection, each committing on its own (an INSERT
    is atomic): a write through SQLAlchemy cost 530 µs of CPU, this one 230 (bench/RESULTS.md).
    A connection the server dropped is thrown out of the pool and the write made on a new one,
    as the units of work do."""

    async def write(received: Sequence[dict[str, Any]], handled: Sequence[int]) -> None:
        for attempt in (1, 2):
            async with engine.connect() as connection:
                driver = (await connection.get_raw_connection()).driver_connection
                assert driver is not None
                try:
                    if received:
                        await driver.executemany(_PG_INSERT, [_pg_row(row) for row in received])
                    if handled:
                        await driver.execute(_PG_FORGET, list(handled))
                    return
                except (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError):
                    await connection.invalidate()
                    if attempt == 2:
                        raise

    return write


def _pg_row(row: dict[str, Any]) -> tuple[Any, ...]:
    payload = json.dumps(row["payload"], ensure_ascii=False)
    return row["update_id"], row["user_id"], payload, row["received_at"]


async def take_up(
    session: AsyncSession, received_before: datetime, now: datetime
) -> tuple[list[tuple[int, dict[str, Any]]], list[int]]:
    """Claim the unhandled updates received before a moment, oldest first; and those given up.

    A claimed row counts as received now, so another instance's sweep leaves it alone; on
    PostgreSQL a row two instances claim at once goes to the first, the second's condition
    failing once it sees the first's write.
    """
    stale = ReceivedUpdate.received_at < received_before
    given_up = await session.scalars(
        delete(ReceivedUpdate)
        .where(stale, ReceivedUpdate.recoveries >= MAX_RECOVERIES)
        .returning(ReceivedUpdate.update_id)
    )
    dropped = sorted(given_up.all())
    claimed = await session.execute(
        update(ReceivedUpdate)
        .where(stale)
        .values(recoveries=ReceivedUpdate.recoveries + 1, received_at=now)
        .returning(ReceivedUpdate.update_id, ReceivedUpdate.payload)
    )
    return sorted((row.update_id, row.payload) for row in claimed), dropped
