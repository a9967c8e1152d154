"""Reminders through the emulator with a clock the test moves: each at its time, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.context import utc_now
from bot.emulator import BotApiEmulator
from bot.runner import stop
from bot.storage.models import Reminder, User
from tests.test_reminders_support import (
    IN_TRANSIT,
    RECEIPT_CONFIRMED,
    BotOnClock,
    FakeClock,
    as_utc,
    bot_on_clock_fixture,  # noqa: F401 - the fixture
    dispatcher_of,
    msk,
    plan,
    reminders_of,
    seed_case,
    sessions_of,
)

QUIET = 0.3


async def test_a_case_walks_through_its_events_and_each_reminder_comes_on_time(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 1, 12))
    app = await bot_on_clock(sqlite_url, clock)
    dispatcher = dispatcher_of(app)
    user = emulator.user(501, language_code="ru")
    case_id = await seed_case(app, 501, IN_TRANSIT)
    await plan(app, case_id)

    clock.set(msk(2026, 3, 13, 9, 59))
    assert await dispatcher.run_once() == 0
    clock.set(msk(2026, 3, 13, 10))
    assert await dispatcher.run_once() == 1
    [reminder] = await user.next_replies(timeout=5)
    assert f"Жалоба №{case_id}: пора просить продавца продлить защиту — сегодня, 13 марта" in (
        reminder.text
    )
    assert "Что сделать сейчас:" in reminder.text
    labels = [label for row in reminder.buttons for label, _ in row]
    assert labels == ["✅ Сделано", "⏰ Напомнить завтра", "📋 Открыть жалобу"]

    await user.press("📋 Открыть жалобу")
    [card] = await user.next_replies(timeout=5)
    assert f"Жалоба №{case_id}: Наушники" in card.text
    assert "18 марта — до конца защиты меньше двух суток" in card.text
    assert "4 апреля — последний день, чтобы открыть спор" in card.text

    await user.press("Спор открыт")
    [when] = await user.next_replies(timeout=5)
    assert when.text == "Спор открыт — когда это было?"
    await user.press("Сегодня, 13 марта")
    saved, card = await user.next_replies(timeout=5, count=2)
    assert saved.text == "Записал: Спор открыт — 13 марта."
    assert "18 марта — продавец должен ответить на спор" in card.text
    assert "до конца защиты" not in card.text
    rows = await reminders_of(app, case_id)
    assert rows["protection.urgent.due_today"].status == "cancelled"
    assert rows["dispute.open_last.due_in_2d"].status == "cancelled"

    clock.set(msk(2026, 3, 18, 10))
    assert await dispatcher.run_once() == 1
    [reminder] = await user.next_replies(timeout=5)
    assert "продавец должен ответить на спор — сегодня, 18 марта" in reminder.text

    await user.press("📋 Открыть жалобу")
    await user.next_replies(timeout=5)
    await user.press("Продавец ответил")
    await user.next_replies(timeout=5)
    await user.press("Другая дата")
    [ask] = await user.next_replies(timeout=5)
    assert "Напишите дату" in ask.text
    await user.send_text("17.03.2026")
    saved, card = await user.next_replies(timeout=5, count=2)
    assert saved.text == "Записал: Продавец ответил — 17 марта."
    assert "24 марта — срок договориться с продавцом заканчивается" in card.text

    clock.set(msk(2026, 3, 24, 10))
    assert await dispatcher.run_once() == 1
    [reminder] = await user.next_replies(timeout=5)
    assert "срок договориться с продавцом заканчивается — сегодня, 24 марта" in reminder.text
    await user.press("📋 Открыть жалобу")
    await user.next_replies(timeout=5)
    await user.press("Решение в мою пользу")
    await user.next_replies(timeout=5)
    await user.press("Сегодня, 24 марта")
    _, card = await user.next_replies(timeout=5, count=2)
    assert "7 апреля — деньги должны вернуться" in card.text

    clock.set(msk(2026, 4, 7, 10))
    assert await dispatcher.run_once() == 1
    [reminder] = await user.next_replies(timeout=5)
    assert "деньги должны вернуться — сегодня, 7 апреля" in reminder.text
    await user.press("📋 Открыть жалобу")
    await user.next_replies(timeout=5)
    await user.press("Деньги получены")
    await user.next_replies(timeout=5)
    await user.press("Сегодня, 7 апреля")
    _, card = await user.next_replies(timeout=5, count=2)
    assert "жалоба закрыта" in card.text
    assert card.buttons == [[("📄 Тексты жалобы", f"case:open:{case_id}")]]

    rows = await reminders_of(app, case_id)
    assert not [r.kind for r in rows.values() if r.status in ("pending", "claimed")]
    clock.set(msk(2026, 12, 31, 12))
    assert await dispatcher.run_once() == 0
    assert user.unread() == []


async def test_remind_me_tomorrow_then_done(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 2, 12))
    app = await bot_on_clock(sqlite_url, clock)
    dispatcher = dispatcher_of(app)
    user = emulator.user(502, language_code="ru")
    case_id = await seed_case(app, 502, RECEIPT_CONFIRMED)
    await plan(app, case_id)

    clock.set(msk(2026, 3, 14, 10))
    assert await dispatcher.run_once() == 1
    [reminder] = await user.next_replies(timeout=5)
    assert "последний день, чтобы открыть спор — 16 марта (осталось дней: 2)" in reminder.text
    await user.press("⏰ Напомнить завтра")
    [ack] = await user.next_replies(timeout=5)
    assert ack.text == "Хорошо, напомню завтра, 15 марта, в 10:00."

    clock.set(msk(2026, 3, 15, 9, 59))
    assert await dispatcher.run_once() == 0
    clock.set(msk(2026, 3, 15, 10))
    assert await dispatcher.run_once() == 1
    [again] = await user.next_replies(timeout=5)
    assert "16 марта (осталось дней: 1)" in again.text
    await user.press("✅ Сделано")
    [ack] = await user.next_replies(timeout=5)
    assert ack.text.startswith("Отметил: сделано.")

    clock.set(msk(2026, 3, 16, 10))
    assert await dispatcher.run_once() == 0
    rows = await reminders_of(app, case_id)
    assert rows["dispute.open_last.due_in_2d"].status == "done"
    assert rows["dispute.open_last.due_today"].status == "done"
    assert user.unread() == []


async def test_quiet_hours_hold_a_late_reminder_until_the_local_morning(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 2, 12))
    app = await bot_on_clock(sqlite_url, clock)
    dispatcher = dispatcher_of(app)
    user = emulator.user(503, language_code="ru")
    case_id = await seed_case(app, 503, RECEIPT_CONFIRMED)
    await plan(app, case_id)

    await user.send_text("/settings")
    [menu] = await user.next_replies(timeout=5)
    assert "Часовой пояс: Москва (Europe/Moscow), у вас сейчас 12:00." in menu.text
    assert "Тихие часы: 22:00–09:00" in menu.text
    await user.press("Владивосток")
    [ack] = await user.next_replies(timeout=5)
    assert ack.text.startswith("Часовой пояс: Владивосток (Asia/Vladivostok), у вас сейчас 19:00.")
    rows = await reminders_of(app, case_id)
    # 10:00 in Vladivostok (UTC+10) is midnight UTC.
    assert as_utc(rows["dispute.open_last.due_in_2d"].due_at).hour == 0

    await user.send_text("/settings")
    await user.next_replies(timeout=5)
    await user.press("23:00–08:00")
    [ack] = await user.next_replies(timeout=5)
    assert ack.text.startswith("Тихие часы: 23:00–08:00.")

    # The bot was down at 10:00 and comes back at 23:30 Vladivostok time: too late to write.
    clock.set(msk(2026, 3, 14, 16, 30))
    assert await dispatcher.run_once() == 0
    clock.set(msk(2026, 3, 15, 2, 59))
    assert await dispatcher.run_once() == 0
    clock.set(msk(2026, 3, 15, 3))
    assert await dispatcher.run_once() == 1
    [reminder] = await user.next_replies(timeout=5)
    assert "16 марта (осталось дней: 1)" in reminder.text


async def test_a_reminder_overdue_at_start_comes_once_with_what_can_still_be_done(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 2, 12))
    app = await bot_on_clock(sqlite_url, clock)
    user = emulator.user(504, language_code="ru")
    case_id = await seed_case(app, 504, RECEIPT_CONFIRMED)
    await plan(app, case_id)
    await stop(app)

    clock.set(msk(2026, 3, 18, 12))
    app = await bot_on_clock(sqlite_url, clock)
    [reminder] = await user.next_replies(timeout=10)
    assert "срок прошёл 16 марта — последний день, чтобы открыть спор" in reminder.text
    assert "Что ещё можно сделать: срок открыть спор на AliExpress прошёл" in reminder.text
    assert await dispatcher_of(app).run_once() == 0
    await stop(app)

    app = await bot_on_clock(sqlite_url, clock)
    assert await dispatcher_of(app).run_once() == 0
    assert user.unread() == []


async def test_a_reminder_planned_for_now_wakes_the_dispatcher_by_itself(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    clock = FakeClock(msk(2026, 3, 10, 12))
    app = await bot_on_clock(sqlite_url, clock)
    user = emulator.user(505, language_code="ru")
    case_id = await seed_case(app, 505, IN_TRANSIT)
    await plan(app, case_id)
    clock.set(msk(2026, 3, 13, 10))
    assert await dispatcher_of(app).run_once() == 1
    await user.next_replies(timeout=5)
    await user.press("📋 Открыть жалобу")
    await user.next_replies(timeout=5)
    await user.press("Спор открыт")
    await user.next_replies(timeout=5)
    await user.press("Другая дата")
    await user.next_replies(timeout=5)
    # Opened on the 8th: the seller's five days end today, so its reminder is due at once.
    await user.send_text("08.03.2026")
    saved, _card, reminder = await user.next_replies(timeout=5, count=3)
    assert saved.text == "Записал: Спор открыт — 8 марта."
    assert "продавец должен ответить на спор — сегодня, 13 марта" in reminder.text


async def test_the_wake_up_job_fires_at_the_due_moment_on_the_real_clock(
    emulator: BotApiEmulator, bot_on_clock: BotOnClock, sqlite_url: str
) -> None:
    app = await bot_on_clock(sqlite_url, utc_now)
    user = emulator.user(506, language_code="ru")
    case_id = await seed_case(app, 506, RECEIPT_CONFIRMED, timezone="UTC")
    due = utc_now() + timedelta(seconds=1.5)
    async with sessions_of(app)() as session, session.begin():
        await session.execute(update(User).where(User.id == 506).values(quiet_start=0, quiet_end=0))
        session.add(
            Reminder(
                user_id=506, case_id=case_id, kind="dispute.open_last.due_today",
                deadline_kind="dispute.open_last", deadline=due.date(), due_at=due,
                status="pending", attempts=0,
            )
        )  # fmt: skip
    dispatcher_of(app).poke(due)
    assert user.unread() == []
    [reminder] = await user.next_replies(timeout=5)
    assert utc_now() >= due
    assert "последний день, чтобы открыть спор — сегодня" in reminder.text
