"""The error handler: the user hears their answers are kept; the log gets the update id."""

from __future__ import annotations

import logging

import pytest

from bot.emulator import BotApiEmulator
from tests.conftest import TOKEN, BotStarter
from tests.dialog import Dialog


async def test_a_failed_reply_is_apologised_for_and_logged_with_the_update_id(
    emulator: BotApiEmulator,
    start_bot: BotStarter,
    sqlite_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await start_bot(sqlite_url)
    dialog = Dialog(emulator.user(7001, language_code="ru"))
    await dialog.say("/new")
    emulator.faults.add(method="sendMessage", status=500, times=1)
    with caplog.at_level(logging.INFO):
        await dialog.tap("Посылка не пришла")
    assert "Ваши ответы сохранены" in dialog.text
    assert "Что показывает отслеживание посылки?" in dialog.text, "the kept answer's next question"
    failures = [r for r in caplog.records if r.name == "yabeda.errors" and "failed" in r.message]
    assert failures
    assert failures[0].getMessage().startswith("update ")
    assert TOKEN not in caplog.text
    await dialog.say("/cases")
    await dialog.tap(dialog.labels[0])
    assert "Что показывает отслеживание посылки?" in dialog.text, "the answer was kept"
