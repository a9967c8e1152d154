"""The table of Bot API methods: adding a method is one decorated function."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.params import Params
from bot.emulator.state import EmulatorState


@dataclass(slots=True)
class ApiCall:
    """One Bot API request: who calls which method with what."""

    state: EmulatorState
    token: str
    method: str
    params: Params
    disconnected: asyncio.Event

    @property
    def bot(self) -> dict[str, Any]:
        """The calling bot's User object."""
        return self.state.bot_user(self.token)

    def chat(self) -> Chat:
        """The chat named by chat_id."""
        return self.state.chat(self.params.chat_id())


Handler = Callable[[ApiCall], Awaitable[Any]]
METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler for a Bot API method (names are case-insensitive, as in Telegram)."""

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register


def lookup(name: str) -> tuple[str, Handler] | None:
    """The canonical name and handler of a method, or None if it is unknown."""
    return METHODS.get(name.lower())
