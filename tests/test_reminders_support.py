"""Support for the reminder tests: a clock the test moves, a bot on it, cases seeded in the DB."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import App, build_application
from bot.emulator import BotApiEmulator
from bot.reminders.dispatcher import Dispatcher
from bot.reminders.planner import sync_case
from bot.runner import start, stop
from bot.storage.models import Case, Reminder, User
from tests.conftest import make_settings

MOSCOW = ZoneInfo("Europe/Moscow")


class FakeClock:
    """Now is whatever the test says."""

    def __init__(self, now: datetime) -> None:
        self.now = now.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        """Move to `moment` (aware)."""
        self.now = moment.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        """Move forward by a timedelta's arguments."""
        self.now += timedelta(**delta)


def msk(*args: int) -> datetime:
    """A Moscow wall-clock moment."""
    return datetime(*args, tzinfo=MOSCOW)


BotOnClock = Callable[..., Awaitable[App]]


@pytest.fixture(name="bot_on_clock")
async def bot_on_clock_fixture(emulator: BotApiEmulator) -> AsyncIterator[BotOnClock]:
    """Start the real bot with a test clock; every bot started is stopped afterwards."""
    running: list[App] = []

    async def _start(database_url: str, clock: FakeClock, **extra: Any) -> App:
        application = build_application(make_settings(emulator, database_url, **extra), clock=clock)
        await start(application)
        running.append(application)
        return application

    yield _start
    for application in running:
        if application.running:
            await stop(application)


def dispatcher_of(application: App) -> Dispatcher:
    """The app's reminder dispatcher (tests call run_once() instead of waiting for days)."""
    dispatcher: Dispatcher = application.bot_data["reminders"]
    return dispatcher


def sessions_of(application: App) -> Any:
    return application.bot_data["services"].sessions


async def seed_case(
    application: App,
    user_id: int,
    answers: dict[str, Any],
    *,
    language: str = "ru",
    timezone: str | None = None,
) -> int:
    """A user (if new) and a complete complaint with these answers; the case id."""
    async with sessions_of(application)() as session, session.begin():
        user = await session.get(User, user_id)
        if user is None:
            user = User(id=user_id, chat_id=user_id, language=language, blocked=False)
            user.timezone = timezone
            session.add(user)
            await session.flush()
        case = Case(user_id=user_id, flow="complaint", status="ready", answers=dict(answers))
        session.add(case)
        await session.flush()
        return case.id


async def plan(application: App, case_id: int) -> None:
    """What the texts-ready hook does: plan the case's reminders."""
    async with sessions_of(application)() as session, session.begin():
        case = await session.get(Case, case_id)
        user = await session.get(User, case.user_id)
        await sync_case(session, case, user, dispatcher_of(application).planning())


async def reminders_of(application: App, case_id: int) -> dict[str, Reminder]:
    """The case's reminder rows by kind."""
    async with sessions_of(application)() as session:
        rows = await session.scalars(select(Reminder).where(Reminder.case_id == case_id))
        return {row.kind: row for row in rows}


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


RECEIPT_CONFIRMED = {
    "site": "com",
    "item_name": "Наушники",
    "order_date": "2026-02-01",
    "receipt_confirmed": True,
    "receipt_confirmed_on": "2026-03-01",
}
IN_TRANSIT = {
    "site": "com",
    "item_name": "Наушники",
    "order_date": "2026-02-01",
    "shipped_on": "2026-02-05",
    "receipt_confirmed": False,
    "protection_end": {"end": "2026-03-20", "expired": False},
}
