"""Queries over `pending_translations`: texts whose translation failed, retried in the background.

Like every data function here, none commits: the caller's unit of work does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import PendingTranslation

PENDING = "pending"
DONE = "done"
FAILED = "failed"


def utc(moment: datetime) -> datetime:
    """The moment in UTC; naive means UTC already (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def add_pending(
    session: AsyncSession, user_id: int, case_id: int, key: str, source_text: str, now: datetime
) -> PendingTranslation:
    """Queue a text for retries, due now; it replaces one queued for the same case and key."""
    row = await session.scalar(
        select(PendingTranslation)
        .where(
            PendingTranslation.case_id == case_id,
            PendingTranslation.key == key,
            PendingTranslation.status == PENDING,
        )
        .limit(1)
    )
    if row is None:
        row = PendingTranslation(user_id=user_id, case_id=case_id, key=key, status=PENDING)
        session.add(row)
    row.source_text = source_text
    row.attempts = 0
    row.next_attempt_at = utc(now)
    await session.flush()
    return row


async def due_pending(session: AsyncSession, now: datetime, limit: int) -> list[PendingTranslation]:
    """Pending rows due by `now`, oldest first; on PostgreSQL, rows locked elsewhere are skipped."""
    query = (
        select(PendingTranslation)
        .where(PendingTranslation.status == PENDING, PendingTranslation.next_attempt_at <= utc(now))
        .order_by(PendingTranslation.next_attempt_at, PendingTranslation.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(await session.scalars(query))


async def claim_due(
    session: AsyncSession, now: datetime, limit: int, lease: timedelta
) -> list[PendingTranslation]:
    """Due rows, pushed `lease` into the future so that no other run takes them meanwhile."""
    rows = await due_pending(session, now, limit)
    for row in rows:
        row.next_attempt_at = utc(now) + lease
    await session.flush()
    return rows


async def mark_done(session: AsyncSession, pending_id: int) -> None:
    """The translation reached the user."""
    await _set(session, pending_id, status=DONE)


async def mark_failed(session: AsyncSession, pending_id: int) -> None:
    """Stop retrying this text."""
    await _set(session, pending_id, status=FAILED)


async def reschedule(
    session: AsyncSession, pending_id: int, *, now: datetime, backoff: timedelta
) -> None:
    """One more failed attempt; the next one is due `backoff` after `now`."""
    await _set(
        session,
        pending_id,
        attempts=PendingTranslation.attempts + 1,
        next_attempt_at=utc(now) + backoff,
    )


async def _set(session: AsyncSession, pending_id: int, **values: object) -> None:
    await session.execute(
        update(PendingTranslation)
        .where(PendingTranslation.id == pending_id, PendingTranslation.status == PENDING)
        .values(**values)
    )
