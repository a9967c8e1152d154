"""The database engine and the session factory, SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage.sqlite_driver import InlineDBAPI

# Connections per instance on PostgreSQL: bot/updates.py runs up to 12 updates at once, and a
# hand-back holds two sessions (its own and the translation cache's); 28 also leaves three
# instances under PostgreSQL's default of 100 connections. All 28 stay open once opened: an
# overflow connection is closed when it comes back, so every burst paid for new connections
# again (the steady-load p95 fell from 80 to 60 ms without overflow, bench/RESULTS.md).
POOL_SIZE = 28
POOL_OVERFLOW = 0


def create_engine(url: str) -> AsyncEngine:
    """An engine with each backend's needs: SQLite gets its folder, WAL and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pool_pre_ping: on asyncpg it costs three round trips per unit of work. A
        # connection found dead instead invalidates the pool, and the turn is opened again
        # (bot/handlers/common.turn).
        return create_async_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # A busy timeout of 0 on the loop's thread; a busy statement waits on aiosqlite's thread
    # (sqlite_driver.py). check_same_thread: aiosqlite opens the connection on its own thread.
    connect = {"timeout": 0, "check_same_thread": False}
    engine = create_async_engine(url, connect_args=connect, module=InlineDBAPI())
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Cascading deletes (/delete) need foreign keys, which SQLite leaves off by default;
    # WAL lets a reader (the reminder dispatcher) run beside a writer (a handler).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints sync to disk: sqlite_driver.py runs them on aiosqlite's thread instead.
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


# session.info key: True when other bot instances may handle this bot's users at the same time.
SHARED_WITH_INSTANCES = "shared_with_instances"


def session_factory(
    engine: AsyncEngine, *, shared_with_instances: bool = True
) -> async_sessionmaker[AsyncSession]:
    """Sessions that know whether another instance may write the same user's rows at once."""
    info = {SHARED_WITH_INSTANCES: shared_with_instances}
    return async_sessionmaker(engine, expire_on_commit=False, info=info)


async def insert_rows(session: AsyncSession, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys, in one statement.

    The ORM inserts objects whose ids the database generates one at a time, which is one trip
    per row on SQLite; nothing here needs the new objects back. The table's own insert, not the
    ORM's bulk one: that one leaves out the keys whose value is None, and so split rows that
    differ only there into one statement each.
    """
    if rows:
        await session.execute(insert(model.__table__), rows)


def insert_or_ignore(table: Table, *names: str, **fixed: int) -> TextClause:
    """INSERT ... ON CONFLICT DO NOTHING of the named columns (and `fixed` numbers), built once.

    One spelling serves SQLite and PostgreSQL. The dialects' own on_conflict_do_nothing inserts
    have no cache key in SQLAlchemy 2.0, so each execution compiled the statement anew: 5% of
    the bot's CPU under load, for the insert every update makes (bench/RESULTS.md).
    """
    return _insert_text(table, names, fixed, "ON CONFLICT DO NOTHING")


def insert_or_update(table: Table, *names: str, key: tuple[str, ...], update: str) -> TextClause:
    """INSERT of the named columns that, where a row with the same `key` is there, sets its
    `update` column instead: one statement where a read and a write were two trips."""
    conflict = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {update} = excluded.{update}"
    return _insert_text(table, names, {}, conflict)


def _insert_text(
    table: Table, names: tuple[str, ...], fixed: dict[str, int], conflict: str
) -> TextClause:
    columns = ", ".join([*names, *fixed])
    values = ", ".join([*(f":{name}" for name in names), *(str(int(v)) for v in fixed.values())])
    statement = text(f"INSERT INTO {table.name} ({columns}) VALUES ({values}) {conflict}")
    return statement.bindparams(*(bindparam(name, type_=table.c[name].type) for name in names))
