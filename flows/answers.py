"""The flows' answer readers: each parser given the `(text, today)` shape the engine calls."""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.errors import ParseError
from flows.parsers import dates, order, text, weights
from flows.parsers import money as money_parser
from flows.parsers import tracking as tracking_parser

MAX_QUANTITY = 10_000


def order_number(raw: str, _today: date) -> str:
    return order.parse_order_number(raw)


def tracking(raw: str, _today: date) -> Any:
    return tracking_parser.parse_tracking(raw)


def past_date(raw: str, today: date) -> str:
    return dates.parse_date(raw, today=today)


def protection_end(raw: str, today: date) -> str:
    """The last day of protection; "already over, day unknown" is stored as today."""
    parsed = dates.parse_protection_end(raw, today=today)
    return parsed["end"] or today.isoformat()


def money(raw: str, _today: date) -> Any:
    return money_parser.parse_money(raw)


def weight(raw: str, _today: date) -> int:
    return weights.parse_weight(raw)


def quantity(raw: str, _today: date) -> int:
    return _count(raw, minimum=1)


def quantity_received(raw: str, _today: date) -> int:
    return _count(raw, minimum=0)


def _count(raw: str, minimum: int) -> int:
    digits = raw.strip().split()[0] if raw.strip() else ""
    if not digits.isdecimal():  # int() reads exactly these; "¹" passes isdigit() and fails
        raise ParseError("parse.quantity.not_number")
    value = int(digits)
    if not minimum <= value <= MAX_QUANTITY:
        raise ParseError("parse.quantity.range", minimum=minimum, maximum=MAX_QUANTITY)
    return value


def item_name(raw: str, _today: date) -> str:
    return text.parse_item_name(raw)


def store(raw: str, _today: date) -> str:
    return text.parse_store_name(raw)


def act_number(raw: str, _today: date) -> str:
    return text.parse_act_number(raw)


def office(raw: str, _today: date) -> str:
    """The office as the texts quote it: its name, then its postcode."""
    parsed = text.parse_post_office(raw)
    return " ".join(part for part in (parsed["name"], parsed["index"]) if part)


def free_text_short(raw: str, _today: date) -> str:
    return text.parse_text(raw, min_len=2, max_len=500)


def description(raw: str, _today: date) -> str:
    return text.parse_text(raw, min_len=10, max_len=3000)
