"""Decimal numbers written with spaces, commas and points the Russian or the English way."""

from __future__ import annotations

import re
from decimal import Decimal

THOUSANDS_GROUP = 3
_SHAPE = re.compile(r"\d[\d ,.]*")
_MARKS = re.compile("[ ,.]")


def parse_decimal(written: str, *, three_decimals_are_thousands: bool) -> Decimal | None:
    """The number in "12 168,71", "12,168.71", "1.234,5" or "0,508"; None when malformed.

    A lone mark followed by exactly three digits ("1,500") groups thousands when
    `three_decimals_are_thousands` (money has two decimals) and is a decimal mark otherwise.
    """
    text = written.strip()
    if not _SHAPE.fullmatch(text) or not text[-1].isdigit():
        return None
    whole, fraction = _split(text, three_decimals_are_thousands)
    if not _grouped_well(whole):
        return None
    return Decimal(f"{_MARKS.sub('', whole)}.{fraction or '0'}")


def _split(text: str, three_decimals_are_thousands: bool) -> tuple[str, str]:
    """The whole part (grouping marks kept) and the digits after the decimal mark."""
    marks = [c for c in text if c in ",."]
    if not marks:
        return text, ""
    last = marks[-1]
    head, _, tail = text.rpartition(last)
    if marks.count(last) > 1:
        return text, ""
    if len(set(marks)) > 1:
        return head, tail
    groups_thousands = three_decimals_are_thousands and head.strip("0 ") != ""
    if len(tail) == THOUSANDS_GROUP and groups_thousands:
        return text, ""
    return head, tail


def _grouped_well(whole: str) -> bool:
    """Grouping marks, if any, are of one kind and split off groups of exactly three digits."""
    head, *rest = _MARKS.split(whole)
    if len({c for c in whole if c in ",."}) > 1 or not head.isdigit():
        return False
    if not rest:
        return True
    return len(head) <= THOUSANDS_GROUP and all(
        len(group) == THOUSANDS_GROUP and group.isdigit() for group in rest
    )
