"""Reading a date as Russians write it: "27.07.2017", "27 июля", "вчера", "3 дня назад"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flows.errors import ParseError
from flows.parsers.calendar_words import (
    AGO_WORDS,
    AHEAD_WORDS,
    RELATIVE_DAYS,
    SPAN_FILLERS,
    month_number,
)
from flows.parsers.durations import Duration, add_months, parse_duration
from flows.parsers.normalize import folded

# AliExpress opened in 2010: an earlier date is a typo in the year.
EARLIEST = date(2010, 1, 1)
MAX_DAYS_AHEAD = 366
# A year-less date may fall this many years back (29 February looks back to a leap year).
YEARS_BACK = 8

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})(?:[./-](\d{4}|\d{2}))?(?!\d|[./-]\d)")
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:-?(?:го|е|ое))?\s*([a-zа-я]+)\.?(?:,?\s*(\d{4}))?")
_MONTH_DAY = re.compile(r"([a-zа-я]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(\d{4}))?(?!\d)")
_WORD = re.compile(r"[a-zа-я]+")


def read_date(text: str, today: date, *, future_ok: bool) -> date:
    """The date a text names, within bounds; a year-less date is resolved against today."""
    return _bounded(_read(folded(text), today, future_ok), today, future_ok)


def _read(text: str, today: date, future_ok: bool) -> date:
    """The date the folded text names, before any bounds are checked."""
    written = _written_date(text, today, future_ok)
    if written is not None:
        return written
    relative = _relative_date(text, today)
    if relative is not None:
        return relative
    if text.isdigit() or any(month_number(word) for word in _WORD.findall(text)):
        raise ParseError("parse.date.incomplete")
    raise ParseError("parse.date.format")


def _written_date(text: str, today: date, future_ok: bool) -> date | None:
    """A date written with digits or a month name."""
    if match := _ISO.search(text):
        return _make(int(match[3]), int(match[2]), int(match[1]), today, future_ok)
    if match := _NUMERIC.search(text):
        return _make(int(match[1]), int(match[2]), _year(match[3]), today, future_ok)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for match in pattern.finditer(text):
            month = month_number(match[month_group])
            if month is not None:
                day = int(match[day_group])
                return _make(day, month, _year(match[3]), today, future_ok)
    return None


def _relative_date(text: str, today: date) -> date | None:
    """A date named relative to today: "вчера", "3 дня назад", "через неделю"."""
    words = _WORD.findall(text)
    offsets = [RELATIVE_DAYS[word] for word in words if word in RELATIVE_DAYS]
    if offsets:
        return today + timedelta(days=offsets[0])
    for direction, markers in ((-1, AGO_WORDS), (1, AHEAD_WORDS)):
        marker = next((word for word in markers if word in words), None)
        if marker is not None:
            rest = re.sub(rf"\b{marker}\b", " ", text)
            span = parse_duration(rest, fillers=SPAN_FILLERS)
            return None if span is None else _shift(today, span, direction)
    return None


def _shift(today: date, span: Duration, direction: int) -> date:
    """Today moved by a span, either way; a span past the calendar's end is out of bounds."""
    try:
        moved = add_months(today, direction * span.months)
        return moved + timedelta(days=direction * span.days)
    except (OverflowError, ValueError):
        if direction < 0:
            raise ParseError("parse.date.too_old", year=EARLIEST.year) from None
        raise ParseError("parse.date.too_far") from None


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make(day: int, month: int, year: int | None, today: date, future_ok: bool) -> date:
    """The date of these parts, or the ParseError that names the impossible part."""
    if not 1 <= month <= 12:
        swapped = 1 <= day <= 12 and 13 <= month <= 31
        raise ParseError("parse.date.swapped" if swapped else "parse.date.invalid")
    if year is None:
        return _latest_occurrence(day, month, today, future_ok)
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError("parse.date.invalid") from None


def _latest_occurrence(day: int, month: int, today: date, future_ok: bool) -> date:
    """The past occurrence nearest today, or the nearest either way when future_ok."""
    candidates = []
    for year in range(today.year - YEARS_BACK, today.year + 2):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if future_ok and candidates:
        return min(candidates, key=lambda candidate: (abs(candidate - today), -candidate.year))
    past = [candidate for candidate in candidates if candidate <= today]
    if not past:
        raise ParseError("parse.date.invalid")
    return past[-1]


def _bounded(day: date, today: date, future_ok: bool) -> date:
    if day < EARLIEST:
        raise ParseError("parse.date.too_old", year=EARLIEST.year)
    if day > today and not future_ok:
        raise ParseError("parse.date.future")
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ParseError("parse.date.too_far")
    return day
