"""The SQLite adapter gives what SQLAlchemy's stock aiosqlite adapter gives.

Each scenario runs on both engines, and the results (rows, row counts, new ids, what a
rollback left, the errors) must match. A database locked by another connection is waited for
without holding up the event loop, and the write-ahead log is checkpointed.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage import sqlite_driver
from bot.storage.session import create_engine

SCHEMA = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, n INTEGER)"


async def _scenario(engine: AsyncEngine) -> list[Any]:
    seen: list[Any] = []
    async with engine.begin() as connection:
        await connection.execute(text(SCHEMA))
        inserted = await connection.execute(text("INSERT INTO t (name, n) VALUES ('a', 1)"))
        seen.append(("insert", inserted.rowcount, inserted.lastrowid))
        many = await connection.execute(
            text("INSERT INTO t (name, n) VALUES (:name, :n)"),
            [{"name": "b", "n": 2}, {"name": "c", "n": 3}],
        )
        seen.append(("executemany", many.rowcount))
        returned = await connection.execute(
            text("INSERT INTO t (name, n) VALUES ('d', 4) RETURNING id, name")
        )
        seen.append(("returning", [tuple(row) for row in returned]))
        updated = await connection.execute(text("UPDATE t SET n = n + 10 WHERE n >= 2"))
        seen.append(("update", updated.rowcount))
    async with engine.connect() as connection:
        await connection.execute(text("DELETE FROM t WHERE name = 'a'"))
        await connection.rollback()
        try:
            await connection.execute(text("INSERT INTO t (name) VALUES ('b')"))
        except IntegrityError as error:
            seen.append(("error", type(error.orig).__name__, str(error.orig)))
        await connection.rollback()
        rows = await connection.execute(text("SELECT id, name, n FROM t ORDER BY id"))
        seen.append(("rows", [tuple(row) for row in rows], rows.keys()))
        one = await connection.execute(text("SELECT count(*) FROM t WHERE n > :n"), {"n": 12})
        seen.append(("scalar", one.scalar()))
    return seen


@pytest.mark.parametrize("url_of", ["file", "memory"])
async def test_the_inline_adapter_answers_as_the_stock_one(tmp_path: Path, url_of: str) -> None:
    def url(name: str) -> str:
        return (
            f"sqlite+aiosqlite:///{tmp_path / name}"
            if url_of == "file"
            else ("sqlite+aiosqlite:///:memory:")
        )

    ours, stock = create_engine(url("ours.db")), create_async_engine(url("stock.db"))
    try:
        assert type(ours.dialect.loaded_dbapi).__name__ == "InlineDBAPI"
        assert await _scenario(ours) == await _scenario(stock)
    finally:
        await ours.dispose()
        await stock.dispose()


async def _ticking(ticks: list[float]) -> None:
    while True:
        ticks.append(asyncio.get_running_loop().time())
        await asyncio.sleep(0.01)


async def test_a_write_to_a_locked_database_waits_without_stopping_the_loop(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None)
    ticks: list[float] = []
    ticker = asyncio.create_task(_ticking(ticks))
    try:
        async with engine.begin() as connection:
            await connection.execute(text(SCHEMA))
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock

        async def write() -> None:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t (name, n) VALUES ('w', 1)"))

        writing = asyncio.create_task(write())
        await asyncio.sleep(0.5)
        assert not writing.done(), "the write waits for the lock"
        assert len(ticks) > 20, "the loop kept running meanwhile"
        other.execute("COMMIT")
        await asyncio.wait_for(writing, 5)
        async with engine.connect() as connection:
            names = (await connection.execute(text("SELECT name FROM t"))).scalars().all()
        assert names == ["w"]
    finally:
        ticker.cancel()
        other.close()
        await engine.dispose()


async def _log_size_after_commits(path: Path, commits: int) -> int:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text(SCHEMA))
        for n in range(commits):
            async with engine.begin() as connection:
                await connection.execute(
                    text("INSERT INTO t (name, n) VALUES (:name, :n)"), {"name": str(n), "n": n}
                )
        return path.with_name(path.name + "-wal").stat().st_size
    finally:
        await engine.dispose()


async def test_the_write_ahead_log_is_checkpointed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own checkpoints are off; without the adapter's, the log would only grow."""
    checkpointed = await _log_size_after_commits(tmp_path / "with.db", 1000)
    monkeypatch.setattr(sqlite_driver, "CHECKPOINT_EVERY", 10**9)
    unchecked = await _log_size_after_commits(tmp_path / "without.db", 1000)
    assert checkpointed < unchecked / 3, (checkpointed, unchecked)
