"""Updates already applied: one that Telegram sends again is recognised, not applied twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, Table, bindparam, delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import HandledUpdate
from bot.storage.session import insert_or_ignore

# Telegram keeps an unconfirmed update for 24 hours; an older row can never match again.
KEEP = timedelta(days=2)
# Old rows go about once per this many updates (update ids are consecutive).
PRUNE_EVERY = 1000

_RECORD = insert_or_ignore(cast(Table, HandledUpdate.__table__), "update_id", "user_id")
_PRUNE = delete(HandledUpdate).where(HandledUpdate.created_at < bindparam("before"))


async def first_time(session: AsyncSession, update_id: int, user_id: int) -> bool:
    """Note the update as applied by this unit of work; False if a committed one applied it."""
    result: CursorResult[object] = await session.execute(  # type: ignore[assignment]
        _RECORD, {"update_id": update_id, "user_id": user_id}
    )
    if update_id % PRUNE_EVERY == 0:
        await session.execute(_PRUNE, {"before": datetime.now(UTC) - KEEP})
    return result.rowcount == 1
