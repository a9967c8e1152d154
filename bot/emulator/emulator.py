"""BotApiEmulator: the Telegram Bot API on 127.0.0.1 for the shell, the tests and the benchmarks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.emulator.control import control_routes
from bot.emulator.faults import Faults
from bot.emulator.limits import RateLimits
from bot.emulator.server import BotApiServer, make_web_app
from bot.emulator.state import BotProfile, EmulatorState
from bot.emulator.stats import Stats
from bot.emulator.transcript import Reply
from bot.emulator.users import SimUser


class BotApiEmulator:
    """An HTTP server speaking the Bot API to an unmodified python-telegram-bot Application."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        enforce_limits: bool = False,
        limits: RateLimits | None = None,
        bot_username: str = "yabeda_test_bot",
        bot_name: str = "Yabeda",
        auto_create_chats: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.state = EmulatorState(
            BotProfile(username=bot_username, first_name=bot_name),
            limits,
            enforce_limits=enforce_limits,
            auto_create_chats=auto_create_chats,
        )
        self._server: HTTPServer | None = None
        self._api = BotApiServer(self.state, make_web_app(self.state, control_routes(self)))
        self._users: dict[int, SimUser] = {}

    @property
    def base_url(self) -> str:
        """http://host:port of the running server."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """What ApplicationBuilder().base_url() takes."""
        return f"{self.base_url}/bot"

    @property
    def file_url(self) -> str:
        """What ApplicationBuilder().base_file_url() takes."""
        return f"{self.base_url}/file/bot"

    @property
    def faults(self) -> Faults:
        """Injected errors, delays and hangs."""
        return self.state.faults

    @property
    def stats(self) -> Stats:
        """Calls per method, error counts, send timestamps, delivered updates."""
        return self.state.stats

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one, then self.port holds it)."""
        sockets = bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(self._api, max_body_size=100 * 1024 * 1024)
        # Tornado wraps every header read in a one-hour timer; at benchmark rates it costs ~5%.
        self._server.conn_params.header_timeout = None
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        """Release every waiting call, stop webhook delivery and close all connections."""
        state = self.state
        state.stopping.set()
        state.updates.wake()
        for chat in state.chats.values():
            chat.wake()
        await state.webhook.close()
        if self._server is not None:
            self._server.stop()
            await self._api.drain(1.0)
            await self._server.close_all_connections()
            self._server = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    def user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
    ) -> SimUser:
        """The user with that id and their private chat (created on first use)."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        info: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        info |= {key: value for key, value in optional.items() if value is not None}
        chat = self.state.add_chat(info)
        user = self._users[user_id] = SimUser(self.state, chat)
        return user

    def block(self, user_id: int) -> None:
        """From now on every call for this chat answers 403 'bot was blocked by the user'."""
        self.state.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """The user unblocked the bot."""
        self.state.blocked.discard(user_id)

    def all_sent(self, chat_id: int | None = None) -> list[Reply]:
        """Every message the bot sent (edits excluded), optionally in one chat only."""
        if chat_id is None:
            return list(self.state.sent)
        chat = self.state.chats.get(chat_id)
        return list(chat.sent) if chat is not None else []

    def on_reply(self, listener: Callable[[Reply], None]) -> None:
        """Call listener with every bot message and edit as it happens (the shell prints them)."""
        self.state.listeners.append(listener)

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes behind a file_id (what the user or the bot sent)."""
        stored = self.state.files.get(file_id)
        if stored is None:
            raise KeyError(file_id)
        return stored.data

    def webhook_info(self) -> dict[str, Any]:
        """Where updates go and how many wait, as getWebhookInfo reports."""
        config = self.state.webhook.config
        return {
            "url": config.url if config else "",
            "pending_update_count": self.state.pending_updates(),
        } | (self.state.webhook.info() if config else {})

    async def send_texts(self, messages: list[tuple[int, str]]) -> int:
        """Many users' texts at once (benchmarks); returns how many were queued."""
        for user_id, text in messages:
            await self.user(user_id).send_text(text)
        return len(messages)

    async def idle(self, timeout: float = 5.0, quiet: float = 0.1) -> None:  # noqa: ASYNC109
        """Return once no update is pending and no request came or ran for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        step = max(0.005, quiet / 4)
        while not self.state.is_idle(quiet):
            if time.monotonic() >= deadline:
                pending = self.state.pending_updates()
                in_flight = self.state.activity.in_flight
                raise TimeoutError(
                    f"emulator not idle after {timeout}s: {pending} updates pending, "
                    f"{in_flight} requests in progress"
                )
            await asyncio.sleep(step)
