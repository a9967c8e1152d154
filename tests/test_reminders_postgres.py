"""Two dispatchers on one PostgreSQL database share 10,000 due reminders: none twice, none lost."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from telegram import Bot

from bot.context import utc_now
from bot.emulator import BotApiEmulator
from bot.i18n import Catalogs
from bot.reminders.config import ReminderConfig
from bot.reminders.dispatcher import Dispatcher
from bot.reminders.transport import GuardedRequest
from bot.storage.models import Reminder
from bot.storage.session import create_engine, session_factory
from flows.rules import DEFAULT_RULES
from tests.conftest import TOKEN, _create_pg_database, _drop_pg_database, _pg_available
from tests.test_reminders_crash import reminder_ids, seed_due

REMINDERS = 10_000
FAST = ReminderConfig(rate=5000, chat_interval=0, batch=250, in_flight=16, lease_seconds=30)


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    if not await _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running at 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")
    name = await _create_pg_database()
    yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    await _drop_pg_database(name)


async def instance(url: str, emulator: BotApiEmulator, catalogs: Catalogs) -> Dispatcher:
    """A dispatcher with its own engine and connections, as a second process would have."""
    request = GuardedRequest(timeout=10, pool_size=FAST.in_flight)
    bot = Bot(TOKEN, base_url=emulator.api_url, request=request, get_updates_request=request)
    sessions = session_factory(create_engine(url))
    return Dispatcher(sessions, bot, catalogs, DEFAULT_RULES, "UTC", utc_now, FAST)


@pytest.mark.postgres
@pytest.mark.slow
async def test_two_instances_send_each_reminder_once(emulator: BotApiEmulator, pg_url: str) -> None:
    await seed_due(pg_url, REMINDERS)
    catalogs = Catalogs.load()
    first, second = [await instance(pg_url, emulator, catalogs) for _ in range(2)]
    started = time.monotonic()
    counts = await asyncio.gather(first.run_once(), second.run_once())
    elapsed = time.monotonic() - started

    seen = reminder_ids(emulator)
    assert {reminder: n for reminder, n in seen.items() if n > 1} == {}
    assert len(seen) == REMINDERS
    assert sum(counts) == REMINDERS
    # Both did a real share of the work.
    assert min(counts) > REMINDERS / 10, counts
    async with first.sessions() as session:
        statuses = dict(
            (await session.execute(select(Reminder.status, func.count()).group_by(Reminder.status)))
            .tuples()
            .all()
        )
    assert statuses == {"sent": REMINDERS}
    for dispatcher in (first, second):
        await dispatcher.sessions.kw["bind"].dispose()
    print(f"\n{REMINDERS} reminders by two instances in {elapsed:.1f} s, split {counts}")
