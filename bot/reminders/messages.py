"""The reminder message: what is due and when, what to do now, and its three buttons."""

from __future__ import annotations

from datetime import date

from bot.i18n import Texts
from bot.ui import Say, data
from flows.deadlines import AFTER, PassedDeadline


def day_text(texts: Texts, day: date, today: date) -> str:
    """A date as people say it: "15 марта", with the year when it is not this year."""
    month = texts(f"reminder.month.{day.month}")
    if day.year == today.year:
        return texts("reminder.date", day=day.day, month=month)
    return texts("reminder.date_year", day=day.day, month=month, year=day.year)


def after_key(deadline_kind: str, passed: list[PassedDeadline]) -> str | None:
    """What can still be done once this deadline has passed, if the rules say anything."""
    for item in passed:
        if item.deadline.kind == deadline_kind:
            return item.after
    if deadline_kind in AFTER and passed:
        return passed[-1].after
    return AFTER.get(deadline_kind)


def reminder_say(
    texts: Texts,
    reminder_id: int,
    case_id: int,
    deadline_kind: str,
    deadline: date,
    today: date,
    after: str | None = None,
) -> Say:
    """The message, with "done", "remind me tomorrow" and "open the case"."""
    what = texts(f"deadline.{deadline_kind}.what")
    when = day_text(texts, deadline, today)
    days = (deadline - today).days
    if days > 0:
        head = texts("reminder.ahead", case_id=case_id, what=what, date=when, days=days)
    elif days == 0:
        head = texts("reminder.today", case_id=case_id, what=what, date=when)
    else:
        head = texts("reminder.passed", case_id=case_id, what=what, date=when)
    if days < 0 and after is not None:
        body = texts("reminder.still", what=texts(after))
    else:
        body = texts("reminder.now", what=texts(f"deadline.{deadline_kind}.todo"))
    buttons = [
        [
            (texts("reminder.done"), data("rem", "done", reminder_id)),
            (texts("reminder.tomorrow"), data("rem", "later", reminder_id)),
        ],
        [(texts("reminder.open"), data("card", "show", case_id))],
    ]
    return Say(f"{head}\n\n{body}", buttons)
