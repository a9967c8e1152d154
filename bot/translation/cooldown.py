"""Providers that just failed are skipped for a while instead of being waited on again."""

from __future__ import annotations

import time
from collections.abc import Callable


class Cooldowns:
    """Per provider, the moment before which it is not tried again."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}

    def available(self, provider: str) -> bool:
        """Whether the provider may be tried now."""
        return self._until.get(provider, 0.0) <= self._clock()

    def cool(self, provider: str, seconds: float) -> None:
        """Skip the provider for the next `seconds`."""
        if seconds > 0:
            self._until[provider] = max(self._until.get(provider, 0.0), self._clock() + seconds)
