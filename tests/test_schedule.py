"""Reminder plans in local time: time zones, DST, quiet hours, moments already past."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from flows.deadlines import CaseTimeline, Deadline, compute_deadlines
from flows.rules import DEFAULT_RULES, Schedule
from flows.schedule import (
    PlannedReminder,
    plan_reminders,
    reminder_kind,
    shift_out_of_quiet_hours,
    tomorrow_morning,
)

D = date
MOSCOW = ZoneInfo("Europe/Moscow")
ALMATY = ZoneInfo("Asia/Almaty")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    """An aware UTC moment."""
    return datetime(*args, tzinfo=UTC)


def local(tz: ZoneInfo, *args: int) -> datetime:
    """An aware local moment."""
    return datetime(*args, tzinfo=tz)


def deadline(due: date, leads: tuple[int, ...] = (2, 0), kind: str = "return.ship") -> Deadline:
    """A deadline with the given leads."""
    return Deadline(kind, due, kind, "return_agreed", leads)


def plan(deadlines, tz, now, rules=DEFAULT_RULES):
    """The plan as (kind, due_at) pairs."""
    return [(r.kind, r.due_at) for r in plan_reminders(deadlines, rules, tz, now)]


def test_reminder_kinds():
    assert reminder_kind("dispute.seller_reply", 2) == "dispute.seller_reply.due_in_2d"
    assert reminder_kind("dispute.seller_reply", 0) == "dispute.seller_reply.due_today"


@pytest.mark.parametrize(
    ("tz", "morning_utc_hour"),
    [(MOSCOW, 7), (ALMATY, 5), (ZoneInfo("Europe/Minsk"), 7), (ZoneInfo("UTC"), 10)],
)
def test_reminders_go_out_at_the_local_morning(tz, morning_utc_hour):
    reminders = plan_reminders([deadline(D(2026, 3, 15))], DEFAULT_RULES, tz, utc(2026, 3, 5, 12))
    assert reminders == [
        PlannedReminder(
            "return.ship.due_in_2d",
            "return.ship",
            D(2026, 3, 15),
            utc(2026, 3, 13, morning_utc_hour),
        ),
        PlannedReminder(
            "return.ship.due_today",
            "return.ship",
            D(2026, 3, 15),
            utc(2026, 3, 15, morning_utc_hour),
        ),
    ]
    assert all(r.due_at.tzinfo is UTC for r in reminders)


def test_berlin_spring_forward():
    reminders = plan([deadline(D(2026, 3, 30))], BERLIN, utc(2026, 3, 20))
    assert reminders == [
        ("return.ship.due_in_2d", utc(2026, 3, 28, 9)),
        ("return.ship.due_today", utc(2026, 3, 30, 8)),
    ]


def test_berlin_fall_back():
    reminders = plan([deadline(D(2026, 10, 26))], BERLIN, utc(2026, 10, 20))
    assert reminders == [
        ("return.ship.due_in_2d", utc(2026, 10, 24, 8)),
        ("return.ship.due_today", utc(2026, 10, 26, 9)),
    ]


def test_the_deadline_day_is_the_users_local_day():
    # 21:30 UTC on 5 March is already 6 March in Almaty and still 5 March in Berlin.
    now = utc(2026, 3, 5, 21, 30)
    due_yesterday_in_almaty = [deadline(D(2026, 3, 5), leads=(0,))]
    assert plan(due_yesterday_in_almaty, ALMATY, now) == []
    assert plan(due_yesterday_in_almaty, BERLIN, now) == [("return.ship.due_today", now)]


@pytest.mark.parametrize(
    ("moment", "tz", "expected"),
    [
        (local(MOSCOW, 2026, 3, 5, 23, 30), MOSCOW, local(MOSCOW, 2026, 3, 6, 10)),
        (local(MOSCOW, 2026, 3, 5, 22, 0), MOSCOW, local(MOSCOW, 2026, 3, 6, 10)),
        (local(MOSCOW, 2026, 3, 6, 2, 0), MOSCOW, local(MOSCOW, 2026, 3, 6, 10)),
        (local(MOSCOW, 2026, 3, 6, 8, 59), MOSCOW, local(MOSCOW, 2026, 3, 6, 10)),
        (local(MOSCOW, 2026, 3, 6, 9, 0), MOSCOW, local(MOSCOW, 2026, 3, 6, 9, 0)),
        (local(MOSCOW, 2026, 3, 6, 21, 59), MOSCOW, local(MOSCOW, 2026, 3, 6, 21, 59)),
        (local(ALMATY, 2026, 3, 5, 23, 30), ALMATY, local(ALMATY, 2026, 3, 6, 10)),
        (local(BERLIN, 2026, 3, 28, 23, 30), BERLIN, local(BERLIN, 2026, 3, 29, 10)),
        (local(BERLIN, 2026, 10, 25, 2, 30), BERLIN, local(BERLIN, 2026, 10, 25, 10)),
        (utc(2026, 3, 5, 20, 30), MOSCOW, utc(2026, 3, 6, 7)),
    ],
)
def test_shift_out_of_quiet_hours(moment, tz, expected):
    shifted = shift_out_of_quiet_hours(moment, tz, DEFAULT_RULES)
    assert shifted == expected
    assert shifted.tzinfo is UTC


def test_quiet_hours_from_the_operator():
    rules = replace(DEFAULT_RULES, schedule=Schedule(time(23), time(7), time(8)))
    assert shift_out_of_quiet_hours(local(MOSCOW, 2026, 3, 5, 22, 30), MOSCOW, rules) == local(
        MOSCOW, 2026, 3, 5, 22, 30
    )
    assert shift_out_of_quiet_hours(local(MOSCOW, 2026, 3, 5, 23, 30), MOSCOW, rules) == local(
        MOSCOW, 2026, 3, 6, 8
    )
    plan_ = plan([deadline(D(2026, 3, 15), leads=(0,))], MOSCOW, utc(2026, 3, 1), rules)
    assert plan_ == [("return.ship.due_today", local(MOSCOW, 2026, 3, 15, 8))]


def test_a_catch_up_at_2330_moves_to_the_morning_if_that_is_not_too_late():
    now = local(MOSCOW, 2026, 3, 5, 23, 30)
    due_tomorrow = [deadline(D(2026, 3, 6), leads=(2,))]
    assert plan(due_tomorrow, MOSCOW, now) == [
        ("return.ship.due_in_2d", local(MOSCOW, 2026, 3, 6, 10))
    ]


def test_a_catch_up_on_the_last_evening_is_due_now():
    now = local(MOSCOW, 2026, 3, 5, 23, 30)
    assert plan([deadline(D(2026, 3, 5))], MOSCOW, now) == [
        ("return.ship.due_today", now.astimezone(UTC))
    ]


def test_past_moments_are_dropped_while_a_later_one_is_ahead():
    now = local(MOSCOW, 2026, 3, 5, 12)
    assert plan([deadline(D(2026, 3, 6))], MOSCOW, now) == [
        ("return.ship.due_today", local(MOSCOW, 2026, 3, 6, 10))
    ]


def test_the_last_reminder_of_a_live_deadline_is_due_now():
    now = local(MOSCOW, 2026, 3, 5, 15)
    assert plan([deadline(D(2026, 3, 5))], MOSCOW, now) == [
        ("return.ship.due_today", now.astimezone(UTC))
    ]


def test_a_moment_exactly_now_is_kept():
    now = local(MOSCOW, 2026, 3, 5, 10)
    assert plan([deadline(D(2026, 3, 5))], MOSCOW, now) == [("return.ship.due_today", now)]


def test_passed_deadlines_and_deadlines_without_leads_get_nothing():
    now = local(MOSCOW, 2026, 3, 5, 12)
    assert plan([deadline(D(2026, 3, 4)), deadline(D(2026, 3, 20), leads=())], MOSCOW, now) == []


def test_the_plan_is_sorted_by_time():
    now = utc(2026, 3, 1)
    deadlines = [
        deadline(D(2026, 3, 20), kind="dispute.appeal"),
        deadline(D(2026, 3, 10), leads=(0,), kind="dispute.seller_reply"),
    ]
    assert [kind for kind, _ in plan(deadlines, MOSCOW, now)] == [
        "dispute.seller_reply.due_today",
        "dispute.appeal.due_in_2d",
        "dispute.appeal.due_today",
    ]


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        (local(MOSCOW, 2026, 3, 5, 23, 30), MOSCOW, local(MOSCOW, 2026, 3, 6, 10)),
        (local(MOSCOW, 2026, 3, 6, 0, 30), MOSCOW, local(MOSCOW, 2026, 3, 7, 10)),
        (local(MOSCOW, 2026, 3, 5, 8, 0), MOSCOW, local(MOSCOW, 2026, 3, 6, 10)),
        (local(ALMATY, 2026, 3, 5, 12, 0), ALMATY, utc(2026, 3, 6, 5)),
        (local(BERLIN, 2026, 3, 28, 12, 0), BERLIN, utc(2026, 3, 29, 8)),
        (local(BERLIN, 2026, 10, 24, 12, 0), BERLIN, utc(2026, 10, 25, 9)),
    ],
)
def test_tomorrow_morning(now, tz, expected):
    moment = tomorrow_morning(now, tz, DEFAULT_RULES)
    assert moment == expected
    assert moment.tzinfo is UTC


def test_naive_moments_are_refused():
    naive = datetime(2026, 3, 5, 12)
    with pytest.raises(ValueError, match="aware"):
        plan_reminders([], DEFAULT_RULES, MOSCOW, naive)
    with pytest.raises(ValueError, match="aware"):
        shift_out_of_quiet_hours(naive, MOSCOW, DEFAULT_RULES)
    with pytest.raises(ValueError, match="aware"):
        tomorrow_morning(naive, MOSCOW, DEFAULT_RULES)


def test_a_waiting_case_from_deadlines_to_reminders():
    timeline = CaseTimeline(
        site="aliexpress.com",
        order_date=D(2026, 1, 10),
        shipped_on=D(2026, 1, 12),
        protection_end=D(2026, 3, 20),
    )
    now = local(MOSCOW, 2026, 3, 10, 18)
    deadlines = compute_deadlines(timeline, DEFAULT_RULES, now.date())
    assert plan(deadlines, MOSCOW, now) == [
        ("protection.extend.due_today", utc(2026, 3, 13, 7)),
        ("protection.urgent.due_today", utc(2026, 3, 18, 7)),
        ("dispute.open_last_safe.due_today", utc(2026, 3, 19, 7)),
        ("dispute.open_last.due_in_2d", utc(2026, 4, 2, 7)),
        ("dispute.open_last.due_today", utc(2026, 4, 4, 7)),
    ]
