"""Queries about users: find or create, and remove everything a user owns."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Base, Case, User
from bot.storage.session import SHARED_WITH_INSTANCES

# Every update runs this query. Built once, it is also keyed for SQLAlchemy's statement cache
# once: the key is memoized on the statement, where a statement built per call is walked anew.
USER_WITH_ACTIVE_CASE = (
    select(User, Case)
    .outerjoin(Case, Case.id == User.active_case_id)
    .where(User.id == bindparam("user_id"))
)


async def ensure_user(
    session: AsyncSession, user_id: int, chat_id: int, language: str | None = None
) -> User:
    """The stored user, created on first contact; the language is only set once.

    The user's active case comes in the same query, so that the update's later lookups of it
    (`active_case`) find it in the session.
    """
    row = (await session.execute(USER_WITH_ACTIVE_CASE, {"user_id": user_id})).first()
    user = row[0] if row is not None else None
    if row is not None:
        # The session's identity map holds objects weakly: keep the case for this unit of work.
        session.info["active_case"] = row[1]
    if user is None:
        user = User(id=user_id, chat_id=chat_id, language=language, blocked=False)
        session.add(user)
        await session.flush()
    elif user.chat_id != chat_id or user.blocked:
        user.chat_id = chat_id
        user.blocked = False
    return user


async def lock_user(session: AsyncSession, user_id: int) -> None:
    """Serialise one user's updates across bot instances, until this transaction ends.

    One instance handles a user's updates one at a time already (bot/updates.py); several
    instances behind one webhook may get two updates of one user at once, and both would read
    the same position. SQLite has one writer, and one instance; an instance that polls is the
    only one getting its bot's updates: nothing to do there, and no round trip to pay.
    """
    shared = session.info.get(SHARED_WITH_INSTANCES, True)
    if shared and session.bind.dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(user_id)))


async def delete_user(session: AsyncSession, user_id: int) -> None:
    """Delete the user's rows from every table that has a user_id, children first."""
    for table in reversed(Base.metadata.sorted_tables):
        if "user_id" in table.c:
            await session.execute(delete(table).where(table.c.user_id == user_id))
    await session.execute(delete(User).where(User.id == user_id))


async def user_exists(session: AsyncSession, user_id: int) -> bool:
    return (await session.scalar(select(User.id).where(User.id == user_id))) is not None
