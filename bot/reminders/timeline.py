"""A stored case read as flows' CaseTimeline, and a user's zone and reminder schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.cases import answers_of
from bot.storage.models import Case, CaseEvent, User
from flows.deadlines import CARD_SCHEMES, CaseTimeline
from flows.deadlines import CaseEvent as FlowEvent
from flows.rules import Rules, Schedule

SITES = {"com": "aliexpress.com", "ru": "aliexpress.ru"}


def as_utc(moment: datetime) -> datetime:
    """An aware UTC moment; SQLite hands back naive UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def zone_of(user: User | None, default: str) -> ZoneInfo:
    """The user's time zone, or the configured default."""
    try:
        return ZoneInfo((user.timezone if user else None) or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def rules_for(user: User | None, rules: Rules) -> Rules:
    """The rules with the user's own quiet hours, when they chose some."""
    if user is None or user.quiet_start is None or user.quiet_end is None:
        return rules
    return replace(rules, schedule=schedule_of(user.quiet_start, user.quiet_end, rules.schedule))


def schedule_of(quiet_start: int, quiet_end: int, base: Schedule) -> Schedule:
    """Quiet hours from whole hours; the morning reminder moves later if the quiet lasts longer."""
    morning = max(base.morning, time(quiet_end % 24))
    return Schedule(time(quiet_start % 24), time(quiet_end % 24), morning)


async def case_events(session: AsyncSession, case: Case) -> list[CaseEvent]:
    """The case's events, in the order they happened."""
    rows = await session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.occurred_on, CaseEvent.id)
    )
    return list(rows)


async def timeline_of(session: AsyncSession, case: Case) -> CaseTimeline | None:
    """The case's dates and events, or None while it lacks the order date or the site."""
    return timeline_with(case, await case_events(session, case))


def timeline_with(case: Case, events: list[CaseEvent]) -> CaseTimeline | None:
    """timeline_of, for a caller that has read the case's events already."""
    return build_timeline(answers_of(case), [(e.kind, e.occurred_on) for e in events])


def build_timeline(answers: dict[str, Any], events: list[tuple[str, date]]) -> CaseTimeline | None:
    """CaseTimeline from stored answers (ISO strings) and (kind, date) events."""
    site = SITES.get(str(answers.get("site")))
    ordered = _day(answers.get("order_date"))
    if site is None or ordered is None:
        return None
    return CaseTimeline(
        site=site,
        order_date=ordered,
        shipped_on=_day(answers.get("shipped_on")),
        protection_end=_protection_end(answers.get("protection_end")),
        receipt_confirmed_on=_day(answers.get("receipt_confirmed_on")),
        expected_delivery=_day(answers.get("expected_delivery")),
        card_scheme=_scheme(answers.get("card_scheme")),
        events=tuple(FlowEvent(kind, on) for kind, on in events),
    )


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _scheme(value: Any) -> str | None:
    return value if value in CARD_SCHEMES else None


def _protection_end(value: Any) -> date | None:
    """The protection end: an ISO string, or the countdown parser's {"end": ..., "expired": ...}."""
    if isinstance(value, dict):
        return _day(value.get("end"))
    return _day(value)
