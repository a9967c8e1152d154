"""Updates left unhandled by a stopped bot (received_updates) are taken up at the next start.

A kill with updates queued is in test_reliability_kill.py; here, what a start does with rows it
finds: a webhook instance leaves young rows to the live instance that holds them, and an update
that never finished after several starts is given up.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.emulator import BotApiEmulator
from bot.runner import Webhook
from bot.storage import received
from bot.storage.migrate import upgrade
from bot.storage.models import ReceivedUpdate
from bot.storage.received import MAX_RECOVERIES
from bot.storage.session import create_engine, session_factory
from tests.conftest import BotStarter, free_port

GREETING_START = "Здравствуйте! Я Ябеда"


def start_command(update_id: int, user_id: int) -> dict[str, Any]:
    """A /start message as Telegram sends it."""
    person = {"id": user_id, "first_name": "Анна", "language_code": "ru"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Анна"},
            "from": person | {"is_bot": False},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def seed(url: str, rows: list[tuple[int, int, timedelta, int]]) -> None:
    """Migrate, then leave (update_id, user_id, age, recoveries) rows as a stopped bot would."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with session_factory(engine)() as session, session.begin():
            now = datetime.now(UTC)
            session.add_all(
                ReceivedUpdate(
                    update_id=update_id,
                    user_id=user_id,
                    payload=start_command(update_id, user_id),
                    received_at=now - age,
                    recoveries=recoveries,
                )
                for update_id, user_id, age, recoveries in rows
            )
    finally:
        await engine.dispose()


async def left(url: str) -> list[int]:
    """The update ids still in received_updates."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            return sorted((await session.scalars(select(ReceivedUpdate.update_id))).all())
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_a_webhook_instance_takes_up_only_rows_no_live_instance_holds(
    postgres_url: str, emulator: BotApiEmulator, start_bot: BotStarter
) -> None:
    orphan, held = emulator.user(798_001), emulator.user(798_002)
    await seed(
        postgres_url,
        [(9_000_001, orphan.id, timedelta(minutes=2), 0), (9_000_002, held.id, timedelta(0), 0)],
    )
    port = free_port()
    hook = Webhook("127.0.0.1", port, f"http://127.0.0.1:{port}/telegram", None)
    await start_bot(postgres_url, webhook=hook)
    [reply] = await orphan.next_replies(timeout=10)
    assert reply.text.startswith(GREETING_START)
    try:
        got = await held.next_replies(timeout=1.0)
    except TimeoutError:
        got = []
    assert [r.text for r in got] == []
    assert await left(postgres_url) == [9_000_002]


async def test_an_update_that_never_finished_after_several_starts_is_given_up(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    poison, fine = emulator.user(798_003), emulator.user(798_004)
    await seed(
        sqlite_url,
        [
            (9_000_003, poison.id, timedelta(seconds=5), MAX_RECOVERIES),
            (9_000_004, fine.id, timedelta(seconds=5), MAX_RECOVERIES - 1),
        ],
    )
    with caplog.at_level(logging.INFO, logger="bot.inbox"):
        await start_bot(sqlite_url)
        [reply] = await fine.next_replies(timeout=10)
        await asyncio.sleep(0.7)  # the finished row is forgotten within half a second
    assert reply.text.startswith(GREETING_START)
    with pytest.raises(TimeoutError):
        await poison.next_replies(timeout=0.5)
    assert await left(sqlite_url) == []
    assert "update 9000003: never finished after 3 starts, given up" in caplog.text


async def test_what_the_inbox_writes_is_taken_up_as_telegram_sent_it(database_url: str) -> None:
    """Each backend's writer (PostgreSQL's goes around SQLAlchemy) against the take-up."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        write = received.writer(engine, None)
        now = datetime.now(UTC)
        kept, handled = start_command(9_000_010, 798_010), start_command(9_000_011, 798_011)
        kept["message"]["text"] = "/start «пустая посылка» 📦"
        rows = [
            {"update_id": u["update_id"], "user_id": u["message"]["chat"]["id"], "payload": u}
            | {"received_at": now}
            for u in (kept, handled)
        ]
        await write(rows, [])
        await write(rows[:1], [9_000_011])  # Telegram sent the first again; the second is done
        async with session_factory(engine)() as session, session.begin():
            taken, given_up = await received.take_up(session, now + timedelta(seconds=1), now)
    finally:
        await engine.dispose()
    assert (taken, given_up) == ([(9_000_010, kept)], [])
