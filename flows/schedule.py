"""Deadlines -> reminder moments in the user's local time, kept out of the quiet hours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.deadlines import Deadline
from flows.rules import Rules


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder: its stable kind (a message key), the deadline it serves and when, in UTC."""

    kind: str
    deadline_kind: str
    deadline: date
    due_at: datetime


def reminder_kind(deadline_kind: str, lead: int) -> str:
    """The stable key of the reminder `lead` days before a deadline of `deadline_kind`."""
    return f"{deadline_kind}.due_today" if lead == 0 else f"{deadline_kind}.due_in_{lead}d"


def plan_reminders(
    deadlines: Iterable[Deadline], rules: Rules, tz: ZoneInfo, now: datetime
) -> list[PlannedReminder]:
    """Every reminder still to send for `deadlines`, soonest first."""
    _require_aware(now)
    planned = [r for d in deadlines for r in _plan_one(d, rules, tz, now)]
    return sorted(planned, key=lambda r: (r.due_at, r.kind))


def shift_out_of_quiet_hours(moment: datetime, tz: ZoneInfo, rules: Rules) -> datetime:
    """`moment` in UTC, moved to the next morning hour if it falls in the quiet hours."""
    _require_aware(moment)
    schedule = rules.schedule
    local = moment.astimezone(tz)
    if not schedule.is_quiet(local.time()):
        return moment.astimezone(UTC)
    day = local.date() if local.time() < schedule.morning else local.date() + timedelta(days=1)
    return _local_moment(day, schedule.morning, tz)


def tomorrow_morning(now: datetime, tz: ZoneInfo, rules: Rules) -> datetime:
    """The morning hour of the next local calendar day, in UTC ("remind me tomorrow")."""
    _require_aware(now)
    day = now.astimezone(tz).date() + timedelta(days=1)
    return _local_moment(day, rules.schedule.morning, tz)


def _plan_one(
    deadline: Deadline, rules: Rules, tz: ZoneInfo, now: datetime
) -> list[PlannedReminder]:
    """Reminders still ahead; if none is, the last one now, unless the deadline has passed."""
    if deadline.due < now.astimezone(tz).date() or not deadline.leads:
        return []
    morning = rules.schedule.morning
    moments = {
        lead: shift_out_of_quiet_hours(
            _local_moment(deadline.due - timedelta(days=lead), morning, tz), tz, rules
        )
        for lead in deadline.leads
    }
    ahead = [_reminder(deadline, lead, at) for lead, at in moments.items() if at >= now]
    if ahead:
        return ahead
    return [_reminder(deadline, min(moments), _catch_up(deadline.due, tz, rules, now))]


def _catch_up(due: date, tz: ZoneInfo, rules: Rules, now: datetime) -> datetime:
    """Now, or the coming morning if now is quiet and that morning is not after the deadline."""
    shifted = shift_out_of_quiet_hours(now, tz, rules)
    return shifted if shifted.astimezone(tz).date() <= due else now.astimezone(UTC)


def _reminder(deadline: Deadline, lead: int, at: datetime) -> PlannedReminder:
    """The reminder `lead` days before `deadline`, due at `at`."""
    return PlannedReminder(reminder_kind(deadline.kind, lead), deadline.kind, deadline.due, at)


def _local_moment(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """A local wall-clock time on `day`, in UTC (a time skipped by a DST change lands after it)."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def _require_aware(moment: datetime) -> None:
    """Refuse naive datetimes: a moment without a zone means nothing to the user."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("expected an aware datetime")
