"""Methods that post messages: text, media, albums, locations, chat actions."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.formatting import format_text
from bot.emulator.methods.outbox import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    Markup,
    formatted,
    new_message,
    publish,
    read_markup,
    resolve_media,
)
from bot.emulator.methods.registry import ApiCall, Handler, api_method
from bot.emulator.transcript import Event

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_SPOILER_KINDS = frozenset({"photo", "video", "animation"})
_ALBUM_KINDS = frozenset({"photo", "video", "document", "audio"})


@api_method("sendMessage")
async def send_message(call: ApiCall) -> dict[str, Any]:
    """Send a text message."""
    chat = call.chat()
    content = formatted(call.params, "text", "entities", TEXT_LIMIT)
    if not content.get("text", "").strip():
        raise bad_request("message text is empty")
    markup = read_markup(call.params)
    return publish(call, chat, new_message(call, chat, markup, **content), markup)


def _media_sender(kind: str) -> Handler:
    """A send<Kind> method: the file as an upload, a file_id or a URL, with a caption."""

    async def send_media(call: ApiCall) -> dict[str, Any]:
        chat = call.chat()
        media = resolve_media(call, kind, call.params.text(kind), call.params.upload(kind))
        content: dict[str, Any] = {kind: media}
        content |= formatted(call.params, "caption", "caption_entities", CAPTION_LIMIT)
        if kind in _SPOILER_KINDS and call.params.flag("has_spoiler"):
            content["has_media_spoiler"] = True
        markup = read_markup(call.params)
        return publish(call, chat, new_message(call, chat, markup, **content), markup)

    send_media.__doc__ = f"Send a {kind}."
    return send_media


for _method, _kind in (
    ("sendPhoto", "photo"),
    ("sendDocument", "document"),
    ("sendVideo", "video"),
    ("sendVideoNote", "video_note"),
    ("sendAnimation", "animation"),
    ("sendAudio", "audio"),
    ("sendVoice", "voice"),
    ("sendSticker", "sticker"),
):
    api_method(_method)(_media_sender(_kind))


@api_method("sendMediaGroup")
async def send_media_group(call: ApiCall) -> list[dict[str, Any]]:
    """Send an album: 2-10 messages sharing one media_group_id."""
    chat = call.chat()
    items = call.params.obj("media")
    if not isinstance(items, list) or not 2 <= len(items) <= 10:
        raise bad_request("wrong number of media in the message: 2-10 are allowed")
    group_id = call.state.unique()
    messages = []
    for item in items:
        content = _album_item(call, item)
        content["media_group_id"] = group_id
        message = new_message(call, chat, Markup(), **content)
        messages.append(publish(call, chat, message, Markup()))
    return messages


def _album_item(call: ApiCall, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or item.get("type") not in _ALBUM_KINDS:
        raise bad_request("unsupported media type in the album")
    kind, value = item["type"], item.get("media")
    upload = None
    if isinstance(value, str) and value.startswith("attach://"):
        upload = call.params.upload(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request(f"file of {kind} not found in the request")
    content: dict[str, Any] = {kind: resolve_media(call, kind, value, upload)}
    if item.get("caption"):
        caption, entities = format_text(
            item["caption"], item.get("parse_mode"), item.get("caption_entities")
        )
        if len(caption) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
        content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
    return content


@api_method("sendLocation")
async def send_location(call: ApiCall) -> dict[str, Any]:
    """Send a point on the map."""
    chat = call.chat()
    latitude, longitude = call.params.number("latitude"), call.params.number("longitude")
    if latitude is None or longitude is None:
        raise bad_request("latitude and longitude are required")
    markup = read_markup(call.params)
    location = {"latitude": latitude, "longitude": longitude}
    return publish(call, chat, new_message(call, chat, markup, location=location), markup)


@api_method("sendChatAction")
async def send_chat_action(call: ApiCall) -> bool:
    """Show 'typing…' and the like; recorded in the transcript, not as a reply."""
    chat = call.chat()
    action = call.params.text("action")
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.add_event(Event("bot", call.method, chat.id, text=action))
    return True
