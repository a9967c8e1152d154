"""Case facts and events -> reminder rows, inside the caller's unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.reminders.timeline import as_utc, case_events, rules_for, timeline_with, zone_of
from bot.storage.models import Case, CaseEvent, Reminder, User
from bot.storage.session import insert_rows
from flows.deadlines import Deadline, compute_deadlines
from flows.rules import Rules
from flows.schedule import PlannedReminder, plan_reminders

# A silent row: when it comes due the case is planned again (a deadline passing changes the plan).
REPLAN = "case.replan"
REPLAN_AT = time(0, 30)
NOT_SENT = ("pending", "claimed")
Poke = Callable[[datetime], None]


@dataclass(frozen=True)
class Planning:
    """What planning needs besides the case: the rules, the default zone, now, the wake-up."""

    rules: Rules
    default_zone: str
    now: datetime
    poke: Poke | None = None


async def sync_case(
    session: AsyncSession,
    case: Case,
    user: User,
    planning: Planning,
    *,
    retime: bool = False,
    events: list[CaseEvent] | None = None,
) -> list[Deadline]:
    """Insert the reminders the case needs now and cancel those that no longer apply.

    `events`: the case's events, for a caller that has read them already.
    """
    tz = zone_of(user, planning.default_zone)
    now = as_utc(planning.now)
    if events is None and case.status != "closed":
        events = await case_events(session, case)
    today = now.astimezone(tz).date()
    deadlines, standing = _deadlines(case, events or [], planning.rules, today)
    rows = {row.kind: row for row in await _rows(session, case)}
    # A deadline that merely passed keeps its unsent reminders (they say what can still be done);
    # one that events took away loses them.
    applies = {(d.kind, d.due) for d in (*deadlines, *standing)}
    for row in rows.values():
        if row.status in NOT_SENT and (row.deadline_kind, row.deadline) not in applies:
            row.status = "cancelled"
    plan = plan_reminders(deadlines, rules_for(user, planning.rules), tz, now)
    new_rows: list[dict[str, Any]] = []
    for planned in plan:
        _apply(new_rows, case, rows.get(planned.kind), planned, retime)
    _plan_replan(new_rows, case, rows.get(REPLAN), deadlines, tz)
    await insert_rows(session, Reminder, new_rows)
    await session.flush()
    poke_after_commit(session, planning.poke, [p.due_at for p in plan])
    return deadlines


async def record_event(
    session: AsyncSession, case: Case, user: User, kind: str, on: date, planning: Planning
) -> list[Deadline]:
    """Store an event; money back closes the case. Then plan the reminders again."""
    session.add(CaseEvent(user_id=case.user_id, case_id=case.id, kind=kind, occurred_on=on))
    if kind == "money_received":
        case.status = "closed"
    await session.flush()
    return await sync_case(session, case, user, planning)


async def sync_user(session: AsyncSession, user: User, planning: Planning) -> None:
    """Re-time every open case of the user (a new time zone or quiet hours)."""
    cases = await session.scalars(
        select(Case).where(Case.user_id == user.id, Case.status != "closed")
    )
    for case in cases:
        await sync_case(session, case, user, planning, retime=True)


async def mark_done(session: AsyncSession, reminder: Reminder) -> None:
    """The user did what the reminder asked: no more reminders for that deadline."""
    await session.execute(
        update(Reminder)
        .where(
            Reminder.case_id == reminder.case_id,
            Reminder.deadline_kind == reminder.deadline_kind,
            Reminder.deadline == reminder.deadline,
            Reminder.status != "cancelled",
        )
        .values(status="done", claimed_by=None, lease_until=None)
    )


def snooze(reminder: Reminder, at: datetime) -> None:
    """Send this reminder again at `at` (its sent_at stays: a re-timing keeps the snooze)."""
    reminder.status = "pending"
    reminder.due_at = as_utc(at)
    reminder.claimed_by = None
    reminder.lease_until = None


def _deadlines(
    case: Case, events: list[CaseEvent], rules: Rules, today: date
) -> tuple[list[Deadline], list[Deadline]]:
    """The deadlines from today on, and every deadline the facts give whether passed or not."""
    if case.status == "closed":
        return [], []
    timeline = timeline_with(case, events)
    if timeline is None:
        return [], []
    return compute_deadlines(timeline, rules, today), compute_deadlines(timeline, rules, date.min)


async def _rows(session: AsyncSession, case: Case) -> list[Reminder]:
    return list(await session.scalars(select(Reminder).where(Reminder.case_id == case.id)))


def _apply(
    new_rows: list[dict[str, Any]],
    case: Case,
    row: Reminder | None,
    planned: PlannedReminder,
    retime: bool,
) -> None:
    """One planned reminder onto its row: new, moved, revived, re-timed or left alone."""
    if row is None:
        new_rows.append(
            _new_row(case, planned.kind, planned.due_at, planned.deadline_kind, planned.deadline)
        )
        return
    moved = (row.deadline_kind, row.deadline) != (planned.deadline_kind, planned.deadline)
    if moved or row.status == "cancelled":
        _reset(row, planned)
    elif retime and row.status == "pending" and row.sent_at is None:
        row.due_at = planned.due_at


def _reset(row: Reminder, planned: PlannedReminder) -> None:
    row.deadline_kind = planned.deadline_kind
    row.deadline = planned.deadline
    row.due_at = planned.due_at
    row.status = "pending"
    row.attempts = 0
    row.sent_at = row.lease_until = None
    row.claimed_by = None
    row.message_id = None


def _new_row(
    case: Case, kind: str, due_at: datetime, deadline_kind: str | None, deadline: date | None
) -> dict[str, Any]:
    """A pending reminder row; every new row has the same keys, so that they go in one insert."""
    return {
        "user_id": case.user_id,
        "case_id": case.id,
        "kind": kind,
        "deadline_kind": deadline_kind,
        "deadline": deadline,
        "due_at": due_at,
        "status": "pending",
        "attempts": 0,
    }


def _plan_replan(
    new_rows: list[dict[str, Any]],
    case: Case,
    row: Reminder | None,
    deadlines: list[Deadline],
    tz: ZoneInfo,
) -> None:
    """Plan the case again just after its nearest deadline has passed."""
    if not deadlines:
        if row is not None and row.status in NOT_SENT:
            row.status = "cancelled"
        return
    day = min(d.due for d in deadlines) + timedelta(days=1)
    at = datetime.combine(day, REPLAN_AT, tzinfo=tz).astimezone(UTC)
    if row is None:
        new_rows.append(_new_row(case, REPLAN, at, None, None))
        return
    row.due_at, row.status, row.attempts = at, "pending", 0
    row.claimed_by = row.lease_until = None


def poke_after_commit(session: AsyncSession, poke: Poke | None, moments: list[datetime]) -> None:
    """Tell the dispatcher about the nearest new moment once the rows are committed."""
    if poke is None or not moments:
        return
    info = session.info
    nearest = min(moments)
    if "reminders_nearest" in info:
        info["reminders_nearest"] = min(info["reminders_nearest"], nearest)
        return
    info["reminders_nearest"] = nearest

    def after_commit(_session: object) -> None:
        poke(info.pop("reminders_nearest"))

    event.listen(session.sync_session, "after_commit", after_commit, once=True)
