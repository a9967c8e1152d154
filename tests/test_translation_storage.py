"""The translation cache and pending translations in the database (SQLite, and PostgreSQL if up)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.storage.models import PendingTranslation, Translation
from bot.translation import (
    CompletedTranslation,
    PendingTranslationWorker,
    SqlTranslationCache,
    TranslationService,
    TranslatorConfig,
    add_pending,
    cached_in,
    due_pending,
)
from bot.translation.normalise import text_hash
from bot.translation.pending import claim_due, utc
from tests.fakes.databases import Database, add_owner, database
from tests.fakes.translation_server import FakeTranslationServer, Mode

PARCEL = "Посылка пришла пустая, вес 508 г."
PARCEL_EN = "[en] Parcel arrived empty, weight 508 g."
NOW = datetime(2024, 7, 27, 12, 0, tzinfo=UTC)
USER, CASE, KEY = 1, 10, "complaint.description"


@pytest.fixture
def fake() -> Iterator[FakeTranslationServer]:
    with FakeTranslationServer() as server:
        yield server


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The app's tables on conftest's database: SQLite, and PostgreSQL when its server is up."""
    async with database(database_url) as db:
        await add_owner(db.sessions(), USER, CASE)
        yield db


def service(fake: FakeTranslationServer, db: Database) -> TranslationService:
    """A service with its own engine on the database, as a second process would have."""
    config = TranslatorConfig(url=fake.url, timeout=0.5, retries=0, backoff=0.01, cooldown=0.0)
    return TranslationService(config, SqlTranslationCache(db.sessions()))


async def count_rows(db: Database, model: type[Translation] | type[PendingTranslation]) -> int:
    async with db.sessions()() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def pending_row(db: Database) -> PendingTranslation:
    async with db.sessions()() as session:
        return (await session.scalars(select(PendingTranslation))).one()


async def test_the_same_text_is_translated_once_for_every_instance(
    fake: FakeTranslationServer, db: Database
) -> None:
    async with service(fake, db) as first:
        fresh = await first.translate(PARCEL, owner_id=USER)
        await first.drain()
        again = await first.translate(" Посылка  пришла пустая, вес 508 г.", owner_id=USER)
    async with service(fake, db) as second:
        other_instance = await second.translate(PARCEL, owner_id=USER)
    assert [r.from_cache for r in (fresh, again, other_instance)] == [False, True, True]
    assert {r.text for r in (fresh, again, other_instance)} == {PARCEL_EN}
    assert fake.count() == 1
    async with db.sessions()() as session:
        row = (await session.scalars(select(Translation))).one()
    assert (row.user_id, row.provider, row.source_text) == (USER, "google", PARCEL)
    assert (row.source_lang, row.target_lang, row.text_hash) == ("ru", "en", text_hash(PARCEL))


async def test_words_translated_ahead_are_read_back_in_a_unit_of_work(
    fake: FakeTranslationServer, db: Database
) -> None:
    async with service(fake, db) as translator:
        translator.warm([PARCEL, PARCEL], owner_id=USER)
        await translator.drain()
        warmed, other = translator.cache_key(PARCEL), translator.cache_key("Товар не работает")
        assert translator.cache_key("RA123456785CN 508 g") is None  # nothing to translate
    assert warmed is not None and other is not None
    async with db.sessions()() as session:
        found = await cached_in(session, [warmed, other])
    assert found == {warmed: PARCEL_EN}
    assert fake.count() == 1


async def test_two_instances_racing_on_one_text_leave_one_row(
    fake: FakeTranslationServer, db: Database
) -> None:
    fake.latency = 0.1
    async with service(fake, db) as first, service(fake, db) as second:
        results = await asyncio.gather(
            first.translate(PARCEL, owner_id=USER), second.translate(PARCEL, owner_id=USER)
        )
    assert [result.text for result in results] == [PARCEL_EN, PARCEL_EN]
    # Two processes share only the database: both ask, the unique key keeps one row.
    assert fake.count() == 2
    assert await count_rows(db, Translation) == 1


async def test_a_text_left_untranslated_is_delivered_once_the_provider_is_back(
    fake: FakeTranslationServer, db: Database
) -> None:
    fake.stop()
    sessions = db.sessions()
    delivered: list[CompletedTranslation] = []

    async def deliver(completed: CompletedTranslation) -> None:
        # Delivered before it is marked done: a crash now means a repeat, never a loss.
        assert (await pending_row(db)).status == "pending"
        delivered.append(completed)

    async with service(fake, db) as translator:
        result = await translator.translate(PARCEL, owner_id=USER)
        assert (result.text, result.translated) == (PARCEL, False)
        async with sessions() as session, session.begin():
            await add_pending(session, USER, CASE, KEY, result.text, NOW)
        fake.start()
        worker = PendingTranslationWorker(translator, sessions, deliver)
        completed = await worker.run_once(NOW)
        assert await worker.run_once(NOW + timedelta(hours=1)) == []
    assert [(c.user_id, c.case_id, c.key, c.text) for c in completed] == [
        (USER, CASE, KEY, PARCEL_EN)
    ]
    assert delivered == completed
    assert (await pending_row(db)).status == "done"


