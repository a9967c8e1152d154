"""Cutting a text into pieces a provider takes, and joining the translations back."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

Fits = Callable[[str], bool]
Piece = tuple[str, str]
"""A text to translate and the whitespace that followed it in the original."""

_PARAGRAPHS = re.compile(r"(\n+)")
_BOUNDARIES = (
    re.compile(r"(?:(?<=[.!?\u2026])|(?<=[.!?\u2026][\"'\u00bb\u201d)]))\s+"),
    re.compile(r"(?<=[,;:])\s+|\s+(?=[\u2014\u2013]\s)"),
    re.compile(r"\s+"),
)
_OPEN_SLOT = re.compile(r"\[\d*$")


def split(text: str, fits: Fits) -> list[Piece]:
    """Pieces that each fit, cut at paragraphs, then sentences, clauses, words, characters."""
    parts = _PARAGRAPHS.split(text)
    pieces: list[Piece] = []
    for paragraph, gap in zip(parts[0::2], [*parts[1::2], ""], strict=True):
        # Paragraphs go one by one: a provider may drop newlines, and they are the user's layout.
        if paragraph:
            pieces.extend(_closed(paragraph, gap, fits, 0))
        elif pieces:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + gap)
    return pieces


def join(translations: Sequence[str], pieces: Sequence[Piece]) -> str:
    """The translated pieces with the original whitespace between them."""
    return "".join(text + gap for text, (_, gap) in zip(translations, pieces, strict=True))


def _pack(text: str, fits: Fits, level: int) -> list[Piece]:
    if fits(text):
        return [(text, "")]
    if level == len(_BOUNDARIES):
        return _cut(text, fits)
    bodies, gaps = _split_keeping(text, _BOUNDARIES[level])
    pieces: list[Piece] = []
    current = bodies[0]
    for gap, body in zip(gaps, bodies[1:], strict=True):
        if fits(current + gap + body):
            current += gap + body
        else:
            pieces.extend(_closed(current, gap, fits, level + 1))
            current = body
    pieces.extend(_closed(current, "", fits, level + 1))
    return pieces


def _closed(text: str, gap: str, fits: Fits, level: int) -> list[Piece]:
    pieces = _pack(text, fits, level)
    pieces[-1] = (pieces[-1][0], gap)
    return pieces


def _split_keeping(text: str, boundary: re.Pattern[str]) -> tuple[list[str], list[str]]:
    bodies: list[str] = []
    gaps: list[str] = []
    start = 0
    for match in boundary.finditer(text):
        if match.start() > start:
            bodies.append(text[start : match.start()])
            gaps.append(match.group(0))
        elif gaps:
            gaps[-1] += match.group(0)
        start = match.end()
    bodies.append(text[start:])
    if not bodies[-1] and gaps:
        bodies.pop()
        gaps.pop()
    return bodies, gaps


def _cut(text: str, fits: Fits) -> list[Piece]:
    pieces: list[Piece] = []
    while text:
        size = _longest_prefix(text, fits)
        pieces.append((text[:size], ""))
        text = text[size:]
    return pieces


def _longest_prefix(text: str, fits: Fits) -> int:
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle]):
            low = middle
        else:
            high = middle - 1
    # Never cut through a placeholder: "[1" and "2]" would both come back as text.
    open_slot = _OPEN_SLOT.search(text[:low])
    return open_slot.start() if open_slot and open_slot.start() > 0 else low
