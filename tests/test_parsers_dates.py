"""Dates, spans of time and the protection countdown, against a fixed today."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.errors import ParseError
from flows.parsers.calendar_words import MONTHS
from flows.parsers.dates import (
    ProtectionEnd,
    as_date,
    parse_date,
    parse_end_date,
    parse_protection_end,
)
from flows.parsers.durations import Duration, parse_duration

TODAY = date(2024, 7, 27)
past = partial(parse_date, today=TODAY)
ahead = partial(parse_end_date, today=TODAY)
protection = partial(parse_protection_end, today=TODAY)

PAST = [
    ("27.07.2017", "2017-07-27"),
    ("27.07.17", "2017-07-27"),
    ("27/07/2017", "2017-07-27"),
    ("27-07-2017", "2017-07-27"),
    ("2017-07-27", "2017-07-27"),
    ("1.5.2024", "2024-05-01"),
    ("27 июля", "2024-07-27"),
    ("27 июля 2017", "2017-07-27"),
    ("27 июл", "2024-07-27"),
    ("27 июл. 2023 г.", "2023-07-27"),
    ("1 мая 2024 г.", "2024-05-01"),
    ("1 Мая 2024 года", "2024-05-01"),
    ("27-го июля", "2024-07-27"),
    ("3 сент 2023", "2023-09-03"),
    ("Jul 27, 2024", "2024-07-27"),
    ("27 Jul 2024", "2024-07-27"),
    ("Дата заказа: 27.07.2024 15:30", "2024-07-27"),
    ("27\u00a0июля\u00a02024", "2024-07-27"),
    ("сегодня", "2024-07-27"),
    ("Вчера", "2024-07-26"),
    ("вчера вечером", "2024-07-26"),
    ("позавчера", "2024-07-25"),
    ("3 дня назад", "2024-07-24"),
    ("неделю назад", "2024-07-20"),
    ("две недели назад", "2024-07-13"),
    ("примерно неделю назад", "2024-07-20"),
    ("месяц назад", "2024-06-27"),
    # Without a year: the latest past occurrence.
    ("28 июля", "2023-07-28"),
    ("27.07", "2024-07-27"),
    ("31 декабря", "2023-12-31"),
    ("29.02", "2024-02-29"),
]

AHEAD = [
    ("28 июля", "2024-07-28"),
    ("5 августа", "2024-08-05"),
    ("20 мая", "2024-05-20"),
    ("1 января", "2025-01-01"),
    ("завтра", "2024-07-28"),
    ("через 3 дня", "2024-07-30"),
    ("27.08.2024", "2024-08-27"),
]

PROTECTION = [
    ("12 дней", {"end": "2024-08-08", "expired": False}),
    ("12 дн. 5 ч.", {"end": "2024-08-08", "expired": False}),
    ("Осталось: 12 д. 05:23:11", {"end": "2024-08-08", "expired": False}),
    ("осталось 3 дня", {"end": "2024-07-30", "expired": False}),
    ("2 дня 10 часов", {"end": "2024-07-29", "expired": False}),
    ("5", {"end": "2024-08-01", "expired": False}),
    ("05:23:11", {"end": "2024-07-27", "expired": False}),
    ("1 месяц", {"end": "2024-08-27", "expired": False}),
    ("до 5 августа", {"end": "2024-08-05", "expired": False}),
    ("27.08.2024", {"end": "2024-08-27", "expired": False}),
    ("20 июля", {"end": "2024-07-20", "expired": True}),
    ("0", {"end": "2024-07-27", "expired": True}),
    ("истекла", {"end": None, "expired": True}),
    ("Защита закончилась", {"end": None, "expired": True}),
    ("истекла 20 июля", {"end": "2024-07-20", "expired": True}),
]

ERRORS: list[tuple[Callable[[str], object], str, str]] = [
    (past, "", "parse.date.format"),
    (past, "абв", "parse.date.format"),
    (past, "давно назад", "parse.date.format"),
    (past, "31.02.2024", "parse.date.invalid"),
    (past, "29.02.2023", "parse.date.invalid"),
    (past, "32 июля", "parse.date.invalid"),
    (past, "13.13.2024", "parse.date.invalid"),
    (past, "07/27/2024", "parse.date.swapped"),
    (past, "27", "parse.date.incomplete"),
    (past, "июль", "parse.date.incomplete"),
    (past, "в марте", "parse.date.incomplete"),
    (past, "2017", "parse.date.incomplete"),
    (past, "28.07.2024", "parse.date.future"),
    (past, "завтра", "parse.date.future"),
    (past, "через 3 дня", "parse.date.future"),
    (past, "27.07.2009", "parse.date.too_old"),
    (past, "100000 дней назад", "parse.date.too_old"),
    (ahead, "27.07.2026", "parse.date.too_far"),
    (ahead, "через 99999999999 дней", "parse.date.too_far"),
    (protection, "привет", "parse.protection.format"),
    (protection, "не истекла", "parse.protection.format"),
    (protection, "2024", "parse.protection.too_long"),
    (protection, "31.02", "parse.date.invalid"),
]


@pytest.mark.parametrize(("text", "iso"), PAST)
def test_past_dates(text: str, iso: str) -> None:
    assert past(text) == iso


@pytest.mark.parametrize(("text", "iso"), AHEAD)
def test_end_dates_may_lie_ahead(text: str, iso: str) -> None:
    assert ahead(text) == iso


@pytest.mark.parametrize(("text", "stored"), PROTECTION)
def test_protection_end(text: str, stored: dict[str, object]) -> None:
    assert protection(text) == stored


@pytest.mark.parametrize(("parse", "text", "code"), ERRORS, ids=[e[1][:30] for e in ERRORS])
def test_faults_are_named(parse: Callable[[str], object], text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.code == code


def test_today_defaults_to_the_real_today() -> None:
    assert parse_date("сегодня") == date.today().isoformat()


def test_readers_give_typed_values_back() -> None:
    assert as_date(past("27 июля 2017")) == date(2017, 7, 27)
    assert ProtectionEnd.from_json(protection("12 дней")) == ProtectionEnd(date(2024, 8, 8), False)
    assert ProtectionEnd.from_json(protection("истекла")) == ProtectionEnd(None, True)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("3 дня", Duration(days=3)),
        ("неделю", Duration(days=7)),
        ("12 дн. 5 ч.", Duration(days=12, seconds=5 * 3600)),
        ("5", Duration(days=5, bare=True)),
        ("2 месяца", Duration(months=2)),
        ("привет", None),
        ("12 5 дней", None),
        ("2 дня 10", None),
    ],
)
def test_spans(text: str, span: Duration | None) -> None:
    assert parse_duration(text) == span


days_back = st.integers(min_value=0, max_value=(TODAY - date(2010, 1, 1)).days)


def _written(day: date, style: int) -> str:
    """One of the ways a buyer writes a date with its year."""
    month_word = MONTHS[day.month][0]
    return [
        f"{day:%d.%m.%Y}",
        f"{day.day}.{day.month}.{day:%y}",
        f"{day:%d/%m/%Y}",
        day.isoformat(),
        f"{day.day} {month_word} {day.year}",
        f"{day.day} {month_word[:3]} {day.year} г.",
    ][style]


@given(days_back, st.integers(0, 5))
def test_written_dates_round_trip(back: int, style: int) -> None:
    day = TODAY - timedelta(days=back)
    assert past(_written(day, style)) == day.isoformat()


@given(st.integers(min_value=0, max_value=364))
def test_dates_without_a_year_are_the_latest_past_occurrence(back: int) -> None:
    day = TODAY - timedelta(days=back)
    assert past(f"{day.day} {MONTHS[day.month][0]}") == day.isoformat()
    assert past(f"{day.day:02d}.{day.month:02d}") == day.isoformat()


@given(st.integers(min_value=0, max_value=365))
def test_days_left_round_trip(days: int) -> None:
    expected = (TODAY + timedelta(days=days)).isoformat()
    assert protection(f"{days} дней")["end"] == expected
