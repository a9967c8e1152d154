"""Small numbers written as words (data, not UI): "две недели", "три штуки"."""

from __future__ import annotations

NUMBER_WORDS = {
    "ноль": 0, "один": 1, "одна": 1, "одну": 1, "одно": 1, "одни": 1, "пару": 2, "пара": 2,
    "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "zero": 0, "one": 1, "two": 2, "three": 3, "a": 1, "an": 1,
}  # fmt: skip


def read_number(token: str) -> int | None:
    """The whole number a token of digits or a number word stands for, or None."""
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)
