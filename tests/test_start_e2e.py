"""The real bot against the emulator answers /start, over polling and over a webhook."""

from __future__ import annotations

from bot.emulator import BotApiEmulator
from bot.runner import Webhook
from tests.conftest import BotStarter, free_port

GREETING_START = "Здравствуйте! Я Ябеда"


async def test_start_over_polling(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    await start_bot(database_url)
    user = emulator.user(1001, first_name="Анна", language_code="ru")
    await user.send_text("/start")
    [reply] = await user.next_replies(timeout=10)
    assert reply.text.startswith(GREETING_START)
    assert "/privacy" in reply.text
    assert [label for row in reply.buttons for label, _ in row] == [
        "Начать новую жалобу",
        "Пожаловаться на товар или продавца",
    ]


async def test_start_over_webhook_with_secret(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str
) -> None:
    port = free_port()
    hook = Webhook("127.0.0.1", port, f"http://127.0.0.1:{port}/telegram", "s3cret-token")
    await start_bot(database_url, webhook=hook)
    user = emulator.user(1002, first_name="Boris", language_code="en")
    await user.send_text("/start")
    [reply] = await user.next_replies(timeout=10)
    assert reply.text.startswith("Hello! I am Yabeda")
    assert [label for row in reply.buttons for label, _ in row] == [
        "Start a new complaint",
        "Report a listing or a seller",
    ]


async def test_command_menu_is_set_at_start(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    application = await start_bot(sqlite_url)
    russian = await application.bot.get_my_commands()
    english = await application.bot.get_my_commands(language_code="en")
    expected = {"new", "cases", "help", "cancel", "language", "privacy", "delete"}
    assert expected <= {c.command for c in russian}
    assert {c.description for c in russian} >= {"Новая жалоба", "Удалить мои данные"}
    assert {c.description for c in english} >= {"New complaint", "Delete my data"}


async def test_the_start_button_opens_a_complaint(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    user = emulator.user(1003, language_code="ru")
    await user.send_text("/start")
    await user.next_replies(timeout=10)
    await user.press("Начать новую жалобу")
    replies = await user.next_replies(timeout=10, count=2)
    assert "Открыл жалобу №" in replies[0].text
    assert replies[1].text.startswith("Что случилось с заказом?")
    assert ["Посылка не пришла"] in [[label for label, _ in row] for row in replies[1].buttons]


async def test_help_privacy_and_language(
    emulator: BotApiEmulator, start_bot: BotStarter, sqlite_url: str
) -> None:
    await start_bot(sqlite_url)
    user = emulator.user(1004, language_code="ru")
    await user.send_text("/help")
    [help_reply] = await user.next_replies(timeout=10)
    assert "/new" in help_reply.text and "/report" in help_reply.text
    await user.send_text("/privacy")
    [privacy_reply] = await user.next_replies(timeout=10)
    assert "Что я храню" in privacy_reply.text and "/delete" in privacy_reply.text
    await user.send_text("/language")
    await user.next_replies(timeout=10)
    await user.press("English")
    [switched] = await user.next_replies(timeout=10)
    assert switched.text == "Interface language: English."
    await user.send_text("/start")
    [greeting] = await user.next_replies(timeout=10)
    assert greeting.text.startswith("Hello! I am Yabeda")
    await user.send_text("/nonsense")
    [unknown] = await user.next_replies(timeout=10)
    assert "/help" in unknown.text
