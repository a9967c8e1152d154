"""Tokens a translator must not touch (numbers, dates, links, brands) and their placeholders."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_NUMBER = r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)*"
_LATIN_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[-+'&/.][A-Za-z0-9]+)*"
_CURRENCY = r"[$\u20ac\u00a3\u00a5\u20bd]"
_PATTERNS = (
    r"(?:https?://|www\.)[^\s<>\"\u00ab\u00bb]*[^\s<>\"\u00ab\u00bb.,;:!?)\]]",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}(?!\d)",
    r"\d{1,2}:\d{2}(?::\d{2})?(?!\d)",
    rf"(?:US ?)?{_CURRENCY} ?{_NUMBER}|{_NUMBER} ?{_CURRENCY}",
    r"\d+[A-Za-z][A-Za-z0-9]*",
    rf"{_LATIN_WORD}(?: (?:{_LATIN_WORD}|\d+(?:[.,]\d+)*[A-Za-z]*))*",
    _NUMBER,
)
# Digits never stay in masked text, so every bracketed number a provider returns is ours.
_PROTECTED = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(_PATTERNS) + ")")
_OURS = re.compile(r"\[(\d+)\]")
# Providers may pad, or swap the brackets for full-width ones; all still mean the same slot.
_RETURNED = re.compile(r"[\[\uff3b\u3010]\s*(\d+)\s*[\]\uff3d\u3011]")


@dataclass(frozen=True)
class Masked:
    """A text with each protected token replaced by `[n]`, and the tokens by n."""

    text: str
    tokens: tuple[str, ...]

    def has_words(self) -> bool:
        """Whether anything is left for a translator once the tokens are out."""
        return any(char.isalpha() for char in self.text)


def mask(text: str) -> Masked:
    """Replace every protected token with its numbered placeholder."""
    tokens: list[str] = []

    def slot(match: re.Match[str]) -> str:
        tokens.append(match.group(0))
        return f"[{len(tokens) - 1}]"

    return Masked(_PROTECTED.sub(slot, text), tuple(tokens))


def slots_in(masked_text: str) -> list[int]:
    """The placeholder numbers our masking put in this text, in order."""
    return [int(number) for number in _OURS.findall(masked_text)]


def unmask(masked_text: str, tokens: Sequence[str]) -> str:
    """Put the tokens back into a text we masked ourselves."""
    return _OURS.sub(lambda match: tokens[int(match.group(1))], masked_text)


def restore(translated: str, tokens: Sequence[str], expected: Sequence[int]) -> str | None:
    """Put the tokens back into an answer; None when a slot is lost, doubled or made up."""
    found = [int(number) for number in _RETURNED.findall(translated)]
    if Counter(found) != Counter(expected):
        return None
    return _RETURNED.sub(lambda match: tokens[int(match.group(1))], translated)
