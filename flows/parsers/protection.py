"""The buyer-protection countdown read off the order page: a date or the time left."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypedDict

from flows.errors import ParseError
from flows.parsers.date_reading import read_date
from flows.parsers.durations import Duration, add_months, parse_duration
from flows.parsers.normalize import folded

MAX_DAYS_LEFT = 365
EXPIRED_WORDS = frozenset(
    {"истекла", "истек", "истекло", "закончилась", "закончился", "кончилась", "вышла", "вышло",
     "прошла", "завершена", "завершилась", "expired", "ended", "over"}
)  # fmt: skip
NEGATIONS = frozenset({"не", "not"})
FILLERS = frozenset(
    {"осталось", "остается", "еще", "до", "защита", "защиты", "покупателя", "заканчивается",
     "закончится", "истекает", "истечет", "через", "примерно", "около", "всего", "время",
     "срок", "и", "left", "ends", "in", "and", "protection", "buyer"}
)  # fmt: skip
_WORD = re.compile(r"[a-zа-я]+")


class ProtectionJson(TypedDict):
    end: str | None
    expired: bool


@dataclass(frozen=True)
class ProtectionEnd:
    """A stored protection end read back; `end` is None when it ran out on an unknown day."""

    end: date | None
    expired: bool

    @classmethod
    def from_json(cls, value: ProtectionJson) -> ProtectionEnd:
        """The ProtectionEnd a stored `parse_protection_end` value holds."""
        end = value["end"]
        return cls(None if end is None else date.fromisoformat(end), value["expired"])


def parse_protection_end(text: str, *, today: date | None = None) -> ProtectionJson:
    """{"end": ISO date or None, "expired": bool} from a date, the time left, or "истекла"."""
    today = today or date.today()
    folded_text = folded(text)
    words = set(_WORD.findall(folded_text))
    if words & EXPIRED_WORDS and not words & NEGATIONS:
        return _expired(text, today)
    span = parse_duration(folded_text, fillers=FILLERS)
    if span is None:
        return _from_date(text, today)
    if span.is_zero:
        return {"end": today.isoformat(), "expired": True}
    return {"end": _ahead(today, span).isoformat(), "expired": False}


def _ahead(today: date, span: Duration) -> date:
    """Today plus the span; part days are dropped, so the end is never later than the real one."""
    try:
        end = add_months(today, span.months) + timedelta(days=span.days)
    except (OverflowError, ValueError):
        end = date.max
    if (end - today).days > MAX_DAYS_LEFT:
        raise ParseError("parse.protection.too_long", max=MAX_DAYS_LEFT)
    return end


def _expired(text: str, today: date) -> ProtectionJson:
    """Ran out: on the date the text gives ("истекла 20 июля"), else on an unknown day."""
    try:
        end: str | None = read_date(text, today, future_ok=False).isoformat()
    except ParseError:
        end = None
    return {"end": end, "expired": True}


def _from_date(text: str, today: date) -> ProtectionJson:
    try:
        end = read_date(text, today, future_ok=True)
    except ParseError as error:
        if error.code == "parse.date.format":
            raise ParseError("parse.protection.format") from None
        raise
    return {"end": end.isoformat(), "expired": end < today}
