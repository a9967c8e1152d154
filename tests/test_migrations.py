"""Migrations reach head and go back down on both databases, and match the models."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.migrate import downgrade, upgrade
from bot.storage.models import Base, Case
from bot.storage.session import create_engine


async def test_upgrade_matches_models_then_downgrade(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert diff == []
        assert set(Base.metadata.tables) <= tables
        await downgrade(engine)
        async with engine.connect() as connection:
            left = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert left <= {"alembic_version"}
        await upgrade(engine)
    finally:
        await engine.dispose()


async def test_003_moves_answers_and_acts_into_the_case_row_and_back(database_url: str) -> None:
    """A database from before 003 keeps every answer and act, in order, through up and down."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "002")
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO users (id, chat_id, blocked) VALUES (7, 7, false)")
            )
            await connection.execute(
                text(
                    "INSERT INTO cases (id, user_id, flow, status) "
                    "VALUES (70, 7, 'complaint', 'open')"
                )
            )
            await connection.execute(
                text(
                    "INSERT INTO case_events (user_id, case_id, kind, occurred_on) "
                    "VALUES (7, 70, 'opened', '2024-08-01')"
                )
            )
            for key, value in (("problem", '"empty"'), ("amount", '{"value": "12.5"}')):
                await connection.execute(
                    text(
                        "INSERT INTO answers (user_id, case_id, key, value) VALUES (7, 70, :k, :v)"
                    ),
                    {"k": key, "v": value},
                )
            for position, fields in ((1, '{"number": "124"}'), (0, '{"number": "123"}')):
                await connection.execute(
                    text(
                        "INSERT INTO post_office_acts (user_id, case_id, position, fields) "
                        "VALUES (7, 70, :p, :f)"
                    ),
                    {"p": position, "f": fields},
                )
        await upgrade(engine)
        async with engine.connect() as connection:
            [stored] = (await connection.execute(select(Case.answers).where(Case.id == 70))).all()
        assert await _events_of_case_70(engine) == 1, "the case's other rows must stay"
        assert stored[0] == {
            "problem": "empty",
            "amount": {"value": "12.5"},
            "acts": [{"number": "123"}, {"number": "124"}],
        }
        await downgrade(engine, "002")
        async with engine.connect() as connection:
            answers = (await connection.execute(text("SELECT key FROM answers"))).scalars()
            acts = await connection.execute(
                text("SELECT position, fields FROM post_office_acts ORDER BY position")
            )
            assert sorted(answers) == ["amount", "problem"]
            rows = [(p, json.loads(f) if isinstance(f, str) else f) for p, f in acts]
        assert rows == [(0, {"number": "123"}), (1, {"number": "124"})]
        assert await _events_of_case_70(engine) == 1
    finally:
        await engine.dispose()


async def _events_of_case_70(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        query = text("SELECT count(*) FROM case_events WHERE case_id = 70")
        return int((await connection.execute(query)).scalar_one())
