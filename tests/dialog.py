"""A user's side of a conversation, read like a script: say, tap, send, then what the bot said."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.emulator.users import SimUser

QUIET_SECONDS = 0.25
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
