"""PostgreSQL restarted under a running bot: the next answer is taken as if nothing happened.

The pool keeps connections between updates without pinging them first (a ping is three round
trips on asyncpg); a connection the server dropped fails the turn's first statement, and the
turn is opened again on a fresh one before anything is written or sent.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.app import App
from bot.emulator import BotApiEmulator
from bot.runner import Webhook
from bot.storage.session import create_engine, session_factory
from bot.storage.users import lock_user
from tests.conftest import PG_ADMIN, BotStarter, free_port
from tests.test_reliability_helpers import TEXTS
from tests.test_update_order import _at_item_question

APOLOGY = TEXTS("error.resume")
ADVISORY_LOCKS = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
)


async def _drop_connections(database_url: str) -> int:
    """What a restart does to the bot's pooled connections: the server closes every one."""
    name = make_url(database_url).database
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        dropped = await admin.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
    finally:
        await admin.close()
    return len(dropped)


async def test_an_answer_after_the_database_dropped_every_connection_is_taken(
    emulator: BotApiEmulator, start_bot: BotStarter, postgres_url: str
) -> None:
    await start_bot(postgres_url)
    dialog = await _at_item_question(emulator, 882_001)
    assert await _drop_connections(postgres_url) > 0
    await dialog.say("Xiaomi Redmi Note 12 Pro")
    assert APOLOGY not in dialog.text
    assert "номер заказа" in dialog.text.lower()
    await dialog.say("8123456789012345")
    assert dialog.text.startswith("Трек-номер посылки?")


async def test_only_instances_that_may_share_users_take_the_cross_instance_lock(
    postgres_url: str,
) -> None:
    engine = create_engine(postgres_url)
    try:
        for shared, expected in ((True, 1), (False, 0)):
            async with session_factory(engine, shared_with_instances=shared)() as session:
                await lock_user(session, 882_002)
                assert await session.scalar(text(ADVISORY_LOCKS)) == expected
    finally:
        await engine.dispose()


async def _locks_taken(application: App) -> int:
    async with application.bot_data["services"].sessions() as session:
        await lock_user(session, 882_003)
        return int(await session.scalar(text(ADVISORY_LOCKS)))


async def test_a_polling_instance_is_alone_and_a_webhook_one_is_not(
    emulator: BotApiEmulator, start_bot: BotStarter, postgres_url: str
) -> None:
    assert await _locks_taken(await start_bot(postgres_url)) == 0
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    webhook = await start_bot(postgres_url, Webhook("127.0.0.1", port, url, None), webhook_url=url)
    assert await _locks_taken(webhook) == 1
