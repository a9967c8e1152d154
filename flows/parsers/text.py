"""Free text and names: tidied, within length, with at least one letter or digit."""

from __future__ import annotations

import re

from flows.errors import ParseError
from flows.parsers.act import parse_act_number
from flows.parsers.normalize import clean, squeeze
from flows.parsers.post_office import parse_post_office

# Acts and post offices are typed answers too; flows find every typed-answer parser here.
__all__ = [
    "parse_act_number",
    "parse_item_name",
    "parse_post_office",
    "parse_store_name",
    "parse_text",
]

# Telegram caps a message at 4096 characters; the flows' texts quote the answer back.
MAX_TEXT = 4000
STORE_NAME_LENGTH = (2, 100)
ITEM_NAME_LENGTH = (2, 300)

_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:ru|com|cn|net|org)/", re.IGNORECASE)


def parse_text(text: str, *, min_len: int = 1, max_len: int = MAX_TEXT) -> str:
    """The text tidied (spaces squeezed, at most one blank line in a row), min_len..max_len long."""
    tidy = _tidy(text)
    if not tidy:
        raise ParseError("parse.text.empty")
    if not any(c.isalnum() for c in tidy):
        raise ParseError("parse.text.no_words")
    if len(tidy) < min_len:
        raise ParseError("parse.text.too_short", min=min_len, count=len(tidy))
    if len(tidy) > max_len:
        raise ParseError("parse.text.too_long", max=max_len, count=len(tidy))
    return tidy


def parse_store_name(text: str) -> str:
    """A store's name on one line."""
    return _name(text, *STORE_NAME_LENGTH)


def parse_item_name(text: str) -> str:
    """An item's name on one line."""
    return _name(text, *ITEM_NAME_LENGTH)


def _name(text: str, min_len: int, max_len: int) -> str:
    if _LINK.search(text):
        raise ParseError("parse.text.link")
    return parse_text(squeeze(text), min_len=min_len, max_len=max_len)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in clean(text).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
