"""SQLAlchemy's aiosqlite adapter with one trip to aiosqlite's thread per statement.

aiosqlite runs every call on its own thread; each call is a hand-off there and a wake-up of
the event loop on the way back. SQLAlchemy's adapter makes four such trips per statement
(open a cursor, execute, fetch, close) and one more to roll back a connection that has just
committed. Under load each trip also waits its turn in a busy loop, and on SQLite units of
work take turns (bot/context.py): the trips, not SQLite, set the pace (bench/RESULTS.md).
Here a statement (or one statement for many rows) is one trip, and a rollback or commit with
no transaction open is none.

The single trip goes through aiosqlite's call queue, as SQLAlchemy's own isolation-level
setter does; everything else is SQLAlchemy's adapter unchanged.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Sequence
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

# What one statement gives back from aiosqlite's thread: description, rows, rowcount, lastrowid.
Outcome = tuple[Any, Sequence[Any], int, int | None]


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """Runs on aiosqlite's thread: the whole statement, rows included (or one for many rows)."""
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


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._one_trip(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._one_trip(operation, seq_of_parameters, many=True)

    def _one_trip(self, operation: str, parameters: Any, *, many: bool) -> None:
        connection = self._connection
        try:
            future = asyncio.get_running_loop().create_future()
            call = partial(_run, connection._conn, operation, parameters, many)
            connection._tx.put_nowait((future, call))
            description, rows, rowcount, lastrowid = self.await_(future)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        self._rows = deque(rows)
        self.rowcount, self.lastrowid = rowcount, lastrowid


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return super().cursor(server_side) if server_side else OneTripCursor(self)

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()

    def _in_transaction(self) -> bool:
        """Whether SQLite has a transaction open; a closed connection says yes, to fail loudly.

        Read from the loop's thread while no call of this connection is under way.
        """
        try:
            return bool(self._connection._conn.in_transaction)
        except (ValueError, sqlite3.ProgrammingError):
            return True


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given (create_engine's `module`)."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)
