"""The mark before the last byte: only the dispatcher that holds the claim may make it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.reminders.guard import EngineGuard, SqliteGuard, guard_for
from bot.storage.models import Reminder
from bot.storage.session import create_engine
from tests.test_reminders_crash import seed_due


async def _claim(url: str, owner: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            Reminder.__table__.update().values(status="claimed", claimed_by=owner)
        )
    await engine.dispose()


async def _row(url: str) -> Reminder:
    engine = create_engine(url)
    async with engine.connect() as connection:
        row = (await connection.execute(select(Reminder))).one()
    await engine.dispose()
    return row  # type: ignore[return-value]


async def test_sqlite_guard_marks_only_for_the_claim_holder(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'guard.sqlite3'}"
    await seed_due(url, 1)
    await _claim(url, "mine")
    engine = create_engine(url)
    guard = guard_for(engine)
    assert isinstance(guard, SqliteGuard)
    now = datetime(2026, 3, 1, 7, tzinfo=UTC)
    assert not await guard.marker(1, "theirs", now, now).commit()
    assert (await _row(url)).status == "claimed"
    marker = guard.marker(1, "mine", now, now + timedelta(seconds=40))
    assert await marker.commit()
    await marker.close()
    row = await _row(url)
    assert (row.status, row.sent_at, row.lease_until) == (
        "sending",
        datetime(2026, 3, 1, 7),
        datetime(2026, 3, 1, 7, 0, 40),
    )
    # Marked once: a second mark finds no claim left.
    assert not await guard.marker(1, "mine", now, now).commit()
    guard.close()
    await engine.dispose()


async def test_engine_guard_for_memory_and_other_databases() -> None:
    engine = create_engine("sqlite+aiosqlite:///:memory:")
    assert isinstance(guard_for(engine), EngineGuard)
    await engine.dispose()


async def test_engine_guard_marks_only_for_the_claim_holder(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'guard.sqlite3'}"
    await seed_due(url, 1)
    await _claim(url, "mine")
    engine = create_engine(url)
    guard = EngineGuard(engine)
    now = datetime(2026, 3, 1, 7, tzinfo=UTC)
    refused = guard.marker(1, "theirs", now, now)
    assert not await refused.commit()
    await refused.close()
    marker = guard.marker(1, "mine", now, now)
    assert await marker.commit()
    await marker.close()
    assert (await _row(url)).status == "sending"
    await engine.dispose()
