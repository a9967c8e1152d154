"""Properties over random cases: deadlines and reminder plans the bot can store and send."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.deadlines import (
    AFTER,
    CARD_SCHEMES,
    EVENT_KINDS,
    CaseEvent,
    CaseTimeline,
    compute_deadlines,
    past_deadlines,
)
from flows.rules import DEFAULT_RULES, SITES
from flows.schedule import plan_reminders

START = date(2025, 1, 1)
ZONES = [ZoneInfo(name) for name in ("Europe/Moscow", "Asia/Almaty", "Europe/Berlin", "UTC")]
REMINDER_KIND_MAX = 48  # bot/storage/models.py: Reminder.kind is String(48)


def offset_from(day: date, low: int, high: int):
    """An optional date `low` to `high` days after `day`."""
    return st.none() | st.integers(low, high).map(lambda n: day + timedelta(days=n))


@st.composite
def cases(draw):
    """A random case, a local `today` and an aware `now` on it."""
    order = START + timedelta(days=draw(st.integers(0, 900)))
    events = draw(
        st.lists(
            st.builds(
                CaseEvent,
                st.sampled_from(sorted(EVENT_KINDS)),
                st.integers(0, 300).map(lambda n: order + timedelta(days=n)),
            ),
            max_size=6,
        )
    )
    timeline = CaseTimeline(
        site=draw(st.sampled_from(SITES)),
        order_date=order,
        shipped_on=draw(offset_from(order, 0, 20)),
        protection_end=draw(offset_from(order, 10, 120)),
        receipt_confirmed_on=draw(offset_from(order, 5, 120)),
        expected_delivery=draw(offset_from(order, -5, 700)),
        card_scheme=draw(st.sampled_from((None, *CARD_SCHEMES))),
        events=tuple(events),
    )
    today = order + timedelta(days=draw(st.integers(0, 400)))
    tz = draw(st.sampled_from(ZONES))
    clock = time(draw(st.integers(0, 23)), draw(st.sampled_from((0, 30, 59))))
    return timeline, today, datetime.combine(today, clock, tzinfo=tz), tz


@settings(max_examples=120, deadline=None)
@given(cases())
def test_deadlines_are_unique_pending_and_sorted(case):
    timeline, today, _, _ = case
    found = compute_deadlines(timeline, DEFAULT_RULES, today)
    assert len({d.kind for d in found}) == len(found)
    assert all(d.due >= today for d in found)
    assert found == sorted(found, key=lambda d: (d.due, d.kind))
    assert all(d.rule_key in DEFAULT_RULES.rule_keys() for d in found)
    passed = past_deadlines(timeline, DEFAULT_RULES, today)
    assert all(p.deadline.due < today and p.after == AFTER[p.deadline.kind] for p in passed)
    if any(e.kind == "money_received" for e in timeline.events):
        assert found == [] and passed == []


@settings(max_examples=120, deadline=None)
@given(cases())
def test_reminders_fit_the_store_and_respect_the_night(case):
    timeline, today, now, tz = case
    deadlines = compute_deadlines(timeline, DEFAULT_RULES, today)
    planned = plan_reminders(deadlines, DEFAULT_RULES, tz, now)
    assert len({r.kind for r in planned}) == len(planned)
    for reminder in planned:
        assert len(reminder.kind) <= REMINDER_KIND_MAX
        assert reminder.due_at.tzinfo is UTC
        assert reminder.due_at >= now
        at = reminder.due_at.astimezone(tz)
        assert at.date() <= reminder.deadline
        assert reminder.due_at == now or not DEFAULT_RULES.schedule.is_quiet(at.time())
