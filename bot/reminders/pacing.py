"""The dispatcher's own pace: evenly spaced sends per bot, a minimum gap per chat, 429 pauses."""

from __future__ import annotations

import asyncio
import time

# Per-chat stamps older than this are forgotten, so the map stays small.
_PRUNE_AFTER = 10_000


class Pacer:
    """Spaces sends `1 / rate` apart overall and `chat_interval` apart within a chat."""

    def __init__(self, rate: float, chat_interval: float) -> None:
        self.interval = 1.0 / rate
        self.chat_interval = chat_interval
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._chats: dict[int, float] = {}

    def chat_free_at(self, chat_id: int) -> float:
        """The monotonic moment from which this chat may get a message."""
        return self._chats.get(chat_id, 0.0)

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (Telegram's retry_after)."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)

    async def acquire(self, chat_id: int, not_before: float = 0.0) -> None:
        """Wait for this chat's turn and the next overall slot, then take both."""
        while True:
            now = time.monotonic()
            start = max(not_before, self._next_slot, self._paused_until, self.chat_free_at(chat_id))
            if start <= now:
                break
            await asyncio.sleep(start - now)
        # A late send may catch up by one slot, never more: the average stays at `rate`.
        self._next_slot = max(self._next_slot, now - self.interval) + self.interval
        self._chats[chat_id] = now + self.chat_interval
        if len(self._chats) > _PRUNE_AFTER:
            self._chats = {chat: at for chat, at in self._chats.items() if at > now}
