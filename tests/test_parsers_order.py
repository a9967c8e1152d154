"""Order numbers: 14 to 16 digits, and the faults the bot names."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flows.errors import ParseError
from flows.parsers.order import parse_order_number

ORDER_LINK = "https://aliexpress.ru/order-list/detail?orderId=8123456789012345"

VALID = [
    ("8123456789012345", "8123456789012345"),
    ("81234567890123", "81234567890123"),
    ("812345678901234", "812345678901234"),
    ("8123 4567 8901 2345", "8123456789012345"),
    ("8123-4567-8901-2345", "8123456789012345"),
    ("8123\u00a04567\u00a08901\u00a02345", "8123456789012345"),
    ("№8123456789012345", "8123456789012345"),
    ("Номер заказа: 8123456789012345", "8123456789012345"),
    ("Order ID: 8123456789012345", "8123456789012345"),
    ("мой заказ 8123 4567 8901 2345, спасибо", "8123456789012345"),
    (ORDER_LINK, "8123456789012345"),
]

ERRORS: list[tuple[Callable[[str], object], str, str]] = [
    (parse_order_number, "", "parse.order.empty"),
    (parse_order_number, "номер заказа", "parse.order.empty"),
    (parse_order_number, "не помню", "parse.order.no_digits"),
    (parse_order_number, "81234567890123O5", "parse.order.letters"),
    (parse_order_number, "12345", "parse.order.too_short"),
    (parse_order_number, "8123456789012", "parse.order.too_short"),
    (parse_order_number, "81234567890123456", "parse.order.too_long"),
    (parse_order_number, "RA123456785CN", "parse.order.tracking_number"),
    (parse_order_number, "RA123456784CN", "parse.order.tracking_number"),
    (parse_order_number, "LP00123456789012", "parse.order.tracking_number"),
    (parse_order_number, "https://aliexpress.ru/item/100500.html", "parse.order.url"),
    (parse_order_number, "8123456789012345 8123456789012346", "parse.order.several"),
]


@pytest.mark.parametrize(("text", "number"), VALID)
def test_valid_order_numbers(text: str, number: str) -> None:
    assert parse_order_number(text) == number


@pytest.mark.parametrize(("parse", "text", "code"), ERRORS, ids=[e[1][:30] for e in ERRORS])
def test_faults_are_named(parse: Callable[[str], object], text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.code == code


def test_length_errors_give_the_count_and_the_limit() -> None:
    with pytest.raises(ParseError) as caught:
        parse_order_number("12345")
    assert caught.value.params == {"count": 5, "min": 14}


def test_letters_error_names_the_letters() -> None:
    with pytest.raises(ParseError) as caught:
        parse_order_number("81234567890123O5")
    assert caught.value.params == {"chars": "O"}
