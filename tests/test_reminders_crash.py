"""SIGKILL during dispatch, five times: every reminder reaches the chat exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from bot.emulator import BotApiEmulator
from bot.storage.migrate import upgrade
from bot.storage.models import Case, Reminder, User
from bot.storage.session import create_engine
from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[1]
REMINDERS = 1000
KILLS = 5
FIRST_USER = 700_000


async def seed_due(url: str, count: int, first_user: int = FIRST_USER) -> None:
    """`count` users, each with a ready case and one reminder due a minute ago."""
    engine = create_engine(url)
    await upgrade(engine)
    now = datetime.now(UTC)
    today = now.date()
    ids = range(first_user, first_user + count)
    async with engine.begin() as connection:
        # quiet_start == quiet_end: no quiet hours, whatever the hour the test runs at.
        await connection.execute(
            insert(User),
            [
                {"id": i, "chat_id": i, "language": "ru", "blocked": False, "timezone": "UTC",
                 "quiet_start": 0, "quiet_end": 0}
                for i in ids
            ],
        )  # fmt: skip
        await connection.execute(
            insert(Case),
            [{"id": i, "user_id": i, "flow": "complaint", "status": "ready"} for i in ids],
        )
        await connection.execute(
            insert(Reminder),
            [
                {"user_id": i, "case_id": i, "kind": "dispute.open_last.due_today",
                 "deadline_kind": "dispute.open_last", "deadline": today,
                 "due_at": now - timedelta(minutes=1), "status": "pending", "attempts": 0}
                for i in ids
            ],
        )  # fmt: skip
    await engine.dispose()


def reminder_ids(emulator: BotApiEmulator) -> Counter[int]:
    """How many times each reminder (by the id in its "done" button) reached a chat."""
    seen: Counter[int] = Counter()
    for reply in emulator.all_sent():
        for row in reply.buttons:
            for _, data in row:
                if data and data.startswith("rem:done:"):
                    seen[int(data.rsplit(":", 1)[1])] += 1
    return seen


def bot_process(emulator: BotApiEmulator, url: str, **extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "REMINDERS_"))}
    env.update(
        BOT_TOKEN=TOKEN,
        DATABASE_URL=url,
        TELEGRAM_API_URL=emulator.api_url,
        TELEGRAM_FILE_URL=emulator.file_url,
        LOG_LEVEL="WARNING",
        **extra,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def wait_for(
    condition: Callable[[], bool],
    timeout: float,  # noqa: ASYNC109 - a poll of another process's effects
    step: float = 0.005,
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(step)


async def ended(process: subprocess.Popen[bytes]) -> int:
    return await asyncio.to_thread(process.wait, 30)


@pytest.mark.slow
async def test_sigkill_during_dispatch_loses_and_doubles_nothing(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.sqlite3'}"
    await seed_due(url, REMINDERS)
    knobs = {"REMINDERS_RATE": "80", "REMINDERS_LEASE_SECONDS": "2", "REMINDERS_BATCH": "40"}
    rng = random.Random()
    for kill in range(KILLS):
        process = bot_process(emulator, url, **knobs)
        target = len(emulator.all_sent()) + rng.randint(60, 140)
        await wait_for(lambda: len(emulator.all_sent()) >= target, timeout=30)  # noqa: B023
        # Anywhere between two sends: in the claim, the commit, the write or the confirmation.
        await asyncio.sleep(rng.uniform(0, 0.03))
        process.send_signal(signal.SIGKILL)
        assert await ended(process) == -signal.SIGKILL, f"kill {kill}"
    process = bot_process(emulator, url, **knobs)
    try:
        with contextlib.suppress(TimeoutError):
            await wait_for(lambda: len(reminder_ids(emulator)) >= REMINDERS, timeout=40, step=0.1)
        # Leases of the last killed process run out: anything sent twice would show by now.
        await asyncio.sleep(3)
    finally:
        process.send_signal(signal.SIGTERM)
        await ended(process)
    seen = reminder_ids(emulator)
    twice = {reminder: n for reminder, n in seen.items() if n > 1}
    engine = create_engine(url)
    async with engine.connect() as connection:
        statuses = dict(
            (await connection.execute(
                select(Reminder.status, func.count()).group_by(Reminder.status)
            )).all()
        )  # fmt: skip
        missing = (
            await connection.execute(
                select(Reminder.id, Reminder.status, Reminder.attempts, Reminder.sent_at).where(
                    Reminder.id.not_in(list(seen))
                )
            )
        ).all()
    await engine.dispose()
    assert twice == {}
    assert missing == []
    assert len(seen) == REMINDERS
    # "sending" rows of killed processes turn "sent" once their lease runs out.
    assert set(statuses) <= {"sent", "sending"}
    assert sum(statuses.values()) == REMINDERS
