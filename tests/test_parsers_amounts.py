"""Weights in grams and money with its currency: tables and round trips."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.errors import ParseError
from flows.parsers.money import Money, parse_money
from flows.parsers.weights import parse_weight

rubles_by_default = partial(parse_money, default_currency="RUB")

WEIGHTS = [
    ("508 гр", 508),
    ("508 г", 508),
    ("508г", 508),
    ("508 гр.", 508),
    ("508 грамм", 508),
    ("508 g", 508),
    ("0,508 кг", 508),
    ("0.5 kg", 500),
    ("1.2кг", 1200),
    ("1 кг 200 г", 1200),
    ("1 кг 200", 1200),
    ("1 500 г", 1500),
    ("1,500 г", 1500),  # three digits after a mark in grams: thousands
    ("508", 508),  # bare whole number: grams
    ("5", 5),
    ("0,52", 520),  # bare number with a decimal mark below 50: kilograms
    ("12,500", 12500),
    ("50,5", 51),  # ... from 50 up: grams, rounded
    ("вес: 0,52 кг", 520),
    ("100 кг", 100_000),
]

MONEY = [
    ("12 168,71 руб", "12168.71", "RUB"),
    ("12\u00a0168,71\u00a0₽", "12168.71", "RUB"),
    ("12168.71 ₽", "12168.71", "RUB"),
    ("1 500 р.", "1500.00", "RUB"),
    ("300 рублей", "300.00", "RUB"),
    ("$25.90", "25.90", "USD"),
    ("US $25.90", "25.90", "USD"),
    ("25.90 USD", "25.90", "USD"),
    ("25,9 $", "25.90", "USD"),
    ("12,168.71 $", "12168.71", "USD"),
    ("€10", "10.00", "EUR"),
    ("10 евро", "10.00", "EUR"),
    ("1.234,56 €", "1234.56", "EUR"),
    ("5000 тенге", "5000.00", "KZT"),
    ("5000 ₸", "5000.00", "KZT"),
    ("100 BYN", "100.00", "BYN"),
    ("100 бел. руб.", "100.00", "BYN"),
    ("Сумма: 1 234,50 ₽", "1234.50", "RUB"),
    ("15 тыс. руб", "15000.00", "RUB"),
    ("1,5к ₽", "1500.00", "RUB"),
]

ERRORS: list[tuple[Callable[[str], object], str, str]] = [
    (parse_weight, "", "parse.weight.no_number"),
    (parse_weight, "тяжёлая", "parse.weight.no_number"),
    (parse_weight, "1,2,3 г", "parse.weight.format"),
    (parse_weight, "-5 г", "parse.weight.negative"),
    (parse_weight, "0", "parse.weight.zero"),
    (parse_weight, "0 г", "parse.weight.zero"),
    (parse_weight, "0,0001 кг", "parse.weight.zero"),
    (parse_weight, "101 кг", "parse.weight.too_heavy"),
    (parse_weight, "1", "parse.weight.unit"),
    (parse_weight, "508 мг", "parse.weight.unit_unknown"),
    (parse_weight, "2 фунта", "parse.weight.unit_unknown"),
    (parse_weight, "заявлено 520 г, на деле 310 г", "parse.weight.several"),
    (parse_money, "", "parse.money.no_amount"),
    (parse_money, "руб", "parse.money.no_amount"),
    (parse_money, "1500", "parse.money.currency"),
    (parse_money, "12 16 руб", "parse.money.format"),
    (parse_money, "-5 руб", "parse.money.negative"),
    (parse_money, "0 руб", "parse.money.zero"),
    (parse_money, "25.9051 $", "parse.money.decimals"),
    (parse_money, "999999999999 руб", "parse.money.too_large"),
    (parse_money, "8123456789012345", "parse.money.order_number"),
    (parse_money, "$25 (1800 руб)", "parse.money.several"),
    (parse_money, "25 и 30 $", "parse.money.several"),
]


@pytest.mark.parametrize(("text", "grams"), WEIGHTS)
def test_weights_in_grams(text: str, grams: int) -> None:
    assert parse_weight(text) == grams


@pytest.mark.parametrize(("text", "amount", "currency"), MONEY)
def test_money(text: str, amount: str, currency: str) -> None:
    assert parse_money(text) == {"amount": amount, "currency": currency}


@pytest.mark.parametrize(("parse", "text", "code"), ERRORS, ids=[e[1][:30] for e in ERRORS])
def test_faults_are_named(parse: Callable[[str], object], text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert caught.value.code == code


def test_default_currency_fills_in_a_bare_amount() -> None:
    assert rubles_by_default("1500") == {"amount": "1500.00", "currency": "RUB"}
    assert rubles_by_default("$15") == {"amount": "15.00", "currency": "USD"}


def test_money_reads_back() -> None:
    stored = parse_money("12 168,71 руб")
    assert Money.from_json(stored) == Money(Decimal("12168.71"), "RUB")
    assert Money.from_json(stored).to_json() == stored


def _grouped(whole: int, mark: str) -> str:
    return f"{whole:,}".replace(",", mark)


cents = st.integers(min_value=1, max_value=10_000_000_00)


@given(cents, st.sampled_from([" ", "\u00a0", ""]), st.sampled_from([",", "."]))
def test_money_round_trips(amount_cents: int, group: str, decimal_mark: str) -> None:
    whole, cent = divmod(amount_cents, 100)
    written = f"{_grouped(whole, group)}{decimal_mark}{cent:02d} руб"
    expected = Decimal(amount_cents) / 100
    assert Money.from_json(parse_money(written)) == Money(expected, "RUB")


@given(st.integers(min_value=1, max_value=100_000), st.sampled_from(["г", "гр", "g"]))
def test_grams_round_trip(grams: int, unit: str) -> None:
    assert parse_weight(f"{grams} {unit}") == grams


@given(st.integers(min_value=1, max_value=100_000), st.sampled_from([",", "."]))
def test_kilograms_round_trip(grams: int, mark: str) -> None:
    kilos, rest = divmod(grams, 1000)
    assert parse_weight(f"{kilos}{mark}{rest:03d} кг") == grams
