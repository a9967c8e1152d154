"""Check-digit algorithms of the tracking numbers we verify."""

from __future__ import annotations

# UPU S10 standard, section 5: weights over the eight serial digits.
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial: str) -> int:
    """The S10 check digit for eight serial digits: 11 - sum mod 11, 10 -> 0, 11 -> 5."""
    total = sum(int(digit) * weight for digit, weight in zip(serial, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def russian_post_check_digit(first13: str) -> int:
    """The check digit of a 14-digit Russian Post number: odd places weigh 3, mod 10."""
    if len(first13) != 13:
        raise ValueError(first13)
    odd = sum(int(digit) for digit in first13[0::2])
    even = sum(int(digit) for digit in first13[1::2])
    return (10 - (odd * 3 + even) % 10) % 10
