"""The translation cache in the `translations` table."""

from __future__ import annotations

import logging
from collections.abc import Collection

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.models import Translation
from bot.translation.cache import CachedTranslation, CacheKey

log = logging.getLogger(__name__)


class SqlTranslationCache:
    """Reads and writes `translations` in short sessions of its own."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, key: CacheKey) -> CachedTranslation | None:
        """The stored translation, or None (also when the database fails: then we translate)."""
        query = select(Translation.translated_text, Translation.provider).where(
            Translation.source_lang == key.source,
            Translation.target_lang == key.target,
            Translation.text_hash == key.text_hash,
        )
        try:
            async with self._sessions() as session:
                row = (await session.execute(query)).one_or_none()
        except SQLAlchemyError:
            log.exception("translation cache read failed")
            return None
        return CachedTranslation(text=row.translated_text, provider=row.provider) if row else None

    async def put(
        self, key: CacheKey, source_text: str, entry: CachedTranslation, owner_id: int
    ) -> None:
        """Insert the row; when another writer got there first, its row stands."""
        row = insert(Translation).values(
            user_id=owner_id,
            source_lang=key.source,
            target_lang=key.target,
            text_hash=key.text_hash,
            source_text=source_text,
            translated_text=entry.text,
            provider=entry.provider,
        )
        try:
            async with self._sessions() as session, session.begin():
                await session.execute(row)
        except IntegrityError:
            log.info("translation cache row not stored: already there, or its owner is gone")
        except SQLAlchemyError:
            log.exception("translation cache write failed")


async def cached_in(session: AsyncSession, keys: Collection[CacheKey]) -> dict[CacheKey, str]:
    """The stored translations of these keys, read in the caller's unit of work."""
    if not keys:
        return {}
    query = select(
        Translation.source_lang,
        Translation.target_lang,
        Translation.text_hash,
        Translation.translated_text,
    ).where(Translation.text_hash.in_({key.text_hash for key in keys}))
    found = {
        CacheKey(row.source_lang, row.target_lang, row.text_hash): row.translated_text
        for row in await session.execute(query)
    }
    return {key: found[key] for key in keys if key in found}
