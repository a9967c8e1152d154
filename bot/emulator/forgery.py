"""Forged button presses: callback data no button in the chat carries, as a modified client sends.

Telegram only delivers callback data that a button of the message carried, but a bot must not
trust it: stale buttons, another user's ids and garbage all reach it in practice.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.emulator.state import PendingQuery
from bot.emulator.transcript import Event
from bot.emulator.users import Press, SimUser


def forge_press(user: SimUser, data: str, message_id: int | None = None) -> Press:
    """Press a button carrying `data` on a bot message (the newest unless message_id is given)."""
    state, chat = user._state, user._chat  # the package's own user, driven from outside
    message = _target(chat.messages, message_id)
    query_id = state.unique("9")
    answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    state.queries[query_id] = PendingQuery(user.id, answer)
    query = {
        "id": query_id,
        "from": user.info,
        "message": message,
        "chat_instance": str(-user.id),
        "data": data,
    }
    label = f"[forged {data!r}]"
    chat.add_event(Event("user", "callback_query", user.id, message["message_id"], label, query))
    state.push([{"callback_query": query}], user.id)
    press = Press(query_id, message["message_id"], data, answer)
    user._presses[query_id] = press
    return press


def _target(messages: dict[int, dict[str, Any]], message_id: int | None) -> dict[str, Any]:
    if message_id is not None:
        return messages[message_id]
    for message in reversed(messages.values()):
        if message["from"].get("is_bot"):
            return message
    raise LookupError("the bot has sent no message to press a button on")
