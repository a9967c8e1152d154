"""How buyers write currencies, as ISO 4217 codes (data, not UI)."""

from __future__ import annotations

import re

# Checked in this order, each match removed before the next: "бел. руб." is BYN, not RUB.
_WRITTEN = (
    ("BYN", r"byn|byr|бел\w*\.?\s*р\w*|br"),
    ("RUB", r"rub|rur|руб\w*|р|₽"),
    ("USD", r"usd|us\s*\$|\$|долл\w*|дол|бакс\w*|dollars?"),
    ("EUR", r"eur|euro|евро|€"),
    ("KZT", r"kzt|тенге|тг|₸"),
    ("CNY", r"cny|rmb|юан\w*|¥"),
    ("UAH", r"uah|грн|гривн\w*|гривен|₴"),
)
CURRENCIES = tuple(
    (code, re.compile(rf"(?<![a-zа-я])(?:{pattern})\.?(?![a-zа-я])")) for code, pattern in _WRITTEN
)
CODES = frozenset(code for code, _ in _WRITTEN)


def find_currencies(text: str) -> tuple[set[str], str]:
    """The currency codes a lower-case text names, and the text with their marks removed."""
    found: set[str] = set()
    for code, pattern in CURRENCIES:
        text, count = pattern.subn(" ", text)
        if count:
            found.add(code)
    return found, text
