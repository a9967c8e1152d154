"""PendingTranslationWorker: retries due pending translations and hands the successes over."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.translation.pending import claim_due, mark_done, mark_failed, reschedule
from bot.translation.service import TranslationResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CompletedTranslation:
    """A pending text that is translated now, and whose it is."""

    pending_id: int
    user_id: int
    case_id: int
    key: str
    source_text: str
    text: str
    provider: str | None


Deliver = Callable[[CompletedTranslation], Awaitable[None]]


class Translator(Protocol):
    """What the worker needs of TranslationService."""

    async def translate(
        self, text: str, *, source: str = ..., target: str = ..., owner_id: int
    ) -> TranslationResult:
        """Translate, or return translated=False."""
        ...


@dataclass(frozen=True)
class PendingBackoff:
    """Delay before attempt n+1 of a pending text: first * factor**n, at most cap."""

    first: timedelta = timedelta(minutes=1)
    factor: float = 2.0
    cap: timedelta = timedelta(hours=6)

    def after(self, attempts: int) -> timedelta:
        """The delay after `attempts` failed attempts."""
        return min(self.cap, self.first * self.factor**attempts)


@dataclass(frozen=True)
class _Due:
    id: int
    user_id: int
    case_id: int
    key: str
    source_text: str
    attempts: int


class PendingTranslationWorker:
    """One pass over the due rows: translate, deliver, then mark done.

    Delivery comes before marking done, in its own step: a crash in between means the user may get
    the text twice, never that it is lost. Claimed rows are leased (pushed into the future) in the
    transaction that reads them, so a second worker, or the next pass, skips them meanwhile.
    """

    def __init__(
        self,
        translator: Translator,
        sessions: async_sessionmaker[AsyncSession],
        deliver: Deliver,
        *,
        batch: int = 20,
        lease: timedelta = timedelta(minutes=5),
        backoff: PendingBackoff | None = None,
        max_attempts: int | None = None,
        source: str = "ru",
        target: str = "en",
    ) -> None:
        self._translator = translator
        self._sessions = sessions
        self._deliver = deliver
        self._batch = batch
        self._lease = lease
        self._backoff = backoff or PendingBackoff()
        self._max_attempts = max_attempts
        self._source = source
        self._target = target

    async def run_once(self, now: datetime) -> list[CompletedTranslation]:
        """Try each due row once; return those translated and delivered."""
        completed = []
        for due in await self._claim(now):
            done = await self._try(due, now)
            if done is not None:
                completed.append(done)
        return completed

    async def _claim(self, now: datetime) -> list[_Due]:
        async with self._sessions() as session, session.begin():
            rows = await claim_due(session, now, self._batch, self._lease)
            return [
                _Due(row.id, row.user_id, row.case_id, row.key, row.source_text, row.attempts)
                for row in rows
            ]

    async def _try(self, due: _Due, now: datetime) -> CompletedTranslation | None:
        result = await self._translator.translate(
            due.source_text, source=self._source, target=self._target, owner_id=due.user_id
        )
        if not result.translated:
            await self._retry_later(due, now)
            return None
        completed = CompletedTranslation(
            due.id, due.user_id, due.case_id, due.key, due.source_text, result.text, result.provider
        )
        try:
            await self._deliver(completed)
        except Exception:
            log.exception("delivery of pending translation %s failed", due.id)
            await self._retry_later(due, now)
            return None
        async with self._sessions() as session, session.begin():
            await mark_done(session, due.id)
        return completed

    async def _retry_later(self, due: _Due, now: datetime) -> None:
        async with self._sessions() as session, session.begin():
            if self._max_attempts is not None and due.attempts + 1 >= self._max_attempts:
                await mark_failed(session, due.id)
            else:
                delay = self._backoff.after(due.attempts)
                await reschedule(session, due.id, now=now, backoff=delay)
