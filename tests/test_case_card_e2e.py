"""The case card, typed dates and zones, and what happens to a typed answer nobody awaits."""

from __future__ import annotations

from bot.app import App
from bot.emulator import BotApiEmulator, SimUser
from bot.storage.models import CaseEvent, User
from tests.test_reminders_support import (
    IN_TRANSIT,
    BotOnClock,
    FakeClock,
    bot_on_clock_fixture,  # noqa: F401 - the fixture
    dispatcher_of,
    msk,
    plan,
    seed_case,
    sessions_of,
)


async def test_an_event_on_another_date_is_typed_and_checked(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 10, 12))
    app = await bot_on_clock(sqlite_url, clock)
    user = emulator.user(701, language_code="ru")
    case_id = await seed_case(app, 701, IN_TRANSIT)
    await plan(app, case_id)
    await _card_via_reminder(app, clock, user, case_id)

    await user.press("Спор открыт")
    await user.next_replies(timeout=5)
    await user.press("Другая дата")
    await user.next_replies(timeout=5)
    await user.send_text("когда-то весной")
    [refusal] = await user.next_replies(timeout=5)
    assert refusal.text.startswith("Не могу разобрать дату.")
    assert refusal.buttons == [[("↩️ К жалобе", f"card:show:{case_id}")]]
    await user.send_text("31.02.2026")
    [refusal] = await user.next_replies(timeout=5)
    assert refusal.text.startswith("Такой даты нет в календаре")
    await user.send_text("20.03.2026")
    [refusal] = await user.next_replies(timeout=5)
    assert refusal.text.startswith("Эта дата ещё не наступила")
    await user.send_text("вчера")
    saved, card = await user.next_replies(timeout=5, count=2)
    assert saved.text == "Записал: Спор открыт — 12 марта."
    assert "• 12 марта — Спор открыт" in card.text
    assert "17 марта — продавец должен ответить на спор" in card.text
    async with sessions_of(app)() as session:
        assert (await session.get(User, 701)).awaiting is None
        event = await session.get(CaseEvent, 1)
        assert (event.kind, event.occurred_on.isoformat()) == ("dispute_opened", "2026-03-12")


async def test_a_command_ends_the_wait_for_a_typed_date(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 10, 12))
    app = await bot_on_clock(sqlite_url, clock)
    user = emulator.user(702, language_code="ru")
    case_id = await seed_case(app, 702, IN_TRANSIT)
    await plan(app, case_id)
    await _card_via_reminder(app, clock, user, case_id)
    await user.press("Продавец ответил")
    await user.next_replies(timeout=5)
    await user.press("Другая дата")
    await user.next_replies(timeout=5)
    await user.send_text("/help")
    await user.next_replies(timeout=5)
    async with sessions_of(app)() as session:
        assert (await session.get(User, 702)).awaiting is None


async def test_a_typed_zone_name_or_city(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 10, 12))
    await bot_on_clock(sqlite_url, clock)
    user = emulator.user(703, language_code="en")
    await user.send_text("/settings")
    [menu] = await user.next_replies(timeout=5)
    assert menu.text.startswith("Time zone: Moscow (Europe/Moscow), your time now is 12:00.")
    await user.press("Another zone: type its name")
    await user.next_replies(timeout=5)
    await user.send_text("Atlantis/Capital")
    [refusal] = await user.next_replies(timeout=5)
    assert refusal.text.startswith('I don\'t know the zone "Atlantis/Capital".')
    await user.send_text("asia/tbilisi")
    [ack] = await user.next_replies(timeout=5)
    assert ack.text.startswith("Time zone: Asia/Tbilisi, your time now is 13:00.")

    await user.send_text("/settings")
    await user.next_replies(timeout=5)
    await user.press("Another zone: type its name")
    await user.next_replies(timeout=5)
    await user.send_text("Kamchatka")
    [ack] = await user.next_replies(timeout=5)
    assert ack.text.startswith("Time zone: Kamchatka (Asia/Kamchatka), your time now is 21:00.")


async def test_someone_elses_case_or_reminder_is_refused(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 10, 12))
    app = await bot_on_clock(sqlite_url, clock)
    owner = emulator.user(704, language_code="ru")
    case_id = await seed_case(app, 704, IN_TRANSIT)
    await plan(app, case_id)
    await _card_via_reminder(app, clock, owner, case_id)
    stranger = emulator.user(705, language_code="ru")
    await stranger.send_text("/start")
    [greeting] = await stranger.next_replies(timeout=5)
    # A forged press: the stranger's client sends the owner's callback data.
    greeting.message["reply_markup"] = {
        "inline_keyboard": [
            [{"text": "x", "callback_data": f"card:ev:{case_id}:dispute_opened"}],
            [{"text": "y", "callback_data": "rem:done:1"}],
        ]
    }
    emulator.state.chats[705].messages[greeting.message_id] = greeting.message
    await stranger.press("x")
    [answer] = await stranger.next_replies(timeout=5)
    assert answer.text.startswith("Эта кнопка не относится к вашим жалобам.")
    await stranger.press("y")
    [answer_two] = await stranger.next_replies(timeout=5)
    assert answer_two.text == answer.text


async def _card_via_reminder(app: App, clock: FakeClock, user: SimUser, case_id: int) -> None:
    """The first reminder of the case, then its card."""
    clock.set(msk(2026, 3, 13, 10))
    assert await dispatcher_of(app).run_once() == 1
    await user.next_replies(timeout=5)
    await user.press("📋 Открыть жалобу")
    [card] = await user.next_replies(timeout=5)
    assert f"Жалоба №{case_id}" in card.text
