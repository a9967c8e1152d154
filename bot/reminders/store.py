"""The dispatcher's queries: claim with a lease, mark sending, confirm, retry, release, sweep."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.reminders.timeline import as_utc
from bot.storage.models import Reminder, User

NOT_SENT = ("pending", "claimed")


@dataclass(frozen=True)
class Due:
    """A claimed reminder with what sending it needs from its user."""

    id: int
    user_id: int
    case_id: int
    kind: str
    deadline_kind: str | None
    deadline: date | None
    attempts: int
    chat_id: int
    language: str | None
    timezone: str | None
    quiet_start: int | None
    quiet_end: int | None
    blocked: bool

    @classmethod
    def from_row(cls, row: Row[tuple[Reminder, User]]) -> Due:
        """From a (Reminder, User) row."""
        reminder, user = row
        return cls(
            reminder.id,
            reminder.user_id,
            reminder.case_id,
            reminder.kind,
            reminder.deadline_kind,
            reminder.deadline,
            reminder.attempts,
            user.chat_id,
            user.language,
            user.timezone,
            user.quiet_start,
            user.quiet_end,
            user.blocked,
        )


async def claim(
    session: AsyncSession, owner: str, now: datetime, lease_until: datetime, limit: int
) -> list[Due]:
    """Lease up to `limit` due reminders to `owner`, soonest first; other owners skip them."""
    due = (
        select(Reminder.id)
        .where(Reminder.status == "pending", Reminder.due_at <= as_utc(now))
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = (
        update(Reminder)
        # No second status test here: SQLite would then walk every pending row by its index.
        # The subquery alone is atomic: one statement on SQLite, row locks on PostgreSQL.
        .where(Reminder.id.in_(due.scalar_subquery()))
        .values(status="claimed", claimed_by=owner, lease_until=as_utc(lease_until))
        .returning(Reminder.id)
        .execution_options(synchronize_session=False)
    )
    ids = list((await session.scalars(claimed)).all())
    if not ids:
        return []
    rows = await session.execute(
        select(Reminder, User).join(User, User.id == Reminder.user_id).where(Reminder.id.in_(ids))
    )
    order = {reminder_id: position for position, reminder_id in enumerate(ids)}
    return sorted((Due.from_row(row) for row in rows), key=lambda d: order[d.id])


async def mark_sending(
    session: AsyncSession | AsyncConnection,
    reminder_id: int,
    owner: str,
    now: datetime,
    lease_until: datetime,
) -> bool:
    """Whether the owner still holds the claim; if so the row now says it is being sent."""
    result = await session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.status == "claimed",
            Reminder.claimed_by == owner,
        )
        .values(
            status="sending",
            sent_at=as_utc(now),
            lease_until=as_utc(lease_until),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def confirm(session: AsyncSession, sent: Iterable[tuple[int, int]]) -> None:
    """Telegram accepted these (reminder id, message id) pairs."""
    for reminder_id, message_id in sent:
        await session.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id, Reminder.status == "sending")
            .values(status="sent", message_id=message_id)
            .execution_options(synchronize_session=False)
        )


async def retry(
    session: AsyncSession, reminder_id: int, owner: str, at: datetime, *, failed: bool
) -> None:
    """Back to pending, due at `at`; a failure counts towards the backoff, a 429 does not."""
    values: dict[str, object] = {
        "status": "pending",
        "due_at": as_utc(at),
        "claimed_by": None,
        "lease_until": None,
    }
    if failed:
        values["attempts"] = Reminder.attempts + 1
    await session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.claimed_by == owner,
            Reminder.status.in_(("claimed", "sending")),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def defer(session: AsyncSession, ids: list[int], owner: str, at: datetime) -> None:
    """Give claimed reminders back, due at `at` (quiet hours, or a stop)."""
    if not ids:
        return
    await session.execute(
        update(Reminder)
        .where(Reminder.id.in_(ids), Reminder.claimed_by == owner, Reminder.status == "claimed")
        .values(status="pending", due_at=as_utc(at), claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )


async def release(session: AsyncSession, ids: list[int], owner: str) -> None:
    """Give claimed reminders back unchanged (a graceful stop)."""
    if not ids:
        return
    await session.execute(
        update(Reminder)
        .where(Reminder.id.in_(ids), Reminder.claimed_by == owner, Reminder.status == "claimed")
        .values(status="pending", claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )


async def block_user(session: AsyncSession, user_id: int, reminder_id: int) -> None:
    """The user blocked the bot: remember it and cancel everything still to send them."""
    await session.execute(update(User).where(User.id == user_id).values(blocked=True))
    await session.execute(
        update(Reminder)
        .where(
            Reminder.user_id == user_id,
            (Reminder.status.in_(NOT_SENT)) | (Reminder.id == reminder_id),
        )
        .values(status="cancelled", claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )


async def cancel(session: AsyncSession, ids: list[int]) -> None:
    """Cancel reminders nobody can receive."""
    if ids:
        await session.execute(
            update(Reminder)
            .where(Reminder.id.in_(ids))
            .values(status="cancelled", claimed_by=None, lease_until=None)
            .execution_options(synchronize_session=False)
        )


async def sweep(session: AsyncSession, now: datetime) -> tuple[int, int]:
    """Expired leases: claims go back to pending; sends whose owner vanished count as sent."""
    moment = as_utc(now)
    released = await session.execute(
        update(Reminder)
        .where(Reminder.status == "claimed", Reminder.lease_until < moment)
        .values(status="pending", claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    # The owner died after committing "sending": the request's last byte almost surely went out.
    settled = await session.execute(
        update(Reminder)
        .where(Reminder.status == "sending", Reminder.lease_until < moment)
        .values(status="sent")
        .execution_options(synchronize_session=False)
    )
    return released.rowcount, settled.rowcount  # type: ignore[attr-defined]


async def next_moment(session: AsyncSession) -> datetime | None:
    """The next due reminder or expiring lease, whichever comes first."""
    due = await session.scalar(
        select(func.min(Reminder.due_at)).where(Reminder.status == "pending")
    )
    lease = await session.scalar(
        select(func.min(Reminder.lease_until)).where(Reminder.status.in_(("claimed", "sending")))
    )
    moments = [as_utc(m) for m in (due, lease) if m is not None]
    return min(moments) if moments else None
