"""Throw-away databases with the app's tables: a SQLite file, or a PostgreSQL schema of its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage.models import Base, Case, User
from bot.storage.session import create_engine

POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# Parametrise a fixture with these; the PostgreSQL runs skip when its server is down.
BACKENDS = ("sqlite", pytest.param("postgres", marks=pytest.mark.postgres))


@dataclass
class Database:
    """One throw-away database; `engine()` opens another pool on it, as a second process would."""

    url: str
    connect_args: dict[str, Any]
    engines: list[AsyncEngine] = field(default_factory=list)

    def engine(self) -> AsyncEngine:
        """A new engine on this database (disposed with it); SQLite gets the app's own pragmas."""
        if self.url.startswith("sqlite"):
            engine = create_engine(self.url)
        else:
            engine = create_async_engine(self.url, connect_args=self.connect_args)
        self.engines.append(engine)
        return engine

    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """A session factory on a new engine."""
        return async_sessionmaker(self.engine(), expire_on_commit=False)


@asynccontextmanager
async def database(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    """The app's tables in a fresh database, dropped afterwards."""
    if backend == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'yabeda.db'}", {})
    else:
        # Other suites share this server: a schema of our own keeps our tables out of theirs.
        schema = f"translation_test_{uuid.uuid4().hex[:12]}"
        await _postgres(f'CREATE SCHEMA "{schema}"')
        db = Database(POSTGRES_URL, {"server_settings": {"search_path": schema}, "timeout": 5})
    try:
        async with db.engine().begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        yield db
    finally:
        if backend == "sqlite":
            async with db.engine().begin() as connection:
                await connection.run_sync(Base.metadata.drop_all)
        for engine in db.engines:
            await engine.dispose()
        if backend != "sqlite":
            await _postgres(f'DROP SCHEMA "{schema}" CASCADE')


async def add_owner(sessions: async_sessionmaker[AsyncSession], user_id: int, case_id: int) -> None:
    """A user and one case of theirs, for the foreign keys of translation rows."""
    async with sessions() as session, session.begin():
        session.add(User(id=user_id, chat_id=user_id))
        await session.flush()
        session.add(Case(id=case_id, user_id=user_id, flow="complaint"))


async def _postgres(statement: str) -> None:
    engine = create_async_engine(POSTGRES_URL, connect_args={"timeout": 2})
    try:
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    except (OSError, DBAPIError, TimeoutError) as error:
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {error}")
    finally:
        await engine.dispose()
