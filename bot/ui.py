"""Messages a handler decides on inside its unit of work, sent after the commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

Button = tuple[str, str]  # (label, callback data)
# Telegram refuses callback data over 64 bytes.
MAX_CALLBACK_BYTES = 64


@dataclass
class Say:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)

    def markup(self) -> InlineKeyboardMarkup | None:
        if not self.buttons:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in self.buttons
            ]
        )


def data(*parts: object) -> str:
    """Callback data `area:action:arg`, checked against Telegram's limit."""
    encoded = ":".join(str(part) for part in parts)
    if len(encoded.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {encoded!r}")
    return encoded


# Telegram refuses a message over 4096 characters.
MAX_MESSAGE = 4096


def message_parts(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """A text cut into messages Telegram takes, at paragraph or line ends where it can be."""
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit))
        cut = cut if cut > limit // 2 else text.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text]


async def send_says(bot: Bot, chat_id: int, says: Sequence[Say]) -> None:
    """Each Say as one message (a long text in parts), one after another, so they stay in order."""
    for say in says:
        *head, last = message_parts(say.text)
        for part in head:
            await post_message(bot, chat_id, part)
        await post_message(bot, chat_id, last, say.markup())


async def post_message(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """sendMessage without building the `Message` Telegram returns, which nothing here reads.

    Building it took a quarter of a send's CPU (bench/RESULTS.md). `_post` is the path every
    method of python-telegram-bot 22 takes: defaults, the rate limiter, errors as exceptions.
    """
    data: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if markup is not None:
        data["reply_markup"] = markup
    await bot._post("sendMessage", data)
