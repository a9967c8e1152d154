"""Cyrillic to Latin (the ICAO Doc 9303 table, held as data) and Russian post office names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from flows.texts.templates import load

# The Cyrillic blocks: basic, supplement, extended A, B and C.
CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_INDEX = re.compile(r"\b\d{6}\b")


def has_cyrillic(text: str) -> bool:
    """Whether the text holds any Cyrillic character."""
    return CYRILLIC.search(text) is not None


def transliterate(text: str) -> str:
    """The text with every Cyrillic letter in Latin; other characters are kept."""
    text = unicodedata.normalize("NFC", text)
    if not has_cyrillic(text) and not any(ch in _punctuation() for ch in text):
        return text
    out = [_letter(text, i) for i in range(len(text))]
    return "".join(out)


def office_parts(office: str) -> tuple[str | None, str]:
    """The kind of a Russian post office's name (international, sorting, post_office), the rest."""
    text = " ".join(office.split())
    folded = text.casefold()
    for kind, prefixes in _office_prefixes():
        for prefix in prefixes:
            if folded.startswith(prefix) and _boundary(folded, len(prefix)):
                return kind, _drop_words(text[len(prefix) :])
    if _INDEX.search(text):
        return "post_office", _drop_words(text)
    return None, text


def _letter(text: str, i: int) -> str:
    ch = text[i]
    if ch in _punctuation():
        return _punctuation()[ch]
    if not CYRILLIC.match(ch):
        return ch
    latin = _letters().get(ch.lower())
    if latin is None:
        latin = _fallback(ch)
    if not ch.isupper() or not latin:
        return latin
    return latin.upper() if _in_capitals(text, i) else latin.capitalize()


def _in_capitals(text: str, i: int) -> bool:
    """Whether a capital letter stands in an all-capitals word (MMPO, not Mmpo)."""
    after = text[i + 1] if i + 1 < len(text) else ""
    before = text[i - 1] if i > 0 else ""
    if after.isalpha():
        return after.isupper()
    return before.isalpha() and before.isupper()


def _fallback(ch: str) -> str:
    """A Cyrillic letter not in the table, read through its base letter (KA WITH STROKE -> KA)."""
    name = unicodedata.name(ch, "")
    base = name.split(" WITH ")[0].replace("CAPITAL", "SMALL")
    try:
        plain = unicodedata.lookup(base)
    except KeyError:
        return ""
    return _letters().get(plain, "")


def _boundary(text: str, at: int) -> bool:
    return at >= len(text) or not text[at].isalnum()


def _drop_words(rest: str) -> str:
    words = [w for w in rest.strip(" ,.:;-").split() if w.casefold() not in _dropped()]
    return " ".join(words).strip(" ,")


@cache
def _letters() -> Mapping[str, str]:
    return dict(load("translit")["letters"])


@cache
def _punctuation() -> Mapping[str, str]:
    return dict(load("translit")["punctuation"])


@cache
def _dropped() -> frozenset[str]:
    return frozenset(w.casefold() for w in load("translit")["office"]["drop"])


@cache
def _office_prefixes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    table = load("translit")["office"]
    kinds = ("international", "sorting", "post_office")
    return tuple(
        (kind, tuple(sorted((p.casefold() for p in table[kind]), key=len, reverse=True)))
        for kind in kinds
    )
