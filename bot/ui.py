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

