"""Messages a handler decides on inside its unit of work, sent after the commit."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

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
