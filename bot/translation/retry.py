"""How long to wait before the next attempt at a provider."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_delay(attempt: int, base: float) -> float:
    """Exponential backoff with jitter, so that many callers do not retry in step."""
    return float(base * 2**attempt * random.uniform(0.5, 1.0))


def retry_delay(attempt: int, base: float, retry_after: float | None, cap: float) -> float:
    """The provider's Retry-After when it gave one (capped), else exponential backoff."""
    if retry_after is not None:
        return min(retry_after, cap)
    return backoff_delay(attempt, base)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
