"""Methods that change what is on screen: edits, deletions, callback answers."""

from __future__ import annotations

import time
from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.errors import bad_request
from bot.emulator.methods.outbox import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    Markup,
    formatted,
    publish,
    read_markup,
)
from bot.emulator.methods.registry import ApiCall, api_method
from bot.emulator.transcript import Event

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _editable(call: ApiCall) -> tuple[Chat, dict[str, Any]]:
    """The chat and the bot message an edit names."""
    if call.params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = call.chat()
    message = chat.messages.get(call.params.required_int("message_id"))
    if message is None:
        raise bad_request("message to edit not found")
    if not message["from"].get("is_bot"):
        raise bad_request("message can't be edited")
    return chat, message


def _apply_edit(
    call: ApiCall, chat: Chat, message: dict[str, Any], changes: dict[str, Any], markup: Markup
) -> dict[str, Any]:
    """Replace fields (None removes one); 400 when nothing changes, as Telegram does."""
    changes = changes | {"reply_markup": markup.inline}
    if all(message.get(key) == value for key, value in changes.items()):
        raise bad_request(_NOT_MODIFIED)
    edited = {key: value for key, value in message.items() if key not in changes}
    edited |= {key: value for key, value in changes.items() if value is not None}
    edited["edit_date"] = int(time.time())
    return publish(call, chat, edited, markup, edited=True)


@api_method("editMessageText")
async def edit_message_text(call: ApiCall) -> dict[str, Any]:
    """Change a bot message's text; a missing reply_markup removes the keyboard."""
    chat, message = _editable(call)
    content = formatted(call.params, "text", "entities", TEXT_LIMIT)
    if not content.get("text", "").strip():
        raise bad_request("message text is empty")
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    changes = {"text": content["text"], "entities": content.get("entities")}
    return _apply_edit(call, chat, message, changes, read_markup(call.params))


@api_method("editMessageCaption")
async def edit_message_caption(call: ApiCall) -> dict[str, Any]:
    """Change a media message's caption."""
    chat, message = _editable(call)
    content = formatted(call.params, "caption", "caption_entities", CAPTION_LIMIT)
    changes = {
        "caption": content.get("caption"),
        "caption_entities": content.get("caption_entities"),
    }
    return _apply_edit(call, chat, message, changes, read_markup(call.params))


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(call: ApiCall) -> dict[str, Any]:
    """Change or remove a message's inline keyboard."""
    chat, message = _editable(call)
    return _apply_edit(call, chat, message, {}, read_markup(call.params))


@api_method("deleteMessage")
async def delete_message(call: ApiCall) -> bool:
    """Delete a message (the bot's, or the user's in a private chat)."""
    chat = call.chat()
    message_id = call.params.required_int("message_id")
    if chat.messages.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    chat.add_event(Event("bot", call.method, chat.id, message_id=message_id))
    return True


@api_method("deleteMessages")
async def delete_messages(call: ApiCall) -> bool:
    """Delete several messages; missing ones are skipped, as Telegram does."""
    chat = call.chat()
    for message_id in call.params.obj("message_ids") or []:
        if chat.messages.pop(int(message_id), None) is not None:
            chat.add_event(Event("bot", call.method, chat.id, message_id=int(message_id)))
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(call: ApiCall) -> bool:
    """Answer a button press once; the answer reaches the transcript and the pressing user."""
    query_id = call.params.text("callback_query_id") or ""
    pending = call.state.queries.pop(query_id, None)
    if pending is None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = call.params.text("text")
    answer = {
        "text": text,
        "show_alert": call.params.flag("show_alert"),
        "url": call.params.text("url"),
        "cache_time": call.params.integer("cache_time") or 0,
    }
    chat = call.state.chats.get(pending.chat_id)
    if chat is not None:
        chat.add_event(Event("bot", call.method, chat.id, text=text, payload=answer))
    if not pending.answer.done():
        pending.answer.set_result(answer)
    return True
