"""The translation cache's interface, its key, and the in-memory cache for unit tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class CacheKey:
    """One direction and the sha256 of one normalised text."""

    source: str
    target: str
    text_hash: str


@dataclass(frozen=True)
class CachedTranslation:
    """A stored translation and the provider that made it."""

    text: str
    provider: str


class TranslationCache(Protocol):
    """Where translations are kept; a lost write costs one more provider call, nothing else."""

    async def get(self, key: CacheKey) -> CachedTranslation | None:
        """The stored translation, or None."""
        ...

    async def put(
        self, key: CacheKey, source_text: str, entry: CachedTranslation, owner_id: int
    ) -> None:
        """Store a translation; a row already there for the key wins."""
        ...


class MemoryTranslationCache:
    """A dict behind the cache interface: unit tests and benchmarks."""

    def __init__(self) -> None:
        self.entries: dict[CacheKey, CachedTranslation] = {}

    async def get(self, key: CacheKey) -> CachedTranslation | None:
        """The stored translation, or None."""
        return self.entries.get(key)

    async def put(
        self, key: CacheKey, source_text: str, entry: CachedTranslation, owner_id: int
    ) -> None:
        """Store a translation unless one is there."""
        self.entries.setdefault(key, entry)
