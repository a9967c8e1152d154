"""The hook results.py calls once a complaint's texts are ready: reminders planned, card shown."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from bot.conversation import Walk
from bot.emulator import BotApiEmulator
from bot.handlers.case_card import texts_ready
from bot.storage.models import Case, Reminder
from tests.test_reminders_support import (
    IN_TRANSIT,
    BotOnClock,
    FakeClock,
    bot_on_clock_fixture,  # noqa: F401 - the fixture
    msk,
    seed_case,
    sessions_of,
)


async def test_texts_ready_plans_the_reminders_and_returns_the_card(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 1, 12))
    app = await bot_on_clock(sqlite_url, clock)
    services = app.bot_data["services"]
    context: Any = SimpleNamespace(services=services)
    case_id = await seed_case(app, 801, IN_TRANSIT)
    async with sessions_of(app)() as session, session.begin():
        case = await session.get(Case, case_id)
        walk = Walk(session, case, services.catalogs.for_language("ru"), clock.now.date())
        [card] = await texts_ready(walk, context)
    assert f"📋 Жалоба №{case_id}: Наушники" in card.text
    assert "13 марта — пора просить продавца продлить защиту" in card.text
    assert [label for label, _ in card.buttons[0]] == ["Спор открыт", "Продавец ответил"]
    assert card.buttons[-1] == [("📄 Тексты жалобы", f"case:open:{case_id}")]
    async with sessions_of(app)() as session:
        kinds = set(
            await session.scalars(select(Reminder.kind).where(Reminder.status == "pending"))
        )
    assert {
        "protection.extend.due_today",
        "protection.urgent.due_today",
        "dispute.open_last_safe.due_today",
        "dispute.open_last.due_in_2d",
        "dispute.open_last.due_today",
        "case.replan",
    } == kinds
