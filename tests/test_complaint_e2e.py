"""The complaint flow through the emulator, one problem per test, from /new to the texts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pytest

from bot.emulator import BotApiEmulator
from bot.runner import stop
from tests.conftest import BotStarter
from tests.dialog import Dialog, finish, order_facts
from tests.images import tiny_jpeg

CYRILLIC = re.compile("[\u0400-\u04ff]")


async def _begin(emulator: BotApiEmulator, user_id: int) -> Dialog:
    dialog = Dialog(emulator.user(user_id, first_name="Анна", language_code="ru"))
    await dialog.say("/new")
    assert "Что случилось с заказом?" in dialog.text
    return dialog


def _english(texts: str) -> tuple[str, str]:
    parts = texts.split("\n---\n")
    short = parts[parts.index(next(p for p in parts if p.startswith("Короткий текст"))) + 1]
    full = parts[parts.index(next(p for p in parts if p.startswith("Полный текст"))) + 1]
    return short, full


async def test_empty_parcel_with_soap_inside_becomes_different_item(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    await start_bot(database_url)
    dialog = await _begin(emulator, 4001)
    await dialog.tap("Пустая посылка / внутри другое")
    await dialog.tap("Да")
    assert "не «пустая посылка», а «получен другой товар»" in dialog.text
    await dialog.say("кусок мыла")
    await order_facts(dialog)
    await dialog.tap("Да")
    await dialog.tap("О вскрытии посылки")
    await dialog.say("№ 123")
    await dialog.say("19.08.2024")
    await dialog.say("ММПО Внуково")
    await dialog.say("520 г")
    await dialog.say("0,31 кг")
    await dialog.tap("Упаковка повреждена")
    await dialog.tap("Товар подменён")
    await dialog.tap("Готово")
    await dialog.tap("Нет")
    await dialog.send("send_photo", tiny_jpeg(1))
    assert "Фото акта сохранено" in dialog.text
    await dialog.tap("Нет")
    await dialog.send("send_video", tiny_jpeg(2))
    await dialog.tap("Видео распаковки")
    texts = await finish(dialog, "Заказывала телефон, пришёл кусок мыла в пакете.")
    assert "Received a different item" in texts
    assert "вас могут счесть мошенником" in texts
    short, full = _english(texts)
    for fact in (
        "8123456789012345",
        "RA123456785CN",
        "520 g",
        "310 g",
        "210 g",
        "No. 123",
        "19 August 2024",
        "Vnukovo",
        "RUB 12,168.71",
    ):
        assert fact in full, fact
    assert len(short) <= 500
    assert "8123456789012345" in short.splitlines()[0]


async def test_not_arrived_with_stuck_tracking(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = await _begin(emulator, 4002)
    await dialog.tap("Посылка не пришла")
    await dialog.tap("Статус давно не меняется")
    await order_facts(dialog)
    assert "Теперь доказательства" in dialog.text, "no act is asked for a parcel that never came"
    await dialog.send("send_photo", tiny_jpeg(3))
    await dialog.tap("Скриншот трекинга")
    texts = await finish(dialog, "Трек не обновляется с августа, продавец не отвечает.")
    what_to_do = texts.split("\n---\n")[0]  # the form's choices and the evidence, read together
    assert "The order is still in transit" in what_to_do
    assert "«No»" in what_to_do
    assert "✅ Скриншот отслеживания" in what_to_do
    _, full = _english(texts)
    assert "27 July 2024" in full
    assert "RA123456785CN" in full


async def test_not_as_described_quantity_short_with_album_forward_and_file(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = await _begin(emulator, 4003)
    await dialog.tap("Не соответствует описанию")
    await dialog.tap("Не хватает штук")
    await dialog.say("3")
    await dialog.say("1")
    await order_facts(dialog, confirmed=True)
    await dialog.tap("Нет")
    assert "Теперь доказательства" in dialog.text
    replies = await dialog.send("send_album", [tiny_jpeg(4), tiny_jpeg(5), tiny_jpeg(6)])
    assert len(replies) == 1
    assert "Альбом сохранён: 3 шт." in replies[0].text
    await dialog.tap("Сам товар")
    await dialog.send("forward_photo", tiny_jpeg(7), from_name="Seller")
    assert "Файл №4 сохранён" in dialog.text
    await dialog.tap("Переписка с продавцом")
    await dialog.send(
        "send_document", tiny_jpeg(8), file_name="listing.jpg", mime_type="image/jpeg"
    )
    assert "Файл №5 сохранён" in dialog.text
    await dialog.tap("Скриншот страницы товара")
    texts = await finish(dialog, "Заказал три штуки, пришла одна.")
    assert "Quantity smaller than ordered" in texts
    _, full = _english(texts)
    assert "3" in full and "1" in full


async def test_damaged_with_sticker_and_change_from_review(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = await _begin(emulator, 4004)
    await dialog.tap("Повреждён или не работает")
    await dialog.tap("Разбит или сломан")
    await dialog.tap("Да")
    await dialog.tap("aliexpress.com (глобальный)")
    await dialog.send("send_sticker")
    assert "Я жду текст" in dialog.text
    assert "Что вы заказывали?" in dialog.text
    await dialog.say("Чашка фарфоровая")
    await dialog.say("8123456789012345")
    await dialog.say("LP00123456789012")
    await dialog.say("вчера")
    await dialog.tap("Пропустить")
    await dialog.say("$25.90")
    await dialog.say("Best Cups Store")
    await dialog.tap("Нет")
    await dialog.say("15.12.2026")
    await dialog.tap("Частичный возврат")
    await dialog.say("$10")
    await dialog.tap("Нет")
    await dialog.send("send_photo", tiny_jpeg(9))
    await dialog.tap("Сам товар")
    await dialog.tap("Готово, доказательства все")
    await dialog.say("Чашка пришла разбитой, упаковка была мятая.")
    assert "Номер заказа: 8123456789012345" in dialog.text
    await dialog.tap("Изменить: Номер заказа")
    assert "Номер заказа?" in dialog.text
    await dialog.say("8123456789099999")
    assert "Номер заказа: 8123456789099999" in dialog.text, "back on the review card"
    await dialog.tap("Всё верно — получить тексты")
    texts = dialog.text
    assert "Item arrived damaged" in texts
    short, full = _english(texts)
    assert "8123456789099999" in full
    assert "Chashka" in full or "cup" in full.lower()
    assert not CYRILLIC.search(short.split("[")[0])


async def test_back_returns_to_the_previous_question(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = await _begin(emulator, 4005)
    await dialog.tap("Посылка не пришла")
    await dialog.tap("Возвращена отправителю")
    await dialog.tap("« Назад")
    assert "Что показывает отслеживание посылки?" in dialog.text
    await dialog.tap("« Назад")
    assert "Что случилось с заказом?" in dialog.text


async def test_restart_resumes_at_the_same_question_with_nothing_lost(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    first = await start_bot(database_url)
    dialog = await _begin(emulator, 4006)
    await dialog.tap("Пустая посылка / внутри другое")
    await dialog.tap("Нет")
    await dialog.send("send_photo", tiny_jpeg(10))
    await dialog.tap("Видео распаковки")
    await dialog.tap("aliexpress.ru (AliExpress Россия)")
    await dialog.say("Наушники")
    assert "Номер заказа?" in dialog.text
    await stop(first)

    await start_bot(database_url)
    await dialog.say("8123456789012345")
    assert "Трек-номер посылки?" in dialog.text
    await dialog.say("/start")
    await dialog.tap("Продолжить жалобу №1")
    assert "Трек-номер посылки?" in dialog.text
    await dialog.say("/cases")
    assert dialog.labels == ["№1 · Пустая посылка / внутри другое · заполняется"]
    await dialog.tap(dialog.labels[0])
    assert "Трек-номер посылки?" in dialog.text


async def test_the_evidence_step_shows_what_is_there_and_what_is_missing(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = await _begin(emulator, 4007)
    await dialog.tap("Посылка не пришла")
    await dialog.tap("Статус давно не меняется")
    await order_facts(dialog)
    assert "Доказательства:" in dialog.text
    assert "❗ Скриншот отслеживания" in dialog.text
    await dialog.send("send_photo", tiny_jpeg(11))
    await dialog.tap("Скриншот трекинга")
    assert "✅ Скриншот отслеживания" in dialog.text


async def test_an_edited_message_gets_a_reply_and_the_question_again(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = await _begin(emulator, 4008)
    await dialog.tap("Посылка не пришла")
    await dialog.tap("Статус давно не меняется")
    await dialog.tap("aliexpress.com (глобальный)")
    sent = await dialog.user.send_text("Наушники")
    await dialog.say("8123456789012345")
    await dialog.send("edit_text", sent["message_id"], "Наушники беспроводные")
    assert "исправили" in dialog.text
    assert "Трек-номер посылки?" in dialog.text


def recorded_updates(emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every update the emulator queues from now on, to be sent again as Telegram would."""
    queue = emulator.state.updates
    sent: list[Any] = []
    push = queue.push

    def keep(updates: Iterable[Any]) -> None:
        updates = list(updates)
        sent.extend(updates)
        push(updates)

    monkeypatch.setattr(queue, "push", keep)
    return sent


