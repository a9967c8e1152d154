"""Everything one emulator holds: bot identity, chats, files, updates, webhook and knobs."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.errors import bad_request
from bot.emulator.faults import Faults
from bot.emulator.files import FileStore
from bot.emulator.limits import RateLimiter, RateLimits
from bot.emulator.stats import Activity, Stats
from bot.emulator.transcript import Reply
from bot.emulator.updates import Update, UpdateQueue
from bot.emulator.webhook import WebhookDispatcher

_TOKEN_ID = re.compile(r"^(\d+):")


@dataclass(slots=True)
class PendingQuery:
    """A callback query the bot has not answered yet."""

    chat_id: int
    answer: asyncio.Future[dict[str, Any]]


@dataclass
class BotProfile:
    """How the bot presents itself in getMe and in the messages it sends."""

    username: str = "yabeda_test_bot"
    first_name: str = "Yabeda"
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    menu_buttons: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


class EmulatorState:
    """The shared state the API methods, the server and the test-facing API work on."""

    def __init__(
        self,
        profile: BotProfile | None = None,
        limits: RateLimits | None = None,
        *,
        enforce_limits: bool = False,
        auto_create_chats: bool = True,
    ) -> None:
        self.profile = profile or BotProfile()
        self.auto_create_chats = auto_create_chats
        self.chats: dict[int, Chat] = {}
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.webhook = WebhookDispatcher(on_delivered=self._count_delivered)
        self.faults = Faults()
        self.limiter = RateLimiter(limits) if enforce_limits else None
        self.stats = Stats()
        self.activity = Activity()
        self.blocked: set[int] = set()
        self.queries: dict[str, PendingQuery] = {}
        self.sent: list[Reply] = []
        self.listeners: list[Callable[[Reply], None]] = []
        self.stopping = asyncio.Event()
        self._bots: dict[str, dict[str, Any]] = {}
        self._counter = itertools.count(1)

    def bot_user(self, token: str) -> dict[str, Any]:
        """The bot's User object; its id is the token's numeric prefix, as in Telegram."""
        bot = self._bots.get(token)
        if bot is None:
            match = _TOKEN_ID.match(token)
            bot_id = int(match.group(1)) if match else zlib.crc32(token.encode()) + 1
            bot = self._bots[token] = {
                "id": bot_id,
                "is_bot": True,
                "first_name": self.profile.first_name,
                "username": self.profile.username,
            }
        return bot

    def add_chat(self, user: dict[str, Any]) -> Chat:
        """Register a user and their private chat (kept if it exists)."""
        chat = self.chats.get(user["id"])
        if chat is None:
            chat = self.chats[user["id"]] = Chat(user)
        return chat

    def chat(self, chat_id: int | None) -> Chat:
        """The chat a method addresses; unknown positive ids become chats when allowed."""
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is not None:
            return chat
        if chat_id is None or chat_id <= 0 or not self.auto_create_chats:
            raise bad_request("chat not found")
        return self.add_chat({"id": chat_id, "is_bot": False, "first_name": f"User {chat_id}"})

    def unique(self, prefix: str = "") -> str:
        """A fresh identifier (callback query ids, media group ids, chat instances)."""
        return f"{prefix}{next(self._counter):012d}"

    def push(self, updates: list[Update], chat_id: int) -> None:
        """Deliver updates built by a user action: to the webhook or to getUpdates, together."""
        numbered = ({"update_id": self.updates.new_id(), **update} for update in updates)
        ready = [update for update in numbered if self.updates.accepts(update)]
        self.stats.updates_created += len(ready)
        self.activity.touch()
        if self.webhook.active:
            for update in ready:
                self.webhook.enqueue(update, chat_id)
        else:
            self.updates.push(ready)

    def record_reply(self, chat: Chat, reply: Reply) -> None:
        """Record a message the bot sent or edited."""
        chat.add_reply(reply)
        if not reply.edited:
            self.sent.append(reply)
            self.stats.send_times.append(time.monotonic())
        for listener in self.listeners:
            listener(reply)

    def pending_updates(self) -> int:
        """Updates not yet confirmed by getUpdates or acknowledged by the webhook."""
        return self.webhook.pending if self.webhook.active else len(self.updates)

    def is_idle(self, quiet: float) -> bool:
        """No update pending, no request in progress, and nothing happened for `quiet` s."""
        return self.pending_updates() == 0 and self.activity.quiet_for() >= quiet

    async def pause(self, seconds: float) -> None:
        """Sleep, cut short when the emulator stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    def _count_delivered(self) -> None:
        self.stats.updates_delivered += 1
        self.activity.touch()
