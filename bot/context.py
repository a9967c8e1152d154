"""The typed context every handler gets: a unit of work per update and the app's services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.i18n import Catalogs, Texts, language_for
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.storage.models import User


def utc_now() -> datetime:
    return datetime.now(ZoneInfo("UTC"))


@dataclass
class Services:
    """What post_init builds once and every handler shares (kept in bot_data)."""

    settings: Settings
    catalogs: Catalogs
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime] = utc_now
    extras: dict[str, Any] = field(default_factory=dict)
    # SQLite takes one writer at a time: its units of work take turns here rather than wait
    # on each other inside SQLite; replies are still sent concurrently. None on PostgreSQL.
    one_at_a_time: asyncio.Lock | None = None

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit on success, roll back on any error."""
        async with self.one_at_a_time or nullcontext(), self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with `db()` and `texts_for()`; nothing user-specific is kept here."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        services: Services = self.bot_data["services"]
        return services

    def db(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One unit of work: commit on success, roll back on any error."""
        return self.services.unit_of_work()

    def texts_for(self, user: User | None, telegram_code: str | None = None) -> Texts:
        language = user.language if user and user.language else language_for(telegram_code)
        return self.services.catalogs.for_language(language)

    def now(self) -> datetime:
        return self.services.clock()

    def today(self, user: User | None = None) -> date:
        zone = (user.timezone if user else None) or self.services.settings.default_timezone
        return self.now().astimezone(ZoneInfo(zone)).date()
