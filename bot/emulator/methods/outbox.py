"""Building the messages the bot sends: text, captions, keyboards, replies, media."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.errors import bad_request
from bot.emulator.formatting import format_text
from bot.emulator.media import store_media
from bot.emulator.methods.registry import ApiCall
from bot.emulator.params import Params, Upload
from bot.emulator.transcript import Reply

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_ACTION_FIELDS = frozenset(
    {
        "callback_data",
        "url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "web_app",
        "login_url",
        "callback_game",
        "pay",
        "copy_text",
    }
)


@dataclass(slots=True)
class Markup:
    """reply_markup split the way Telegram treats it."""

    inline: dict[str, Any] | None = None
    keyboard: list[list[str]] | None = None
    removes_keyboard: bool = False


def read_markup(params: Params) -> Markup:
    """Validate reply_markup; only an inline keyboard is echoed back in the Message."""
    markup = params.obj("reply_markup")
    if not markup:
        return Markup()
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline(markup["inline_keyboard"])
        return Markup(inline={"inline_keyboard": markup["inline_keyboard"]})
    if "keyboard" in markup:
        rows = [[b if isinstance(b, str) else b["text"] for b in row] for row in markup["keyboard"]]
        return Markup(keyboard=rows)
    return Markup(removes_keyboard=bool(markup.get("remove_keyboard")))


def _check_inline(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for button in (button for row in rows for button in row):
        if not button.get("text"):
            raise bad_request("text buttons are unallowed in the inline keyboard")
        if not _ACTION_FIELDS & button.keys():
            raise bad_request("text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
            raise bad_request("BUTTON_DATA_INVALID")


def formatted(params: Params, field: str, entities_field: str, limit: int) -> dict[str, Any]:
    """{field: text, entities_field: entities} after parse_mode, or {} when absent."""
    raw = params.text(field)
    if raw is None:
        return {}
    text, entities = format_text(raw, params.text("parse_mode"), params.obj(entities_field))
    if len(text) > limit:
        detail = "message is too long" if field == "text" else "message caption is too long"
        raise bad_request(detail)
    content: dict[str, Any] = {field: text} if text else {}
    if entities and text:
        content[entities_field] = entities
    return content


def new_message(call: ApiCall, chat: Chat, markup: Markup, **content: Any) -> dict[str, Any]:
    """A Message from the bot in a chat, with reply_to_message and an echoed inline keyboard."""
    message: dict[str, Any] = {
        "message_id": chat.next_message_id(),
        "from": call.bot,
        "chat": chat.chat,
        "date": int(time.time()),
        **content,
    }
    replied = _replied_message(call.params, chat)
    if replied is not None:
        message["reply_to_message"] = replied
    if markup.inline is not None:
        message["reply_markup"] = markup.inline
    return message


def _replied_message(params: Params, chat: Chat) -> dict[str, Any] | None:
    target = params.obj("reply_parameters") or {}
    message_id = target.get("message_id") if target else params.integer("reply_to_message_id")
    if message_id is None:
        return None
    replied = chat.messages.get(int(message_id))
    if replied is None and not target.get("allow_sending_without_reply"):
        raise bad_request("message to be replied not found")
    if replied is None:
        return None
    return {key: value for key, value in replied.items() if key != "reply_to_message"}


def publish(
    call: ApiCall, chat: Chat, message: dict[str, Any], markup: Markup, *, edited: bool = False
) -> dict[str, Any]:
    """Store the message and record it in the chat's transcript; return it for the bot."""
    chat.messages[message["message_id"]] = message
    reply = Reply(
        call.method, chat.id, dict(message), edited, markup.keyboard, markup.removes_keyboard
    )
    call.state.record_reply(chat, reply)
    return message


def resolve_media(call: ApiCall, kind: str, value: Any, upload: Upload | None) -> Any:
    """The media object for an upload, a file_id or a URL, as Telegram would store it."""
    files = call.state.files
    if upload is not None:
        return store_media(files, kind, upload.data, upload.filename, upload.content_type)
    if not value or not isinstance(value, str):
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith(("http://", "https://")):
        # The emulator fetches nothing: a URL becomes an empty file with the URL's name.
        return store_media(files, kind, b"", value.rsplit("/", 1)[-1] or "file")
    known = files.recall(value)
    if known is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return known
