"""AliExpress order numbers: digits only, 14 to 16 of them on current orders."""

from __future__ import annotations

import re

from flows.errors import ParseError
from flows.parsers.normalize import clean, latin_upper
from flows.parsers.tracking import parse_tracking

MIN_LENGTH = 14
MAX_LENGTH = 16
MAX_SHOWN_CHARS = 5
# A tracking number with one of these faults is still a tracking number, not an order number.
S10_FAULTS = frozenset(
    {"parse.tracking.check_digit", "parse.tracking.length", "parse.tracking.letter_for_digit"}
)

_LABELS = re.compile(
    r"\b(?:номер\w*|заказ\w*|order|id|no)\b|[№#:]",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s\-.,_/]+")
_URL = re.compile(r"https?://|www\.|\.(?:ru|com)/", re.IGNORECASE)
_URL_ORDER_ID = re.compile(r"order_?id=(\d+)", re.IGNORECASE)
# Carriers' numbers start with two letters and carry many digits (LP00..., AEWH..., RA...CN).
_CARRIER_LIKE = re.compile(r"[A-Z]{2}[A-Z0-9]*\d{8}")
# A run of digits that no letter touches: the number inside "мой заказ 8123 4567 ...".
_STANDALONE_DIGITS = re.compile(r"(?<![^\W\d_])\d+(?:[\s-]+\d+)*(?![^\W\d_])")


def parse_order_number(text: str) -> str:
    """The order number as a string of 14 to 16 digits."""
    raw = clean(text)
    if _URL.search(raw):
        return _from_url(raw)
    unlabelled = _LABELS.sub(" ", raw)
    _check_several(unlabelled)
    number = _SEPARATORS.sub("", unlabelled)
    if not number:
        raise ParseError("parse.order.empty")
    if not number.isdigit():
        number = _among_words(number, unlabelled)
    return _checked_length(number)


def _from_url(url: str) -> str:
    """The order id an order page's link carries."""
    match = _URL_ORDER_ID.search(url)
    if match is None:
        raise ParseError("parse.order.url")
    return _checked_length(match[1])


def _check_several(text: str) -> None:
    numbers = {token for token in re.split(r"[\s,;]+", text) if token.isdigit()}
    if sum(len(token) >= MIN_LENGTH for token in numbers) > 1:
        raise ParseError("parse.order.several")


def _among_words(number: str, text: str) -> str:
    """The digits standing alone among words, or the ParseError naming what is wrong."""
    if _looks_like_tracking(number):
        raise ParseError("parse.order.tracking_number")
    runs = _STANDALONE_DIGITS.findall(text)
    if len(runs) == 1 and not any(c.isdigit() for c in _STANDALONE_DIGITS.sub("", text)):
        return _SEPARATORS.sub("", runs[0])
    if not any(c.isdigit() for c in number):
        raise ParseError("parse.order.no_digits")
    letters = list(dict.fromkeys(c for c in number if not c.isdigit()))
    raise ParseError("parse.order.letters", chars=" ".join(letters[:MAX_SHOWN_CHARS]))


def _looks_like_tracking(number: str) -> bool:
    try:
        parsed = parse_tracking(number)
    except ParseError as error:
        return error.code in S10_FAULTS
    return parsed["kind"] == "s10" or bool(_CARRIER_LIKE.fullmatch(latin_upper(number)))


def _checked_length(number: str) -> str:
    if len(number) < MIN_LENGTH:
        raise ParseError("parse.order.too_short", count=len(number), min=MIN_LENGTH)
    if len(number) > MAX_LENGTH:
        raise ParseError("parse.order.too_long", count=len(number), max=MAX_LENGTH)
    return number
