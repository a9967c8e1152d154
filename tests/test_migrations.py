"""Migrations reach head and go back down on both databases, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage.migrate import downgrade, upgrade
from bot.storage.models import Base
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
