"""Weights from post labels and acts: "508 гр", "0,508 кг", "1 кг 200 г", "508" -> grams."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from flows.errors import ParseError
from flows.parsers.normalize import folded
from flows.parsers.numbers import parse_decimal

GRAM_WORDS = frozenset(
    {"г", "гр", "грам", "грамм", "грамма", "граммов", "g", "gr", "gram", "grams"}
)
KILO_WORDS = frozenset(
    {"кг", "кило", "килограмм", "килограмма", "килограммов", "kg", "kgs", "kilo", "kilogram"}
)
MAX_GRAMS = 100_000
# A bare whole number below this could be kilograms or grams: ask for the unit.
MIN_BARE_GRAMS = 5
# A bare number with a decimal mark below this is kilograms ("0,508", "1.2"), else grams.
BARE_KILOS_BELOW = 50

_PART = re.compile(r"(-?\d(?:[\d ,.]*\d)?)\s*([a-zа-я]+)?")
Part = tuple[str, str | None]


def parse_weight(text: str) -> int:
    """The weight in whole grams, more than 0 and at most 100 kg."""
    parts = [(number, unit) for number, unit in _PART.findall(folded(text))]
    if not parts:
        raise ParseError("parse.weight.no_number")
    if any(number.startswith("-") for number, _ in parts):
        raise ParseError("parse.weight.negative")
    grams = _grams(parts).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if grams <= 0:
        raise ParseError("parse.weight.zero")
    if grams > MAX_GRAMS:
        raise ParseError("parse.weight.too_heavy", max_kg=MAX_GRAMS // 1000)
    return int(grams)


def _grams(parts: list[Part]) -> Decimal:
    units = [_unit(unit) for _, unit in parts]
    if len(parts) == 1:
        return _one_part(parts[0][0], units[0])
    # "1 кг 200 г" and "1 кг 200": kilograms then grams, nothing else adds up.
    if len(parts) == 2 and units[0] == "kg" and units[1] in ("g", None):
        return _number(parts[0][0], "kg") * 1000 + _number(parts[1][0], "g")
    raise ParseError("parse.weight.several")


def _one_part(number: str, unit: str | None) -> Decimal:
    if unit == "kg":
        return _number(number, unit) * 1000
    if unit == "g":
        return _number(number, unit)
    return _bare(number)


def _bare(number: str) -> Decimal:
    """A number without a unit: grams when whole, kilograms when small with a decimal mark."""
    value = _number(number, None)
    if any(mark in number for mark in ",.") and value < BARE_KILOS_BELOW:
        return value * 1000
    if 0 < value < MIN_BARE_GRAMS:
        raise ParseError("parse.weight.unit")
    return value


def _unit(word: str | None) -> str | None:
    if word is None or word == "":
        return None
    if word in GRAM_WORDS:
        return "g"
    if word in KILO_WORDS:
        return "kg"
    raise ParseError("parse.weight.unit_unknown", unit=word)


def _number(written: str, unit: str | None) -> Decimal:
    value = parse_decimal(written, three_decimals_are_thousands=unit == "g")
    if value is None:
        raise ParseError("parse.weight.format")
    return value
