"""The buyer's words in English through the real translator chain and a local fake server."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update

from bot.emulator import BotApiEmulator
from bot.runner import stop
from bot.storage.models import Case
from bot.storage.session import create_engine
from tests.conftest import BotStarter
from tests.dialog import Dialog, finish, not_arrived_until_description
from tests.fakes.translation_server import FakeTranslationServer, Mode

WORDS = "Посылка не пришла, трек RA123456785CN стоит с августа."
MARK = "not yet translated"


def _full_english(texts: str) -> str:
    parts = texts.split("\n---\n")
    return parts[parts.index(next(p for p in parts if p.startswith("Полный текст"))) + 1]


async def _wait_for(user: Dialog, needle: str, seconds: float = 20) -> list[str]:
    """Everything the bot sends until a message containing `needle` arrives."""
    seen: list[str] = []
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        seen += [r.text for r in user.user.unread()]
        if any(needle in text for text in seen):
            return seen
        await asyncio.sleep(0.2)
    raise AssertionError(f"{needle!r} never came; got {seen!r}")


async def _finished_with_the_translator_down(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    database_url: str,
    translation_server: FakeTranslationServer,
    user_id: int,
) -> tuple[Dialog, str]:
    """A case finished while the translator was down, then the bot stopped: its texts."""
    translation_server.stop()
    first = await start_bot(database_url)
    dialog = Dialog(emulator.user(user_id, language_code="ru"))
    await not_arrived_until_description(dialog)
    texts = await finish(dialog, WORDS)
    await stop(first)
    return dialog, texts


async def test_words_are_translated_and_shown_beside_the_original(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    dialog = Dialog(emulator.user(6001, language_code="ru"))
    await not_arrived_until_description(dialog)
    texts = await finish(dialog, WORDS)
    full = _full_english(texts)
    assert MARK not in full
    assert "RA123456785CN" in full
    assert f"Ваши слова:\n{WORDS}" in texts


async def test_translator_down_then_back_delivers_the_english_once_across_a_restart(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    translation_server: FakeTranslationServer,
) -> None:
    dialog, texts = await _finished_with_the_translator_down(
        emulator, start_bot, sqlite_url, translation_server, 6002
    )
    assert MARK in _full_english(texts)
    assert WORDS in _full_english(texts)
    assert "Сервис перевода сейчас недоступен" in texts

    translation_server.start()
    await start_bot(sqlite_url)
    seen = await _wait_for(dialog, "Перевод готов")
    await asyncio.sleep(2)
    seen += [r.text for r in dialog.user.unread()]
    assert sum("Перевод готов" in text for text in seen) == 1
    english = [t for t in seen if t.startswith("Order No. 8123456789012345")]
    assert len(english) == 1
    assert MARK not in english[0]


async def test_own_wording_replaces_the_machine_english(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    translation_server: FakeTranslationServer,
) -> None:
    translation_server.set_mode(Mode.ERROR)
    await start_bot(sqlite_url)
    dialog = Dialog(emulator.user(6003, language_code="ru"))
    await not_arrived_until_description(dialog)
    await finish(dialog, WORDS)
    await dialog.tap("Заменить английский своим текстом")
    assert "на английском" in dialog.text
    await dialog.say("Кириллица не подходит")
    assert "латиницей" in dialog.text
    await dialog.say("The parcel never arrived; tracking has been stuck since August.")
    assert "сохранён" in dialog.text
    full = _full_english(dialog.text)
    assert "The parcel never arrived; tracking has been stuck since August." in full
    assert MARK not in full


async def test_a_slow_translator_keeps_no_other_buyer_waiting(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    translation_server: FakeTranslationServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One buyer's texts wait for the translator; another buyer's answer is not held behind."""
    monkeypatch.setattr(translation_server, "slow_delay", 4.0)
    translation_server.set_mode(Mode.SLOW)
    await start_bot(sqlite_url)
    waiting = Dialog(emulator.user(6004, language_code="ru"))
    other = Dialog(emulator.user(6005, language_code="ru"))
    await not_arrived_until_description(waiting)
    await waiting.tap("Готово, доказательства все")
    await waiting.say(WORDS)
    await other.say("/new")
    await waiting.user.press("Всё верно — получить тексты")
    await asyncio.sleep(1)  # the translator now holds the hand-back
    assert translation_server.count() == 1
    assert not waiting.user.unread()

    await other.user.press("Посылка не пришла")
    answer = await other.user.next_replies(timeout=15)

    assert "Статус давно не меняется" in [label for row in answer[0].buttons for label, _ in row]
    assert not waiting.user.unread(), "the other buyer waited for this one's translation"
    handed_back = await _wait_for(waiting, "Полный текст")
    await asyncio.sleep(1)
    handed_back += [reply.text for reply in waiting.user.unread()]
    assert MARK not in _full_english("\n---\n".join(handed_back))


async def test_english_sent_in_the_background_is_not_handed_back_again(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    translation_server: FakeTranslationServer,
) -> None:
    """A later hand-back that a stop cut short left its claim: the delivery covers it."""
    dialog, _ = await _finished_with_the_translator_down(
        emulator, start_bot, sqlite_url, translation_server, 6005
    )
    await _leave_a_claim(sqlite_url, 6005)

    translation_server.start()
    await start_bot(sqlite_url)
    await _wait_for(dialog, "Перевод готов")
    await asyncio.sleep(1)
    dialog.user.unread()
    await dialog.say("Когда будут тексты?")
    assert "Эта жалоба уже готова" in dialog.text
    assert not any(text.startswith("Order No.") for text in dialog.text.split("\n---\n"))


async def _leave_a_claim(database_url: str, user_id: int) -> None:
    """What a hand-back's first unit of work leaves when the bot stops during its translation."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(Case).where(Case.user_id == user_id).values(handback_claim="cut-short")
            )
    finally:
        await engine.dispose()


async def test_words_are_translated_while_the_buyer_reads_the_review_card(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    translation_server: FakeTranslationServer,
) -> None:
    """The translator is asked at the review card: a translator gone by the tap costs nothing."""
    await start_bot(sqlite_url)
    dialog = Dialog(emulator.user(6006, language_code="ru"))
    await not_arrived_until_description(dialog)
    await dialog.tap("Готово, доказательства все")
    await dialog.say(WORDS)
    assert "Проверьте ответы" in dialog.text
    for _ in range(50):
        if translation_server.count():
            break
        await asyncio.sleep(0.1)
    assert translation_server.count() == 1
    await asyncio.sleep(0.3)  # the translation's cache row is written after the answer
    translation_server.set_mode(Mode.ERROR)

    await dialog.tap("Всё верно — получить тексты")

    full = _full_english(dialog.text)
    assert MARK not in full
    assert "Сервис перевода сейчас недоступен" not in dialog.text
    assert translation_server.count() == 1
