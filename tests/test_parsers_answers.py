"""Free text, names, yes/no, post offices, act numbers, percentages and days."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from flows.errors import ParseError
from flows.parsers.choices import parse_yes_no
from flows.parsers.counts import parse_days, parse_percent
from flows.parsers.post_office import PostOffice, parse_post_office
from flows.parsers.text import (
    parse_act_number,
    parse_item_name,
    parse_store_name,
    parse_text,
)

description = partial(parse_text, min_len=10, max_len=100)

YES_NO = [
    ("да", True),
    ("Да!", True),
    ("ага", True),
    ("угу", True),
    ("было", True),
    ("+", True),
    ("👍", True),
    ("yes", True),
    ("нет", False),
    ("не", False),
    ("Нет, не было", False),
    ("неа", False),
    ("да нет", False),
    ("-", False),
    ("—", False),
    ("no", False),
]

POST_OFFICES = [
    ("ММПО Внуково", {"index": None, "name": "ММПО Внуково"}),
    ("Москва 101000", {"index": "101000", "name": "Москва"}),
    ("101000, Москва", {"index": "101000", "name": "Москва"}),
    ("101000", {"index": "101000", "name": None}),
    ("индекс 101000", {"index": "101000", "name": None}),
    ("  Шереметьево  ", {"index": None, "name": "Шереметьево"}),
]

ACT_NUMBERS = [
    ("123", "123"),
    ("51-в № 123", "123"),
    ("Акт ф.51в № 7-а", "7-А"),
    ("№ 45", "45"),
    ("акт №12 от 27.07.2024", "12"),
    ("Акт 12/345", "12/345"),
    ("12 / 34", "12/34"),
]

ERRORS: list[tuple[Callable[[str], object], str, str]] = [
    (parse_text, "", "parse.text.empty"),
    (parse_text, " \n \n ", "parse.text.empty"),
    (parse_text, "!!! 😡", "parse.text.no_words"),
    (description, "коротко", "parse.text.too_short"),
    (description, "очень " * 30, "parse.text.too_long"),
    (parse_store_name, "x", "parse.text.too_short"),
    (parse_store_name, "https://aliexpress.ru/store/1234", "parse.text.link"),
    (parse_item_name, "aliexpress.com/item/1005.html", "parse.text.link"),
    (parse_yes_no, "не знаю", "parse.yes_no.unsure"),
    (parse_yes_no, "возможно", "parse.yes_no.unsure"),
    (parse_yes_no, "кот", "parse.yes_no.unclear"),
    (parse_yes_no, "", "parse.yes_no.unclear"),
    (parse_post_office, "", "parse.post_office.empty"),
    (parse_post_office, "!!!", "parse.post_office.format"),
    (parse_post_office, "123", "parse.post_office.format"),
    (parse_post_office, "Москва 10100", "parse.post_office.index_length"),
    (parse_post_office, "101000 102000", "parse.post_office.several"),
    (parse_post_office, "Москва " * 30, "parse.text.too_long"),
    (parse_act_number, "", "parse.act.empty"),
    (parse_act_number, "акт", "parse.act.empty"),
    (parse_act_number, "ф. 51-в", "parse.act.form_only"),
    (parse_act_number, "абв", "parse.act.no_digits"),
    (parse_act_number, "№ 12;3", "parse.act.characters"),
    (parse_act_number, "1" * 31, "parse.act.too_long"),
    (parse_percent, "много", "parse.percent.format"),
    (parse_percent, "12,5%", "parse.percent.whole"),
    (parse_percent, "150%", "parse.percent.range"),
    (parse_percent, "0", "parse.percent.range"),
    (parse_days, "скоро", "parse.days.format"),
    (parse_days, "0", "parse.days.range"),
    (parse_days, "1000 дней", "parse.days.range"),
]


def test_text_is_tidied() -> None:
    assert parse_text("  привет\u00a0\u00a0 мир \n\n\n\n ок ") == "привет мир\n\nок"


def test_names_are_one_line() -> None:
    assert parse_store_name(" Xiaomi\u00a0 Official\nStore ") == "Xiaomi Official Store"
    assert parse_item_name("Смартфон\nXiaomi 13") == "Смартфон Xiaomi 13"


def test_length_errors_give_the_limit_and_the_count() -> None:
    with pytest.raises(ParseError) as caught:
        description("коротко")
    assert caught.value.params == {"min": 10, "count": 7}


@pytest.mark.parametrize(("text", "answer"), YES_NO)
def test_yes_no(text: str, answer: bool) -> None:
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize(("text", "stored"), POST_OFFICES)
def test_post_offices(text: str, stored: dict[str, str | None]) -> None:
    assert parse_post_office(text) == stored


def test_post_office_reads_back() -> None:
    assert PostOffice.from_json(parse_post_office("Москва 101000")) == PostOffice(
        "101000", "Москва"
    )


@pytest.mark.parametrize(("text", "number"), ACT_NUMBERS)
def test_act_numbers(text: str, number: str) -> None:
    assert parse_act_number(text) == number


@pytest.mark.parametrize(
    ("text", "percent"), [("50%", 50), ("50 %", 50), ("50 процентов", 50), ("половину", 50)]
)
def test_percentages(text: str, percent: int) -> None:
    assert parse_percent(text) == percent


@pytest.mark.parametrize(
    ("text", "days"), [("5", 5), ("5 дней", 5), ("две недели", 14), ("месяц", 30)]
)
def test_days(text: str, days: int) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize(("parse", "text", "code"), ERRORS, ids=[e[1][:30] for e in ERRORS])
def test_faults_are_named(parse: Callable[[str], object], text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.code == code
