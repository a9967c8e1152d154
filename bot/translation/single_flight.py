"""At most one translation per key under way; later callers wait for the same outcome."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    """The outcome-to-be of each key now under way."""

    def __init__(self) -> None:
        self._under_way: dict[K, asyncio.Future[V]] = {}

    def join(self, key: K) -> tuple[asyncio.Future[V], bool]:
        """The key's future, and whether this caller must lead (nobody had started it)."""
        future = self._under_way.get(key)
        if future is not None:
            return future, False
        future = self._under_way[key] = asyncio.get_running_loop().create_future()
        return future, True

    def finish(self, key: K) -> None:
        """Forget the key: the next caller starts afresh (or finds the cache)."""
        self._under_way.pop(key, None)

    def __len__(self) -> int:
        return len(self._under_way)
