"""A simulated Telegram user in a private chat with the bot: what a test or the shell drives."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.formatting import utf16_len
from bot.emulator.media import TINY_WEBP, store_media
from bot.emulator.state import EmulatorState, PendingQuery
from bot.emulator.transcript import Event, Reply, TranscriptEntry

# Telegram marks /commands that start the text or follow whitespace.
_COMMAND = re.compile(r"(?:^|(?<=\s))/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
FileData = bytes | Path


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities for the /commands in a text, offsets in UTF-16 units."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group(0)),
        }
        for match in _COMMAND.finditer(text)
    ]


def _read(data: FileData) -> bytes:
    return data.read_bytes() if isinstance(data, Path) else bytes(data)


@dataclass(slots=True)
class Press:
    """A pressed inline button; the bot's answerCallbackQuery arrives in `answered()`."""

    query_id: str
    message_id: int
    data: str
    answer: asyncio.Future[dict[str, Any]]

    async def answered(self, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The bot's answer (text, show_alert, url, cache_time), waiting up to timeout."""
        return await asyncio.wait_for(asyncio.shield(self.answer), timeout)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form for the control API."""
        answer = self.answer.result() if self.answer.done() else None
        return {
            "query_id": self.query_id,
            "message_id": self.message_id,
            "data": self.data,
            "answer": answer,
        }


class SimUser:
    """A user whose private chat with the bot has chat.id == user id."""

    def __init__(self, state: EmulatorState, chat: Chat) -> None:
        self._state = state
        self._chat = chat
        self._presses: dict[str, Press] = {}

    @property
    def id(self) -> int:
        """The user's id, which is also the chat's id."""
        return self._chat.id

    @property
    def info(self) -> dict[str, Any]:
        """The user's Bot API User object."""
        return self._chat.user

    @property
    def transcript(self) -> list[TranscriptEntry]:
        """Everything that happened in the chat, in order."""
        return self._chat.transcript

    @property
    def replies(self) -> list[Reply]:
        """Every bot message and edit in the chat, read or not."""
        return self._chat.replies

    @property
    def keyboard(self) -> list[list[str]] | None:
        """The reply keyboard the bot last showed, unless it removed it."""
        return self._chat.keyboard

    async def send_text(self, text: str, *, reply_to: int | None = None) -> dict[str, Any]:
        """Send a text; /commands carry bot_command entities as in Telegram."""
        content: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = self._chat.messages[reply_to]
        return self._post_one(content, text)

    async def send_photo(
        self, data: FileData, caption: str | None = None, *, from_name: str | None = None
    ) -> dict[str, Any]:
        """Send a photo (PhotoSize ladder like Telegram), optionally as forwarded."""
        content = self._with_caption({"photo": self._store("photo", data)}, caption)
        if from_name is not None:
            content["forward_origin"] = self._origin(from_name)
        return self._post_one(content, f"[photo] {caption or ''}".strip())

    async def forward_photo(
        self, data: FileData, from_name: str = "Seller", caption: str | None = None
    ) -> dict[str, Any]:
        """Forward a photo from someone who hides their account (forward_origin hidden_user)."""
        return await self.send_photo(data, caption, from_name=from_name)

    async def forward_text(self, text: str, from_name: str = "Seller") -> dict[str, Any]:
        """Forward a text message from someone else."""
        content = {"text": text, "forward_origin": self._origin(from_name)}
        return self._post_one(content, f"[forwarded from {from_name}] {text}")

    async def send_album(
        self, items: Sequence[FileData], caption: str | None = None, *, from_name: str | None = None
    ) -> list[dict[str, Any]]:
        """Send photos as one album: one update each, sharing media_group_id, queued together."""
        group_id = self._state.unique("1")
        contents = []
        for index, item in enumerate(items):
            content: dict[str, Any] = {"photo": self._store("photo", item)}
            content["media_group_id"] = group_id
            if index == 0:
                content = self._with_caption(content, caption)
            if from_name is not None:
                content["forward_origin"] = self._origin(from_name)
            contents.append(content)
        label = f"[album of {len(items)} photos] {caption or ''}".strip()
        return self._post(contents, label)

    async def send_document(
        self,
        data: FileData,
        file_name: str = "file.bin",
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Send a file as a document (an image sent 'as file', a PDF ...)."""
        document = self._store("document", data, file_name, mime_type)
        content = self._with_caption({"document": document}, caption)
        return self._post_one(content, f"[document {file_name}] {caption or ''}".strip())

    async def send_video(
        self, data: FileData, caption: str | None = None, *, duration: int = 5
    ) -> dict[str, Any]:
        """Send a video."""
        video = self._store("video", data, "video.mp4", duration=duration)
        content = self._with_caption({"video": video}, caption)
        return self._post_one(content, f"[video] {caption or ''}".strip())

    async def send_video_note(self, data: FileData, *, duration: int = 5) -> dict[str, Any]:
        """Send a round video note."""
        note = self._store("video_note", data, duration=duration)
        return self._post_one({"video_note": note}, "[video note]")

    async def send_sticker(self, data: FileData | None = None, emoji: str = "👍") -> dict[str, Any]:
        """Send a sticker (a tiny WebP unless data is given)."""
        sticker = self._store("sticker", data or TINY_WEBP, emoji=emoji)
        return self._post_one({"sticker": sticker}, f"[sticker {emoji}]")

    async def send_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """Send a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._post_one({"location": location}, f"[location {latitude}, {longitude}]")

    async def send_contact(
        self, phone_number: str, first_name: str, last_name: str | None = None
    ) -> dict[str, Any]:
        """Send a contact card."""
        contact = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        return self._post_one({"contact": contact}, f"[contact {first_name} {phone_number}]")

    async def edit_text(self, message_id: int, text: str) -> dict[str, Any]:
        """Edit one of the user's text messages: the bot gets an edited_message update."""
        original = self._chat.messages.get(message_id)
        if original is None or original["from"]["id"] != self.id or "text" not in original:
            raise LookupError(f"chat {self.id}: no text message #{message_id} of the user")
        edited = {k: v for k, v in original.items() if k != "entities"} | {"text": text}
        entities = command_entities(text)
        if entities:
            edited["entities"] = entities
        edited["edit_date"] = int(time.time())
        self._chat.messages[message_id] = edited
        self._chat.add_event(Event("user", "edited_message", self.id, message_id, text, edited))
        self._state.push([{"edited_message": edited}], self.id)
        return edited

    async def press(
        self,
        label: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> Press:
        """Press an inline button of the newest bot message that has it (or of message_id)."""
        if label is None and callback_data is None:
            raise ValueError("press() needs a label or callback_data")
        message, button = self._chat.find_button(label, callback_data, message_id)
        if button.get("callback_data") is None:
            raise LookupError(f"button {button['text']!r} opens a link; it sends no callback")
        query_id = self._state.unique("9")
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._state.queries[query_id] = PendingQuery(self.id, answer)
        query = {
            "id": query_id,
            "from": self.info,
            "message": message,
            "chat_instance": str(-self.id),
            "data": button["callback_data"],
        }
        self._chat.add_event(
            Event("user", "callback_query", self.id, message["message_id"], button["text"], query)
        )
        self._state.push([{"callback_query": query}], self.id)
        press = Press(query_id, message["message_id"], button["callback_data"], answer)
        self._presses[query_id] = press
        return press

    async def callback_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API names its wait "timeout"
    ) -> dict[str, Any]:
        """The bot's answer to an earlier press, waiting up to timeout."""
        return await self._presses[query_id].answered(timeout)

    async def next_replies(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API names its wait "timeout"
        count: int = 1,
    ) -> list[Reply]:
        """The next `count` unread bot messages or edits; TimeoutError if they do not come."""
        return await self._chat.wait_replies(count, timeout)

    def unread(self) -> list[Reply]:
        """Whatever the bot sent since the last read, without waiting."""
        return self._chat.unread()

    def _store(
        self,
        kind: str,
        data: FileData,
        file_name: str | None = None,
        mime: str | None = None,
        **fields: Any,
    ) -> Any:
        return store_media(self._state.files, kind, _read(data), file_name, mime, **fields)

    def _with_caption(self, content: dict[str, Any], caption: str | None) -> dict[str, Any]:
        if caption:
            content["caption"] = caption
            entities = command_entities(caption)
            if entities:
                content["caption_entities"] = entities
        return content

    def _origin(self, from_name: str) -> dict[str, Any]:
        return {"type": "hidden_user", "sender_user_name": from_name, "date": int(time.time())}

    def _post_one(self, content: dict[str, Any], label: str) -> dict[str, Any]:
        return self._post([content], label)[0]

    def _post(self, contents: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
        """Turn contents into the user's messages, record them and queue them together."""
        now = int(time.time())
        messages = []
        for content in contents:
            message_id = self._chat.next_message_id()
            message = {
                "message_id": message_id,
                "from": self.info,
                "chat": self._chat.chat,
                "date": now,
                **content,
            }
            self._chat.messages[message_id] = message
            messages.append(message)
        for index, message in enumerate(messages):
            text = label if index == 0 else None
            self._chat.add_event(
                Event("user", "message", self.id, message["message_id"], text, message)
            )
        self._state.push([{"message": message} for message in messages], self.id)
        return messages
