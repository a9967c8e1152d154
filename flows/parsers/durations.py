"""Spans of time as buyers type them: "3 дня", "неделю", "12 дн. 5 ч.", "05:23:11"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from flows.parsers.normalize import folded
from flows.parsers.number_words import read_number

_UNIT_WORDS = {
    "year": "год года лет year years y",
    "month": "мес месяц месяца месяцев month months mo",
    "week": "нед неделя недели неделю недель week weeks w",
    "day": "д дн день дня дней сут сутки суток d day days",
    "hour": "ч час часа часов h hr hrs hour hours",
    "minute": "м мин минута минуты минут минуту m min mins minute minutes",
    "second": "с сек секунда секунды секунд секунду s sec secs second seconds",
}
UNITS = {word: unit for unit, words in _UNIT_WORDS.items() for word in words.split()}
SECONDS_IN = {"hour": 3600, "minute": 60, "second": 1}

_TOKEN = re.compile(r"\d{1,3}:\d{2}(?::\d{2})?|\d+|[a-zа-я]+")


@dataclass(frozen=True)
class Duration:
    """Calendar months, whole days and the seconds of a part day; `bare` for a lone number."""

    months: int = 0
    days: int = 0
    seconds: int = 0
    bare: bool = False

    @property
    def is_zero(self) -> bool:
        return self.months == self.days == self.seconds == 0


def parse_duration(text: str, *, fillers: frozenset[str] = frozenset()) -> Duration | None:
    """The span the text names, or None when it is not (only) a span; a lone number is days."""
    tokens = [token for token in _TOKEN.findall(folded(text)) if token not in fillers]
    totals = {"months": 0, "days": 0, "seconds": 0}
    pending: int | None = None
    for token in tokens:
        number = read_number(token)
        if number is not None:
            if pending is not None:
                return None
            pending = number
        elif ":" in token:
            totals["seconds"] += _clock_seconds(token)
        elif token in UNITS:
            _add(totals, UNITS[token], 1 if pending is None else pending)
            pending = None
        else:
            return None
    return _finish(totals, pending, tokens)


def _finish(totals: dict[str, int], pending: int | None, tokens: list[str]) -> Duration | None:
    if pending is not None and len(tokens) > 1:
        return None
    if pending is not None:
        return Duration(days=pending, bare=True)
    if not tokens:
        return None
    return Duration(months=totals["months"], days=totals["days"], seconds=totals["seconds"])


def _clock_seconds(token: str) -> int:
    """Seconds in "05:23" or "05:23:11" read as hours, minutes and seconds."""
    parts = [int(part) for part in token.split(":")]
    hours, minutes, seconds = (*parts, 0)[:3]
    return hours * 3600 + minutes * 60 + seconds


def _add(totals: dict[str, int], unit: str, count: int) -> None:
    if unit == "year":
        totals["months"] += 12 * count
    elif unit == "month":
        totals["months"] += count
    elif unit == "week":
        totals["days"] += 7 * count
    elif unit == "day":
        totals["days"] += count
    else:
        totals["seconds"] += SECONDS_IN[unit] * count


def add_months(day: date, months: int) -> date:
    """The same day some calendar months later (or earlier), clamped to the month's end."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
