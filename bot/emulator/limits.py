"""Telegram's flood limits when enforce_limits is on: per bot and per chat, with short bursts."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

# Methods that post a message into a chat; edits, answers and chat actions are not counted.
MESSAGE_METHODS = frozenset(
    name.lower()
    for name in (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendVideoNote",
        "sendAnimation",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    )
)


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Messages per second per bot and per chat, and how many may come at once."""

    per_bot: float = 30.0
    bot_burst: int = 30
    per_chat: float = 1.0
    chat_burst: int = 3


class _Bucket:
    """A token bucket: `burst` tokens, refilled at `rate` per second."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = now

    def wait_for_token(self, now: float) -> float:
        """Seconds until a token is available (0 if one is now), after refilling."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class RateLimiter:
    """Decides whether a message may go now, or after how many seconds (retry_after)."""

    def __init__(self, limits: RateLimits | None = None) -> None:
        self.limits = limits or RateLimits()
        self._bot = _Bucket(self.limits.per_bot, self.limits.bot_burst, time.monotonic())
        self._chats: dict[int, _Bucket] = {}

    def retry_after(self, method: str, chat_id: int | None) -> int | None:
        """None if the message may go (its token is taken), else whole seconds to wait."""
        if method.lower() not in MESSAGE_METHODS:
            return None
        now = time.monotonic()
        wait = self._bot.wait_for_token(now)
        chat = None
        if chat_id is not None:
            chat = self._chats.get(chat_id)
            if chat is None:
                chat = self._chats[chat_id] = _Bucket(
                    self.limits.per_chat, self.limits.chat_burst, now
                )
            wait = max(wait, chat.wait_for_token(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._bot.tokens -= 1
        if chat is not None:
            chat.tokens -= 1
        return None
