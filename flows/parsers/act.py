"""Numbers of Russian Post acts: "51-в № 123" is form 51-в, number 123."""

from __future__ import annotations

import re

from flows.errors import ParseError
from flows.parsers.normalize import squeeze

MAX_LENGTH = 30

# Russian Post draws acts on its form 51-в ("ф. 51-в"): the form's name, not the act's number.
_FORM = re.compile(r"(?:ф(?:орм\w*)?\.?\s*)?51\s*-?\s*[вb](?![\w])", re.IGNORECASE)
_LABELS = re.compile(r"\b(?:акт\w*|номер\w*|no)\b\.?|[#:]", re.IGNORECASE)
_DATE_TAIL = re.compile(r"\s+(?:от|from)\s.*$", re.IGNORECASE)
_ALLOWED = re.compile(r"[0-9A-Za-zА-Яа-яЁё/ -]+")
_SPACED_MARKS = re.compile(r"\s*([/-])\s*")


def parse_act_number(text: str) -> str:
    """The act's own number, upper-case, without the form's name, the "№" or a date."""
    line = _DATE_TAIL.sub("", squeeze(text))
    if not line:
        raise ParseError("parse.act.empty")
    after_sign = line.rsplit("№", 1)[-1]
    number = squeeze(_LABELS.sub(" ", _FORM.sub(" ", after_sign))).strip(" .,;-")
    if not number:
        raise ParseError("parse.act.form_only" if _FORM.search(line) else "parse.act.empty")
    if not _ALLOWED.fullmatch(number):
        strange = dict.fromkeys(c for c in number if not _ALLOWED.fullmatch(c))
        raise ParseError("parse.act.characters", chars=" ".join(strange))
    if not any(c.isdigit() for c in number):
        raise ParseError("parse.act.no_digits")
    if len(number) > MAX_LENGTH:
        raise ParseError("parse.act.too_long", max=MAX_LENGTH)
    return _SPACED_MARKS.sub(r"\1", number).upper()
