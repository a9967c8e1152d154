"""Updates received and not yet handled: written on receipt, deleted once handled."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.models import ReceivedUpdate

# An update taken up this many times after stops and never finished is given up: it may be
# what stopped the bot.
MAX_RECOVERIES = 3

_TABLE = cast(Table, ReceivedUpdate.__table__)
_VALUES: dict[str, Any] = {
    name: bindparam(name) for name in ("update_id", "user_id", "payload", "received_at")
} | {"recoveries": 0}
# Telegram may send an update again (a webhook answer it did not get): the first row stays.
_INSERT = {
    "postgresql": postgresql.insert(_TABLE).values(_VALUES).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(_TABLE).values(_VALUES).on_conflict_do_nothing(),
}
_FORGET = delete(ReceivedUpdate).where(
    ReceivedUpdate.update_id.in_(bindparam("ids", expanding=True))
)


Write = Callable[[Sequence[dict[str, Any]], Sequence[int]], Awaitable[None]]


def writer(engine: AsyncEngine, one_at_a_time: asyncio.Lock | None) -> Write:
    """How to note updates received (update_id, user_id, payload, received_at) and forget those
    handled. On PostgreSQL each statement commits on its own, one round trip where a
    transaction takes three (an INSERT is atomic by itself); on SQLite, one transaction, taking
    its turn with the units of work as SQLite has one writer."""
    insert = _INSERT[engine.dialect.name]
    autocommit = engine.dialect.name == "postgresql"
    statements = engine.execution_options(isolation_level="AUTOCOMMIT") if autocommit else engine

    async def write(received: Sequence[dict[str, Any]], handled: Sequence[int]) -> None:
        async with one_at_a_time or nullcontext(), statements.connect() as connection:
            if received:
                await connection.execute(insert, list(received))
            if handled:
                await connection.execute(_FORGET, {"ids": list(handled)})
            if not autocommit:
                await connection.commit()

    return write


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
