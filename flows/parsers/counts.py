"""Whole numbers the flows ask for: a refund percentage, a number of days."""

from __future__ import annotations

import re

from flows.errors import ParseError
from flows.parsers.durations import parse_duration
from flows.parsers.normalize import folded

DAYS_IN_MONTH = 30
PERCENT_MARKS = re.compile(r"%|процент\w*|проц\.?|percent|pct")
HALF_WORDS = ("половин", "half")
FILLERS = frozenset({"примерно", "около", "всего", "только", "где", "то", "about"})

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse_percent(text: str, *, min_percent: int = 1, max_percent: int = 100) -> int:
    """A whole percentage: "50%", "50 процентов", "половину"."""
    answer = PERCENT_MARKS.sub(" ", folded(text))
    if any(word in answer for word in HALF_WORDS):
        value = 50
    else:
        value = _whole(answer, "parse.percent.format", "parse.percent.whole")
    if not min_percent <= value <= max_percent:
        raise ParseError("parse.percent.range", min=min_percent, max=max_percent)
    return value


def parse_days(text: str, *, min_days: int = 1, max_days: int = 365) -> int:
    """A number of days: "5", "5 дней", "две недели", "месяц" (30 days)."""
    span = parse_duration(text, fillers=FILLERS)
    if span is None:
        raise ParseError("parse.days.format")
    days = span.days + span.months * DAYS_IN_MONTH
    if not min_days <= days <= max_days:
        raise ParseError("parse.days.range", min=min_days, max=max_days)
    return days


def _whole(text: str, format_code: str, fraction_code: str) -> int:
    """The one whole number in the text; `format_code` or `fraction_code` names the fault."""
    numbers = _NUMBER.findall(text)
    if len(numbers) != 1:
        raise ParseError(format_code)
    if any(mark in numbers[0] for mark in ".,"):
        raise ParseError(fraction_code)
    return int(numbers[0])
