"""Users do not wait for each other; one user's messages are taken in the order they were sent."""

from __future__ import annotations

import asyncio
import time

from bot.emulator import BotApiEmulator
from tests.conftest import BotStarter
from tests.dialog import Dialog

SLOW_SECONDS = 1.5


async def _at_item_question(emulator: BotApiEmulator, user_id: int) -> Dialog:
    dialog = Dialog(emulator.user(user_id))
    await dialog.say("/new")
    await dialog.tap("Пустая посылка / внутри другое")
    await dialog.tap("Да")
    await dialog.say("кусок мыла")
    await dialog.tap("aliexpress.com (глобальный)")
    return dialog


async def test_a_user_whose_reply_is_slow_does_not_hold_up_another_user(
    emulator: BotApiEmulator, start_bot: BotStarter, postgres_url: str
) -> None:
    await start_bot(postgres_url)
    slow, quick = emulator.user(881_001), emulator.user(881_002)
    emulator.faults.slow("sendMessage", SLOW_SECONDS, chat_id=slow.id, times=1)
    await slow.send_text("/start")
    await asyncio.sleep(0.1)  # the slow user's update is being handled
    started = time.perf_counter()
    await quick.send_text("/start")
    [greeting] = await quick.next_replies(timeout=10)
    waited = time.perf_counter() - started
    assert "AliExpress" in greeting.text
    assert waited < SLOW_SECONDS / 2, f"the second user waited {waited:.2f} s"
    assert await slow.next_replies(timeout=10)


async def test_answers_sent_at_once_are_taken_in_the_order_sent(
    emulator: BotApiEmulator, start_bot: BotStarter, postgres_url: str
) -> None:
    await start_bot(postgres_url)
    dialog = await _at_item_question(emulator, 881_003)
    user = dialog.user
    await user.send_text("Xiaomi Redmi Note 12 Pro")
    await user.send_text("8123456789012345")
    await user.send_text("RA123456785CN")
    replies = await user.next_replies(timeout=10, count=3)
    assert "номер заказа" in replies[0].text.lower()
    assert replies[1].text.startswith("Трек-номер посылки?")
    assert replies[2].text.startswith("Когда вы сделали заказ?")
