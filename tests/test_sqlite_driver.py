"""The one-trip SQLite adapter gives what SQLAlchemy's stock aiosqlite adapter gives.

Each scenario runs on both engines, and the results (rows, row counts, new ids, what a
rollback left, the errors) must match.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

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
async def test_the_one_trip_adapter_answers_as_the_stock_one(tmp_path: Path, url_of: str) -> None:
    def url(name: str) -> str:
        return (
            f"sqlite+aiosqlite:///{tmp_path / name}"
            if url_of == "file"
            else ("sqlite+aiosqlite:///:memory:")
        )

    ours, stock = create_engine(url("ours.db")), create_async_engine(url("stock.db"))
    try:
        assert type(ours.dialect.loaded_dbapi).__name__ == "OneTripDBAPI"
        assert await _scenario(ours) == await _scenario(stock)
    finally:
        await ours.dispose()
        await stock.dispose()
