"""Engines on a throw-away database (conftest's `database_url`) that holds the app's tables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage.models import Base, Case, User
from bot.storage.session import create_engine, session_factory


@dataclass
class Database:
    """One database; each `sessions()` opens a pool of its own, as a second process would."""

    url: str
    engines: list[AsyncEngine] = field(default_factory=list)

    def engine(self) -> AsyncEngine:
        """A new engine, the app's own way (disposed with the database)."""
        engine = create_engine(self.url)
        self.engines.append(engine)
        return engine

    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """A session factory on a new engine."""
        return session_factory(self.engine())


@asynccontextmanager
async def database(url: str) -> AsyncIterator[Database]:
    """The app's tables on an empty database; the engines are disposed afterwards.

    The database itself is conftest's: a temporary SQLite file, or a PostgreSQL database it
    creates for the test and drops after it (skipped when the server is down).
    """
    db = Database(url)
    try:
        async with db.engine().begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        yield db
    finally:
        for engine in db.engines:
            await engine.dispose()


async def add_owner(sessions: async_sessionmaker[AsyncSession], user_id: int, case_id: int) -> None:
    """A user and one case of theirs, for the foreign keys of translation rows."""
    async with sessions() as session, session.begin():
        session.add(User(id=user_id, chat_id=user_id))
        await session.flush()
        session.add(Case(id=case_id, user_id=user_id, flow="complaint"))
