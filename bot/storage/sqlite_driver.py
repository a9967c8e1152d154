"""SQLAlchemy's aiosqlite adapter, running a statement on the loop's thread when it need not wait.

aiosqlite runs every call on its own thread: a hand-off there and a wake-up of the event loop
on the way back, for statements SQLite answers in microseconds from pages in memory. SQLAlchemy's
adapter makes four such trips per statement. Under load the trips, not SQLite, set the pace:
with one trip per statement the bot still spent 1.6 times PostgreSQL's CPU per update on SQLite,
and its loop sat idle while units of work waited on aiosqlite's thread (bench/RESULTS.md).

Here a statement runs at once on the loop's thread, with SQLite told not to wait for a lock
(a busy timeout of 0). Only when SQLite answers "busy" (another process, or the reminders'
guard connection, holds the write lock) does the statement go to aiosqlite's thread, to wait
there for up to BUSY_WAIT seconds without holding up the loop. A statement that opened
its transaction and found the database busy rolls that transaction back first and starts
afresh there.

WAL with synchronous=NORMAL commits without an fsync; a checkpoint syncs. So that no checkpoint
runs on the loop's thread, SQLite's automatic checkpoint is off on these connections
(session.py) and every CHECKPOINT_EVERY-th commit goes to aiosqlite's thread, checkpoint after.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

# What one statement gives back: description, rows, rowcount, lastrowid.
Outcome = tuple[Any, Sequence[Any], int, Any]
T = TypeVar("T")

# Seconds a statement that found the database busy waits on aiosqlite's thread (SQLite's busy
# timeout there; on the loop's thread it is 0).
BUSY_WAIT = 30.0
# A few pages per unit of work: about SQLite's default of a checkpoint per 1,000 WAL pages.
CHECKPOINT_EVERY = 200
BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """The whole statement, rows included (or one statement for many rows)."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, () if parameters is None else parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, (), cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _waiting(connection: sqlite3.Connection, call: Callable[[], T]) -> T:
    """Runs on aiosqlite's thread: the call, with SQLite's busy timeout while it runs."""
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT * 1000)}")
    try:
        return call()
    finally:
        connection.execute("PRAGMA busy_timeout = 0")


def _commit_and_checkpoint(connection: sqlite3.Connection) -> None:
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").close()


def _busy(error: Exception) -> bool:
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) in BUSY_CODES
    )


class InlineCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._statement(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._statement(operation, seq_of_parameters, many=True)

    def _statement(self, operation: str, parameters: Any, *, many: bool) -> None:
        connection = cast(InlineConnection, self._adapt_connection)
        try:
            outcome = connection.run(partial(_run, connection.sqlite, operation, parameters, many))
        except Exception as error:
            connection._handle_exception(error)
        description, rows, rowcount, lastrowid = outcome
        self.description = description
        self._rows = deque(rows)
        self.rowcount, self.lastrowid = rowcount, lastrowid


class InlineConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The sqlite3 connection aiosqlite opened (made with check_same_thread=False)."""
        connection: sqlite3.Connection = self._connection._conn
        return connection

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return super().cursor(server_side) if server_side else InlineCursor(self)

    def run(self, call: Callable[[], T]) -> T:
        """The call on the loop's thread; on aiosqlite's, waiting, if the database is busy."""
        was_open = self._in_transaction()
        try:
            result = call()
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
            if not was_open and self._in_transaction():
                self.sqlite.rollback()
            return self._on_thread(partial(_waiting, self.sqlite, call))
        # SQLAlchemy's greenlet bridge expects each call to await something; a finished future
        # resumes at once, with no turn of the loop.
        return self._on_thread(None, result)

    def _on_thread(self, call: Callable[[], T] | None, result: Any = None) -> T:
        """The call on aiosqlite's thread, awaited; with no call, `result` at once."""
        future = asyncio.get_running_loop().create_future()
        if call is None:
            future.set_result(result)
        else:
            self._connection._tx.put_nowait((future, call))
        outcome: T = self.await_(future)
        return outcome

    def rollback(self) -> None:
        if self._in_transaction():
            self._call(partial(self.run, self.sqlite.rollback))

    def commit(self) -> None:
        if not self._in_transaction():
            return
        dbapi: InlineDBAPI = self.dbapi
        dbapi.commits += 1
        if dbapi.commits % CHECKPOINT_EVERY:
            self._call(partial(self.run, self.sqlite.commit))
        else:
            self._call(partial(self._on_thread, partial(_commit_and_checkpoint, self.sqlite)))

    def _call(self, call: Callable[[], Any]) -> None:
        try:
            call()
        except Exception as error:
            self._handle_exception(error)

    def _in_transaction(self) -> bool:
        """Whether SQLite has a transaction open; a closed connection says yes, to fail loudly."""
        try:
            return bool(self.sqlite.in_transaction)
        except (ValueError, sqlite3.ProgrammingError):
            return True


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given (create_engine's `module`)."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.commits = 0

    def connect(self, *arg: Any, **kw: Any) -> InlineConnection:
        adapted = super().connect(*arg, **kw)
        return InlineConnection(self, adapted._connection)
