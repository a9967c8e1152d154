"""A user's side of a conversation, read like a script: say, tap, send, then what the bot said."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.emulator.users import SimUser

QUIET_SECONDS = 0.15
REPLY_TIMEOUT = 15.0


class Dialog:
    def __init__(self, user: SimUser) -> None:
        self.user = user
        self.last: list[Any] = []

    async def _collect(self) -> list[Any]:
        replies = list(await self.user.next_replies(timeout=REPLY_TIMEOUT))
        while True:
            await asyncio.sleep(QUIET_SECONDS)
            more = self.user.unread()
            if not more:
                self.last = replies
                return replies
            replies += more

    async def say(self, text: str) -> list[Any]:
        await self.user.send_text(text)
        return await self._collect()

    async def tap(self, label: str) -> list[Any]:
        await self.user.press(label)
        return await self._collect()

    async def send(self, action: str, *args: Any, **kwargs: Any) -> list[Any]:
        await getattr(self.user, action)(*args, **kwargs)
        return await self._collect()

    @property
    def text(self) -> str:
        return "\n---\n".join(reply.text for reply in self.last)

    @property
    def labels(self) -> list[str]:
        return [label for reply in self.last for row in reply.buttons for label, _ in row]


async def order_facts(dialog: Dialog, *, confirmed: bool = False) -> None:
    """The facts every complaint asks, answered as a buyer would, a tracking typo included."""
    await dialog.tap("aliexpress.com (глобальный)")
    await dialog.say("Xiaomi Redmi Note 12 Pro")
    await dialog.say("8123456789012345")
    await dialog.say("RA123456789CN")
    assert "контрольной цифре" in dialog.text
    assert "Пример: RA123456785CN" in dialog.text
    await dialog.say("RA123456785CN")
    await dialog.say("27.07.2024")
    await dialog.say("30 июля 2024")
    await dialog.say("12 168,71 руб")
    await dialog.tap("Пропустить")
    if confirmed:
        await dialog.tap("Да")
        await dialog.say("20.08.2024")
    else:
        await dialog.tap("Нет")
        await dialog.say("12 дней")
    await dialog.tap("Полный возврат денег")


async def finish(dialog: Dialog, description: str) -> str:
    """Evidence done, the buyer's words, confirm the review card: all the bot said then."""
    await dialog.tap("Готово, доказательства все")
    await dialog.say(description)
    assert "Проверьте ответы" in dialog.text
    await dialog.tap("Всё верно — получить тексты")
    return dialog.text


async def not_arrived_until_description(dialog: Dialog) -> None:
    """/new to the evidence step of a parcel that never came."""
    await dialog.say("/new")
    await dialog.tap("Посылка не пришла")
    await dialog.tap("Статус давно не меняется")
    await order_facts(dialog)


async def not_arrived_until_review(dialog: Dialog) -> None:
    """A parcel that never came, no evidence, a description: the review card with its button."""
    await not_arrived_until_description(dialog)
    await dialog.tap("Готово, доказательства все")
    await dialog.say("Посылка не пришла, трек стоит с августа.")
