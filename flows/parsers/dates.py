"""Date answers: a past date, an end date, the protection countdown; all stored as ISO text."""

from __future__ import annotations

from datetime import date

from flows.parsers.date_reading import read_date
from flows.parsers.protection import ProtectionEnd, parse_protection_end

__all__ = ["ProtectionEnd", "as_date", "parse_date", "parse_end_date", "parse_protection_end"]


def parse_date(text: str, *, today: date | None = None, future_ok: bool = False) -> str:
    """An ISO date; a date without a year is its latest past occurrence (nearest if future_ok)."""
    return read_date(text, today or date.today(), future_ok=future_ok).isoformat()


def parse_end_date(text: str, *, today: date | None = None) -> str:
    """`parse_date` for a date that may lie ahead (an end or a deadline)."""
    return parse_date(text, today=today, future_ok=True)


def as_date(value: str) -> date:
    """The date a stored ISO string holds."""
    return date.fromisoformat(value)
