"""Tracking numbers: UPU S10 checked by its check digit, other carriers' forms accepted as is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypedDict
from urllib.parse import parse_qsl, urlsplit

from flows.errors import ParseError
from flows.parsers.check_digits import russian_post_check_digit, s10_check_digit
from flows.parsers.countries import COUNTRY_CODES
from flows.parsers.normalize import clean, latin_upper

Kind = Literal["s10", "other"]

MIN_LENGTH = 8
MAX_LENGTH = 30
MIN_DIGITS = 4
ORDER_NUMBER_LENGTHS = range(14, 17)
# S10 service indicators that always carry a valid check digit (EMS, parcels, registered and
# insured letters). Chinese consolidators print U.. and other series that may not: unchecked.
CHECKED_SERVICES = frozenset("CELRV")
DIGIT_LOOKALIKES = {"O": "0", "I": "1", "L": "1"}
# Query parameters under which carriers' tracking pages carry the number.
URL_PARAMS = frozenset({"mailno", "mailnolist", "barcode", "trackingnumber", "tracknumber", "nums"})

_LABELS = re.compile(
    r"\b(?:трек\w*(?:-номер\w*)?|номер\w*|отслеживани\w*|tracking|track|number|code|код)\b",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[\s\-.,;:/\\_()\[\]{}\"'«»№#*+=!?]+")
_URL = re.compile(r"https?://|www\.|\.(?:ru|com|cn|net|org)/", re.IGNORECASE)
_S10 = re.compile(r"([A-Z]{2})(\d{8})(\d)([A-Z]{2})")
_S10_LOOKALIKE_DIGITS = re.compile(r"([A-Z]{2})([0-9OIL]{9})([A-Z]{2})")
_S10_WRONG_LENGTH = re.compile(r"([A-Z]{2})(\d{4,11})([A-Z]{2})")


class TrackingJson(TypedDict):
    number: str
    kind: Kind


@dataclass(frozen=True)
class Tracking:
    """A stored tracking number read back."""

    number: str
    kind: Kind

    @classmethod
    def from_json(cls, value: TrackingJson) -> Tracking:
        """The Tracking held by a stored `parse_tracking` value."""
        return cls(number=value["number"], kind=value["kind"])


def parse_tracking(text: str) -> TrackingJson:
    """A tracking number as {"number": "RA123456785CN", "kind": "s10" | "other"}."""
    raw = clean(text)
    if not raw:
        raise ParseError("parse.tracking.empty")
    if _URL.search(raw):
        return _from_url(raw)
    return _classify(_candidate(_LABELS.sub(" ", raw)))


def is_valid_s10(number: str) -> bool:
    """True for an S10 number (upper-case, no spaces) whose check digit is right."""
    match = _S10.fullmatch(number)
    return match is not None and s10_check_digit(match[2]) == int(match[3])


def _candidate(text: str) -> str:
    """The one number in the text: a whole token when it stands among words, else all of it."""
    tokens = [latin_upper(_PUNCTUATION.sub("", token)) for token in text.split()]
    whole = {token for token in tokens if _looks_whole(token)}
    if len(whole) > 1:
        raise ParseError("parse.tracking.several")
    rest_has_digits = any(any(c.isdigit() for c in token) for token in tokens if token not in whole)
    # An S10-shaped token is a number on its own even beside a date ("RA...CN от 27.07").
    if whole and (not rest_has_digits or _S10.fullmatch(next(iter(whole)))):
        return whole.pop()
    return "".join(tokens)


def _looks_whole(token: str) -> bool:
    """A token that is a complete number on its own, not a fragment typed with spaces."""
    digits = sum(c.isdigit() for c in token)
    return bool(_S10.fullmatch(token)) or (len(token) >= 10 and digits >= 5)


def _classify(number: str) -> TrackingJson:
    """The stored form of one compact candidate, or the ParseError naming what is wrong."""
    _check_characters(number)
    s10 = _s10(number)
    if s10 is not None:
        return s10
    if number.isdigit():
        _check_all_digits(number)
    if len(number) < MIN_LENGTH:
        raise ParseError("parse.tracking.too_short", count=len(number), min=MIN_LENGTH)
    if len(number) > MAX_LENGTH:
        raise ParseError("parse.tracking.too_long", count=len(number), max=MAX_LENGTH)
    if sum(c.isdigit() for c in number) < MIN_DIGITS:
        raise ParseError("parse.tracking.word")
    return {"number": number, "kind": "other"}


def _check_characters(number: str) -> None:
    if not number:
        raise ParseError("parse.tracking.empty")
    if not any(c.isdigit() for c in number):
        raise ParseError("parse.tracking.word")
    strange = dict.fromkeys(c for c in number if not (c.isascii() and c.isalnum()))
    if strange:
        raise ParseError("parse.tracking.characters", chars=" ".join(strange))


def _s10(number: str) -> TrackingJson | None:
    """The S10 reading of a number shaped like one, a ParseError naming its fault, or None."""
    if number[-2:] in COUNTRY_CODES and is_valid_s10(number):
        return {"number": number, "kind": "s10"}
    if not _is_checked_shape(number):
        return None
    _check_lookalike_digits(number)
    match = _S10.fullmatch(number)
    if match:
        raise ParseError("parse.tracking.check_digit", expected=s10_check_digit(match[2]))
    wrong = _S10_WRONG_LENGTH.fullmatch(number)
    if wrong:
        raise ParseError("parse.tracking.length", count=len(wrong[2]))
    return None


def _is_checked_shape(number: str) -> bool:
    """Letters of a checked service first and a country last: S10 meant, faults worth naming."""
    return (
        len(number) >= MIN_LENGTH
        and number[0] in CHECKED_SERVICES
        and number[1].isalpha()
        and number[-2:] in COUNTRY_CODES
    )


def _check_lookalike_digits(number: str) -> None:
    match = _S10_LOOKALIKE_DIGITS.fullmatch(number)
    if not match or match[2].isdigit():
        return
    letter = next(c for c in match[2] if not c.isdigit())
    fixed = "".join(DIGIT_LOOKALIKES.get(c, c) for c in match[2])
    raise ParseError(
        "parse.tracking.letter_for_digit",
        letter=letter,
        digit=DIGIT_LOOKALIKES[letter],
        number=f"{match[1]}{fixed}{match[3]}",
    )


def _check_all_digits(number: str) -> None:
    """Digits only: a 14-digit Russian Post number passes, an order number is named as such."""
    if len(number) == 14 and russian_post_check_digit(number[:13]) == int(number[13]):
        return
    if len(number) in ORDER_NUMBER_LENGTHS:
        raise ParseError("parse.tracking.order_number")


def _from_url(url: str) -> TrackingJson:
    """The number a carrier's tracking link carries, if it carries exactly one."""
    query = urlsplit(url if "://" in url else f"https://{url}").query
    for key, value in parse_qsl(query):
        if key.lower() in URL_PARAMS and value:
            return _classify(latin_upper(_PUNCTUATION.sub("", value.split(",")[0])))
    found = {token for token in re.findall(r"[A-Z0-9]{13}", url.upper()) if is_valid_s10(token)}
    if len(found) == 1:
        return {"number": found.pop(), "kind": "s10"}
    raise ParseError("parse.tracking.url")
