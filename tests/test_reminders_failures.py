"""Telegram refuses: 429 waits retry_after, 500 backs off, 403 ends the user's reminders."""

from __future__ import annotations

import itertools
import time

from bot.emulator import BotApiEmulator
from bot.storage.models import User
from tests.test_reminders_support import (
    RECEIPT_CONFIRMED,
    BotOnClock,
    FakeClock,
    bot_on_clock_fixture,  # noqa: F401 - the fixture
    dispatcher_of,
    msk,
    plan,
    reminders_of,
    seed_case,
    sessions_of,
)


async def _due_now(app, clock: FakeClock, user_id: int) -> int:
    case_id = await seed_case(app, user_id, RECEIPT_CONFIRMED)
    await plan(app, case_id)
    clock.set(msk(2026, 3, 14, 10))
    return case_id


async def test_429_waits_retry_after_then_sends_once(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 2, 12))
    app = await bot_on_clock(sqlite_url, clock)
    dispatcher = dispatcher_of(app)
    user = emulator.user(601, language_code="ru")
    case_id = await _due_now(app, clock, 601)
    emulator.faults.add("sendMessage", 429, retry_after=1, chat_id=601)

    assert await dispatcher.run_once() == 0
    row = (await reminders_of(app, case_id))["dispute.open_last.due_in_2d"]
    assert row.status == "pending"
    assert row.attempts == 0
    clock.advance(seconds=1)
    began = time.monotonic()
    assert await dispatcher.run_once() == 1
    # The dispatcher's own pace honours retry_after in real time too.
    assert time.monotonic() - began >= 0.5
    [reminder] = await user.next_replies(timeout=5)
    assert "последний день, чтобы открыть спор" in reminder.text
    assert dispatcher.stats["retry_after"] == 1


async def test_server_errors_back_off_and_nothing_is_dropped(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 2, 12))
    app = await bot_on_clock(sqlite_url, clock)
    dispatcher = dispatcher_of(app)
    user = emulator.user(602, language_code="ru")
    case_id = await _due_now(app, clock, 602)
    emulator.faults.add("sendMessage", 500, times=3, chat_id=602)

    for backoff in (5, 10, 20):
        assert await dispatcher.run_once() == 0
        clock.advance(seconds=backoff - 1)
        assert await dispatcher.run_once() == 0
        clock.advance(seconds=1)
    assert await dispatcher.run_once() == 1
    [reminder] = await user.next_replies(timeout=5)
    assert "последний день, чтобы открыть спор" in reminder.text
    row = (await reminders_of(app, case_id))["dispute.open_last.due_in_2d"]
    assert (row.status, row.attempts) == ("sent", 3)


async def test_403_marks_the_user_blocked_and_cancels_their_reminders(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 2, 12))
    app = await bot_on_clock(sqlite_url, clock)
    dispatcher = dispatcher_of(app)
    case_id = await _due_now(app, clock, 603)
    emulator.block(603)

    assert await dispatcher.run_once() == 0
    rows = await reminders_of(app, case_id)
    assert {r.kind: r.status for r in rows.values() if r.kind.startswith("dispute")} == {
        "dispute.open_last.due_in_2d": "cancelled",
        "dispute.open_last.due_today": "cancelled",
    }
    async with sessions_of(app)() as session:
        assert (await session.get(User, 603)).blocked
    clock.set(msk(2026, 3, 16, 10))
    assert await dispatcher.run_once() == 0


async def test_one_chat_gets_at_most_one_reminder_a_second(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 2, 12))
    app = await bot_on_clock(sqlite_url, clock)
    user = emulator.user(604, language_code="ru")
    for _ in range(3):
        await plan(app, await seed_case(app, 604, RECEIPT_CONFIRMED))
    clock.set(msk(2026, 3, 14, 10))
    assert await dispatcher_of(app).run_once() == 3
    replies = await user.next_replies(timeout=5, count=3)
    stamps = list(emulator.stats.send_times[-3:])
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(stamps))
    assert len({r.text for r in replies}) == 3
