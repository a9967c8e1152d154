"""One private chat: its user, messages by id, transcript and the bot replies not yet read."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

from bot.emulator.transcript import Event, Reply, TranscriptEntry, format_transcript

ButtonMatch = Callable[[dict[str, Any]], bool]


def _button_matchers(label: str | None, callback_data: str | None) -> tuple[ButtonMatch, ...]:
    """Matchers tried in order: the exact label (and data), then the label as a substring."""

    def exact(button: dict[str, Any]) -> bool:
        return (label is None or button["text"] == label) and (
            callback_data is None or button.get("callback_data") == callback_data
        )

    def partial(button: dict[str, Any]) -> bool:
        return (
            label is not None
            and label in button["text"]
            and (callback_data is None or button.get("callback_data") == callback_data)
        )

    return exact, partial


class Chat:
    """A private chat whose id is the user's id, as in Telegram."""

    def __init__(self, user: dict[str, Any]) -> None:
        self.id: int = user["id"]
        self.user = user
        self.chat = {"id": self.id, "type": "private"} | {
            key: user[key] for key in ("first_name", "last_name", "username") if key in user
        }
        self.messages: dict[int, dict[str, Any]] = {}
        self.transcript: list[TranscriptEntry] = []
        self.replies: list[Reply] = []
        self.sent: list[Reply] = []
        self.read = 0
        self.keyboard: list[list[str]] | None = None
        self._last_message_id = 0
        self._waiters: list[asyncio.Future[None]] = []

    def next_message_id(self) -> int:
        """The next message id; user and bot messages share one sequence per chat."""
        self._last_message_id += 1
        return self._last_message_id

    def add_event(self, event: Event) -> None:
        """Record a user action or a bot action that is not a message."""
        self.transcript.append(event)

    def add_reply(self, reply: Reply) -> None:
        """Record a bot message or edit and wake whoever waits for replies."""
        self.transcript.append(reply)
        self.replies.append(reply)
        if not reply.edited:
            self.sent.append(reply)
        if reply.keyboard is not None:
            self.keyboard = reply.keyboard
        elif reply.removes_keyboard:
            self.keyboard = None
        self.wake()

    def wake(self) -> None:
        """Wake every waiter; they re-check their condition."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    def unread(self) -> list[Reply]:
        """Every reply not read yet, now marked read."""
        fresh = self.replies[self.read :]
        self.read = len(self.replies)
        return fresh

    async def wait_replies(self, count: int, within: float) -> list[Reply]:
        """The next `count` unread replies, waiting up to `within` seconds for them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while len(self.replies) - self.read < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._timeout_message(count, within))
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                continue
        fresh = self.replies[self.read : self.read + count]
        self.read += count
        return fresh

    def _timeout_message(self, count: int, within: float) -> str:
        got = len(self.replies) - self.read
        tail = format_transcript(self.transcript[-10:])
        return (
            f"chat {self.id}: expected {count} bot replies within {within}s, got {got}.\n"
            f"Last transcript entries:\n{tail}"
        )

    def find_button(
        self, label: str | None, callback_data: str | None, message_id: int | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The message and inline button to press: exact label first, then a substring."""
        for matches in _button_matchers(label, callback_data):
            for message in self._press_candidates(message_id):
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                    for button in row:
                        if matches(button):
                            return message, button
        raise LookupError(self._no_button_message(label, callback_data, message_id))

    def _press_candidates(self, message_id: int | None) -> Iterator[dict[str, Any]]:
        if message_id is not None:
            if message_id in self.messages:
                yield self.messages[message_id]
            return
        for message in reversed(self.messages.values()):
            if message["from"].get("is_bot"):
                yield message

    def _no_button_message(
        self, label: str | None, callback_data: str | None, message_id: int | None
    ) -> str:
        shown = [
            f"#{message['message_id']}: {button['text']!r} -> {button.get('callback_data')!r}"
            for message in self._press_candidates(message_id)
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]
        wanted = label if label is not None else f"callback_data={callback_data!r}"
        return f"chat {self.id}: no inline button {wanted!r}; buttons on screen: {shown or 'none'}"
