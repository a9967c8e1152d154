"""Counters for benchmarks and the activity clock behind idle()."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    """Calls per method, error answers by status, send timestamps and delivered updates."""

    calls: Counter[str] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)
    send_times: list[float] = field(default_factory=list)
    updates_created: int = 0
    updates_delivered: int = 0

    @property
    def too_many_requests(self) -> int:
        """How many 429 answers were given."""
        return self.errors[429]

    @property
    def messages_sent(self) -> int:
        """How many messages the bot sent successfully."""
        return len(self.send_times)

    def rate(self) -> float:
        """Average messages per second between the first and the last send."""
        if len(self.send_times) < 2:
            return 0.0
        span = self.send_times[-1] - self.send_times[0]
        return (len(self.send_times) - 1) / span if span > 0 else float("inf")

    def peak_rate(self, window: float = 1.0) -> int:
        """The most messages sent within any `window` seconds."""
        best = start = 0
        times = self.send_times
        for end, stamp in enumerate(times):
            while stamp - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def reset(self) -> None:
        """Start counting afresh."""
        self.calls.clear()
        self.errors.clear()
        self.send_times.clear()
        self.updates_created = self.updates_delivered = 0

    def to_json(self, with_times: bool = False) -> dict[str, Any]:
        """A JSON-ready summary; peak rate and send timestamps (time.monotonic()) when asked."""
        summary: dict[str, Any] = {
            "calls": dict(self.calls),
            "errors": {str(status): count for status, count in self.errors.items()},
            "too_many_requests": self.too_many_requests,
            "messages_sent": self.messages_sent,
            "rate": self.rate(),
            "updates_created": self.updates_created,
            "updates_delivered": self.updates_delivered,
        }
        if with_times:
            summary["peak_rate"] = self.peak_rate()
            summary["send_times"] = list(self.send_times)
        return summary


class Activity:
    """When the last request came or went, and how many are being handled (long polls aside)."""

    __slots__ = ("in_flight", "last")

    def __init__(self) -> None:
        self.in_flight = 0
        self.last = time.monotonic()

    def touch(self) -> None:
        """Something happened now."""
        self.last = time.monotonic()

    def begin(self) -> None:
        """A request is being handled."""
        self.in_flight += 1
        self.last = time.monotonic()

    def end(self) -> None:
        """A request was answered."""
        self.in_flight -= 1
        self.last = time.monotonic()

    def quiet_for(self) -> float:
        """Seconds since the last activity, or 0 while a request is being handled."""
        return 0.0 if self.in_flight else time.monotonic() - self.last
