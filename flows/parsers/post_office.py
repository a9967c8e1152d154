"""Post offices: a name ("ММПО Внуково"), a six-digit index ("101000"), or both."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

from flows.errors import ParseError
from flows.parsers.normalize import squeeze

INDEX_LENGTH = 6
MAX_NAME_LENGTH = 100
# Words that say "this is an index" and name nothing when they stand alone.
LABEL_WORDS = frozenset({"индекс", "index", "почтовый", "отделение", "опс", "почта", "№"})

_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?!\d)")
_EDGES = " ,;:.-"


class PostOfficeJson(TypedDict):
    index: str | None
    name: str | None


@dataclass(frozen=True)
class PostOffice:
    """A stored post office read back; at least one of the two is set."""

    index: str | None
    name: str | None

    @classmethod
    def from_json(cls, value: PostOfficeJson) -> PostOffice:
        """The PostOffice a stored `parse_post_office` value holds."""
        return cls(index=value["index"], name=value["name"])


def parse_post_office(text: str) -> PostOfficeJson:
    """{"index": "101000" or None, "name": "Москва" or None}, at least one of them."""
    line = squeeze(text)
    if not line:
        raise ParseError("parse.post_office.empty")
    index = _index(line)
    rest = line.replace(index, " ", 1) if index else line
    name = _name(rest)
    if index is None and name is None:
        raise ParseError("parse.post_office.format")
    return {"index": index, "name": name}


def _index(line: str) -> str | None:
    runs: list[str] = _DIGIT_RUN.findall(line)
    indexes = [run for run in runs if len(run) == INDEX_LENGTH]
    if len(indexes) > 1:
        raise ParseError("parse.post_office.several")
    if indexes:
        return indexes[0]
    wrong = [run for run in runs if len(run) == INDEX_LENGTH - 1 or len(run) > INDEX_LENGTH]
    if wrong:
        raise ParseError("parse.post_office.index_length", count=len(wrong[0]))
    return None


def _name(rest: str) -> str | None:
    """The name left beside the index, unless it is only label words or has no letters."""
    name = squeeze(rest).strip(_EDGES)
    words = {word.strip(_EDGES).lower() for word in name.split()}
    if not any(c.isalpha() for c in name) or words <= LABEL_WORDS:
        return None
    if len(name) > MAX_NAME_LENGTH:
        raise ParseError("parse.text.too_long", max=MAX_NAME_LENGTH, count=len(name))
    return name
