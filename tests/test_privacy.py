"""/delete removes every row of the user from every table, tables added later included."""

from __future__ import annotations

import json

from sqlalchemy import JSON, String, Text, select

from bot.emulator import BotApiEmulator
from bot.storage.models import Base
from bot.storage.session import create_engine
from tests.conftest import BotStarter
from tests.images import tiny_jpeg

MARKER = "Уникальный-маркер-4242"
WITHOUT_OWNER = {"users"}


def test_every_table_names_its_owner() -> None:
    """A new table without user_id would escape /delete: this test makes that a failure."""
    ownerless = {name for name, table in Base.metadata.tables.items() if "user_id" not in table.c}
    assert ownerless == WITHOUT_OWNER


async def test_delete_leaves_nothing_of_the_user(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    await start_bot(database_url)
    user = emulator.user(2001, language_code="ru")
    other = emulator.user(2002, language_code="ru")
    for person, words in ((user, MARKER), (other, "кусок мыла")):
        await person.send_text("/new")
        await person.next_replies(timeout=10, count=2)
        await person.press("Пустая посылка / внутри другое")
        await person.next_replies(timeout=10)
        await person.press("Да")
        await person.next_replies(timeout=10, count=2)
        await person.send_text(words)
        await person.next_replies(timeout=10)
        await person.send_photo(tiny_jpeg())
        await person.next_replies(timeout=10)

    await user.send_text("/delete")
    await user.next_replies(timeout=10)
    await user.press("Да, удалить всё")
    [done] = await user.next_replies(timeout=10)
    assert "удалены" in done.text

    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                owner = table.c.get("user_id", table.c.get("id"))
                rows = (await connection.execute(select(table).where(owner == 2001))).all()
                assert rows == [], f"{table.name} still holds rows of the deleted user"
                texts = [c for c in table.c if isinstance(c.type, String | Text)]
                for column in texts:
                    found = await connection.execute(select(column).where(column.contains(MARKER)))
                    assert found.all() == [], f"{table.name}.{column.name} keeps the user's words"
                for column in [c for c in table.c if isinstance(c.type, JSON)]:
                    values = (await connection.execute(select(column))).scalars()
                    kept = [v for v in values if MARKER in json.dumps(v, ensure_ascii=False)]
                    assert kept == [], f"{table.name}.{column.name} keeps the user's words"
            cases = Base.metadata.tables["cases"]
            others = await connection.execute(
                select(cases.c.answers).where(cases.c.user_id == 2002)
            )
            assert any(others.scalars()), "the other user's answers must stay"
    finally:
        await engine.dispose()