async def test_an_update_telegram_sends_again_is_applied_once(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bot stopped before confirming an update gets it again (getUpdates' offset)."""
    bot = await start_bot(sqlite_url)
    queue = emulator.state.updates
    sent = recorded_updates(emulator, monkeypatch)
    dialog = await _begin(emulator, 4011)
    await dialog.tap("Посылка не пришла")
    await dialog.tap("Статус давно не меняется")
    await dialog.tap("aliexpress.com (глобальный)")
    await dialog.say("Xiaomi Redmi Note 12 Pro")
    asked = dialog.text
    assert "Номер заказа" in asked

    await stop(bot)
    queue.push([sent[-1]])  # the item's name once more, as Telegram would resend it
    await start_bot(sqlite_url)
    await dialog._collect()
    assert dialog.text == asked, "the same question again, the name not taken as the order"
    await dialog.say("8123456789012345")
    assert "Номер заказа" not in dialog.text


async def test_an_update_sent_again_to_the_bot_that_has_it_gets_no_second_reply(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Telegram sends a batch again when it missed the call that confirmed it."""
    await start_bot(sqlite_url)
    queue = emulator.state.updates
    sent = recorded_updates(emulator, monkeypatch)
    dialog = await _begin(emulator, 4013)
    await dialog.tap("Посылка не пришла")
    queue.push([sent[-1]])
    with pytest.raises(TimeoutError):
        await dialog.user.next_replies(timeout=1.5)
    await dialog.tap("Статус давно не меняется")
    assert "aliexpress.com (глобальный)" in dialog.labels


async def test_a_tap_is_answered_without_waiting_for_its_spinner_to_stop(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = await _begin(emulator, 4012)
    emulator.faults.slow("answerCallbackQuery", 3.0, times=1)
    press = await dialog.user.press("Посылка не пришла")
    [reply] = await dialog.user.next_replies(timeout=2)
    assert "Статус давно не меняется" in [label for row in reply.buttons for label, _ in row]
    assert not press.answer.done(), "the reply came before the slow spinner answer"
    await press.answered(timeout=5)
