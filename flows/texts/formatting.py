"""Dates, money, weights and lists written the way each language writes them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flows.advisor import Money
from flows.texts.templates import load


def format_date(day: date, lang: str) -> str:
    """A date in words, as the language writes it ("27 July 2024" in English)."""
    t = load(lang)
    return str(t["date"]).format(day=day.day, month=t["months"][day.month - 1], year=day.year)


def format_money(money: Money, lang: str) -> str:
    """An amount as the language writes it ("RUB 12,168.71", "$25.90" in English)."""
    t = load(lang)
    whole, _, cents = f"{money.amount:,.2f}".partition(".")
    number = whole.replace(",", t["number"]["group"]) + t["number"]["decimal"] + cents
    pattern = t["money"].get(money.currency, t["money"]["default"])
    return str(pattern).format(amount=number, currency=money.currency)


def format_list(items: Sequence[str], lang: str) -> str:
    """Items joined as a sentence: "a, b and c"."""
    words = load(lang)["list"]
    if len(items) < 2:
        return "".join(items)
    return str(words["separator"]).join(items[:-1]) + str(words["last"]) + items[-1]


def localize(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A warning's parameters ready for a catalog text: dates and money written out."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, date):
            value = format_date(value, lang)
        elif isinstance(value, Money):
            value = format_money(value, lang)
        out[name] = value
    return out


def weight_line(declared: int | None, actual: int | None, lang: str) -> str | None:
    """Declared against actual weight, with the difference and its share of the declared."""
    t = load(lang)["weights"]
    if declared is None or declared <= 0:
        return str(t["actual"]).format(actual=actual) if actual is not None else None
    if actual is None:
        return str(t["declared"]).format(declared=declared)
    difference = abs(declared - actual)
    if difference == 0:
        return str(t["same"]).format(declared=declared, actual=actual)
    percent = (Decimal(difference * 100) / declared).quantize(Decimal(1), ROUND_HALF_UP)
    key = "missing" if actual < declared else "extra"
    return str(t[key]).format(
        declared=declared, actual=actual, difference=difference, percent=percent
    )