async def test_a_failed_retry_waits_for_its_backoff(
    fake: FakeTranslationServer, db: Database
) -> None:
    fake.set_mode(Mode.DOWN)
    sessions = db.sessions()
    delivered: list[CompletedTranslation] = []

    async def deliver(completed: CompletedTranslation) -> None:
        delivered.append(completed)

    async with service(fake, db) as translator:
        async with sessions() as session, session.begin():
            await add_pending(session, USER, CASE, KEY, PARCEL, NOW)
        worker = PendingTranslationWorker(translator, sessions, deliver)
        assert await worker.run_once(NOW) == []
        row = await pending_row(db)
        assert (row.attempts, utc(row.next_attempt_at)) == (1, NOW + timedelta(minutes=1))
        async with sessions() as session:
            assert await due_pending(session, NOW + timedelta(seconds=59), 10) == []
            assert len(await due_pending(session, NOW + timedelta(seconds=60), 10)) == 1
        fake.set_mode(Mode.UP)
        completed = await worker.run_once(NOW + timedelta(minutes=1))
    assert [c.text for c in delivered] == [c.text for c in completed] == [PARCEL_EN]


async def test_a_failed_delivery_is_retried_not_lost(
    fake: FakeTranslationServer, db: Database
) -> None:
    sessions = db.sessions()
    calls: list[CompletedTranslation] = []

    async def deliver(completed: CompletedTranslation) -> None:
        calls.append(completed)
        if len(calls) == 1:
            raise RuntimeError("Telegram is down")

    async with service(fake, db) as translator:
        async with sessions() as session, session.begin():
            await add_pending(session, USER, CASE, KEY, PARCEL, NOW)
        worker = PendingTranslationWorker(translator, sessions, deliver)
        assert await worker.run_once(NOW) == []
        assert (await pending_row(db)).status == "pending"
        assert len(await worker.run_once(NOW + timedelta(minutes=1))) == 1
    assert len(calls) == 2
    assert (await pending_row(db)).status == "done"


async def test_a_text_is_given_up_after_max_attempts(
    fake: FakeTranslationServer, db: Database
) -> None:
    fake.set_mode(Mode.DOWN)
    sessions = db.sessions()

    async def deliver(completed: CompletedTranslation) -> None:
        raise AssertionError("nothing should be delivered")

    async with service(fake, db) as translator:
        async with sessions() as session, session.begin():
            await add_pending(session, USER, CASE, KEY, PARCEL, NOW)
        worker = PendingTranslationWorker(translator, sessions, deliver, max_attempts=2)
        for minutes in (0, 1, 3, 10):
            assert await worker.run_once(NOW + timedelta(minutes=minutes)) == []
    row = await pending_row(db)
    assert (row.status, row.attempts) == ("failed", 1)


async def test_a_claimed_row_is_leased_and_comes_back_after_a_crash(db: Database) -> None:
    sessions = db.sessions()
    async with sessions() as session, session.begin():
        await add_pending(session, USER, CASE, KEY, PARCEL, NOW)
    async with sessions() as session, session.begin():
        assert len(await claim_due(session, NOW, 10, lease=timedelta(minutes=5))) == 1
    async with sessions() as session:
        assert await due_pending(session, NOW + timedelta(minutes=4), 10) == []
        assert len(await due_pending(session, NOW + timedelta(minutes=5), 10)) == 1


async def test_a_new_text_for_the_same_answer_replaces_the_queued_one(db: Database) -> None:
    sessions = db.sessions()
    async with sessions() as session, session.begin():
        await add_pending(session, USER, CASE, KEY, "Первый текст", NOW)
        await add_pending(session, USER, CASE, KEY, PARCEL, NOW + timedelta(minutes=1))
        await add_pending(session, USER, CASE, "report.description", "Другой", NOW)
    assert await count_rows(db, PendingTranslation) == 2
    async with sessions() as session:
        due = await due_pending(session, NOW + timedelta(minutes=1), 10)
    assert {(row.key, row.source_text) for row in due} == {
        (KEY, PARCEL),
        ("report.description", "Другой"),
    }
