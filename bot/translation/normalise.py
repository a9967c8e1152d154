"""The one spelling of a text that is translated, cached and hashed."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """NFC, one kind of newline, single spaces, trimmed lines, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def text_hash(normalised: str) -> str:
    """The cache key of a normalised text: sha256, hex."""
    return hashlib.sha256(normalised.encode()).hexdigest()
