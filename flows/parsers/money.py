"""Amounts of money as buyers write them: "12 168,71 руб", "$25.90", "10 евро"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from flows.errors import ParseError
from flows.parsers.currencies import CODES, find_currencies
from flows.parsers.normalize import folded
from flows.parsers.numbers import parse_decimal

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(100_000_000)
ORDER_NUMBER_LENGTHS = range(14, 17)

# "15 тыс. руб", "1,5к": a word for thousands or millions right after the number.
MULTIPLIERS = {"тыс": 1000, "тысяч": 1000, "тысячи": 1000, "тысяча": 1000, "к": 1000, "k": 1000,
               "млн": 1_000_000, "миллион": 1_000_000, "миллиона": 1_000_000}  # fmt: skip

_NUMBER = re.compile(r"(-?\d(?:[\d ,.]*\d)?)\s*([a-zа-я]+)?")


class MoneyJson(TypedDict):
    amount: str
    currency: str


@dataclass(frozen=True)
class Money:
    """An amount with two decimals and an ISO 4217 currency code."""

    amount: Decimal
    currency: str

    @classmethod
    def from_json(cls, value: MoneyJson) -> Money:
        """The Money a stored `parse_money` value holds."""
        return cls(Decimal(value["amount"]), value["currency"])

    def to_json(self) -> MoneyJson:
        """The stored form: the amount as a string with two decimals."""
        return {"amount": str(self.amount.quantize(CENT)), "currency": self.currency}


def parse_money(text: str, *, default_currency: str | None = None) -> MoneyJson:
    """An amount above zero in a named currency (or `default_currency` when none is named)."""
    found, rest = find_currencies(folded(text))
    if len(found) > 1:
        raise ParseError("parse.money.several")
    currency = found.pop() if found else default_currency
    numbers = _NUMBER.findall(rest)
    if not numbers:
        raise ParseError("parse.money.no_amount")
    if len(numbers) > 1:
        raise ParseError("parse.money.several")
    written, word = numbers[0]
    amount = _amount(written, MULTIPLIERS.get(word, 1))
    if currency not in CODES:
        raise ParseError("parse.money.currency")
    return Money(amount, currency).to_json()


def _amount(written: str, multiplier: int) -> Decimal:
    if written.startswith("-"):
        raise ParseError("parse.money.negative")
    if written.isdigit() and len(written) in ORDER_NUMBER_LENGTHS:
        raise ParseError("parse.money.order_number")
    number = parse_decimal(written, three_decimals_are_thousands=True)
    if number is None:
        raise ParseError("parse.money.format")
    amount = number * multiplier
    if amount == 0:
        raise ParseError("parse.money.zero")
    if amount != amount.quantize(CENT):
        raise ParseError("parse.money.decimals")
    if amount > MAX_AMOUNT:
        raise ParseError("parse.money.too_large")
    return amount
