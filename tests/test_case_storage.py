"""A case's stored texts and new rows, on SQLite and on PostgreSQL (when its server is up)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.storage import cases as store
from bot.storage.models import Case, GeneratedText, Reminder
from bot.storage.session import insert_rows
from tests.fakes.databases import Database, add_owner, database

USER, CASE = 7, 70
DUE = datetime(2024, 8, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with database(database_url) as db:
        await add_owner(db.sessions(), USER, CASE)
        yield db


async def save(db: Database, bodies: dict[str, str]) -> None:
    async with db.sessions()() as session, session.begin():
        case = await session.get(Case, CASE)
        assert case is not None
        await store.save_texts(session, case, bodies)


async def stored_texts(db: Database) -> list[tuple[str, str]]:
    async with db.sessions()() as session:
        rows = await session.scalars(select(GeneratedText).order_by(GeneratedText.kind))
        return [(row.kind, row.body) for row in rows]


async def test_texts_handed_back_again_replace_the_stored_ones(db: Database) -> None:
    await save(db, {"dispute_short_en": "first short", "dispute_ru": "первый"})
    await save(db, {"dispute_short_en": "second short", "dispute_full_en": "second full"})
    assert await stored_texts(db) == [
        ("dispute_full_en", "second full"),
        ("dispute_ru", "первый"),
        ("dispute_short_en", "second short"),
    ]


async def test_rows_inserted_together_keep_their_empty_fields_empty(db: Database) -> None:
    rows = [
        {"user_id": USER, "case_id": CASE, "kind": kind, "deadline_kind": deadline, "due_at": DUE}
        for kind, deadline in (("protection_ends", "protection"), ("replan", None))
    ]
    async with db.sessions()() as session, session.begin():
        await insert_rows(session, Reminder, rows)
    async with db.sessions()() as session:
        stored = await session.scalars(select(Reminder).order_by(Reminder.kind))
        assert [(r.kind, r.deadline_kind, r.status, r.attempts) for r in stored] == [
            ("protection_ends", "protection", "pending", 0),
            ("replan", None, "pending", 0),
        ]
