"""What happened in a chat: the user's actions and the bot's messages, edits and answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

Button = tuple[str, str | None]
_MEDIA_KEYS = ("document", "video", "video_note", "sticker", "animation", "audio", "voice")


@dataclass(slots=True)
class Event:
    """One entry of a chat's transcript that is not a bot message (see Reply)."""

    actor: str
    kind: str
    chat_id: int
    message_id: int | None = None
    text: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form for the control API."""
        return {
            "actor": self.actor,
            "kind": self.kind,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "text": self.text,
            "payload": self.payload,
        }

    def __str__(self) -> str:
        return f"{self.actor}[{self.kind}]: {self.text if self.text is not None else ''}"


@dataclass(slots=True)
class Reply:
    """A message the bot sent or edited, as the bot got it back from the API."""

    actor: ClassVar[str] = "bot"

    method: str
    chat_id: int
    message: dict[str, Any] = field(repr=False)
    edited: bool = False
    keyboard: list[list[str]] | None = None
    removes_keyboard: bool = False

    @property
    def kind(self) -> str:
        """The Bot API method that produced this reply."""
        return self.method

    @property
    def message_id(self) -> int:
        """The message's id in its chat."""
        return int(self.message["message_id"])

    @property
    def text(self) -> str:
        """The text, or the caption of a media message ("" when there is neither)."""
        return str(self.message.get("text", self.message.get("caption", "")))

    @property
    def entities(self) -> list[dict[str, Any]]:
        """Entities of the text or caption."""
        return list(self.message.get("entities", self.message.get("caption_entities", [])))

    @property
    def buttons(self) -> list[list[Button]]:
        """Inline keyboard rows as (label, callback_data); callback_data is None for links."""
        markup = self.message.get("reply_markup") or {}
        return [
            [(button["text"], button.get("callback_data")) for button in row]
            for row in markup.get("inline_keyboard", [])
        ]

    @property
    def media_group_id(self) -> str | None:
        """The album this message belongs to, if any."""
        return self.message.get("media_group_id")

    @property
    def file_id(self) -> str | None:
        """The file of a media message (the largest photo size for photos)."""
        if "photo" in self.message:
            return str(self.message["photo"][-1]["file_id"])
        for key in _MEDIA_KEYS:
            if key in self.message:
                return str(self.message[key]["file_id"])
        return None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form for the control API."""
        return {
            "actor": self.actor,
            "method": self.method,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "text": self.text,
            "buttons": self.buttons,
            "keyboard": self.keyboard,
            "removes_keyboard": self.removes_keyboard,
            "edited": self.edited,
            "message": self.message,
        }

    def __repr__(self) -> str:
        return f"<Reply {self}>"

    def __str__(self) -> str:
        verb = "edited" if self.edited else self.method
        labels = " | ".join(label for row in self.buttons for label, _ in row)
        buttons = f" [{labels}]" if labels else ""
        return f"bot[{verb} #{self.message_id}]: {self.text}{buttons}"


TranscriptEntry = Event | Reply


def format_transcript(entries: list[TranscriptEntry]) -> str:
    """A readable transcript, one entry per line, for failing tests and the shell."""
    return "\n".join(str(entry) for entry in entries)
