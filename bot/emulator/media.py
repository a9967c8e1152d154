"""Media objects (photo sizes, documents, videos, stickers ...) built from bytes."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.emulator.files import FileStore

_DEFAULT_MIME = {
    "photo": "image/jpeg",
    "document": "application/octet-stream",
    "video": "video/mp4",
    "video_note": "video/mp4",
    "animation": "video/mp4",
    "sticker": "image/webp",
    "audio": "audio/mpeg",
    "voice": "audio/ogg",
}
# A 1x1 WebP, so send_sticker() needs no file.
TINY_WEBP = bytes.fromhex("524946461a000000574542505650384c0d0000002f0000001007101111888808fe0700")


def mime_for(kind: str, filename: str | None, declared: str | None) -> str:
    """The MIME type Telegram would report: declared, else guessed from the name, else a default."""
    if declared and declared != "application/octet-stream":
        return declared
    guessed = mimetypes.guess_type(filename)[0] if filename else None
    return guessed or _DEFAULT_MIME.get(kind, "application/octet-stream")


def store_media(
    files: FileStore,
    kind: str,
    data: bytes,
    filename: str | None = None,
    mime_type: str | None = None,
    **overrides: Any,
) -> Any:
    """Store bytes as media of a kind and return the Bot API object a message carries."""
    if kind == "photo":
        return files.photo(data)
    mime = mime_for(kind, filename, mime_type)
    defaults: dict[str, dict[str, Any]] = {
        "document": {"file_name": filename, "mime_type": mime},
        "video": {"width": 640, "height": 360, "duration": 5, "mime_type": mime},
        "animation": {"width": 320, "height": 240, "duration": 3, "mime_type": mime},
        "video_note": {"length": 240, "duration": 5},
        "sticker": {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
        "audio": {"duration": 30, "mime_type": mime, "file_name": filename},
        "voice": {"duration": 3, "mime_type": mime},
    }
    fields = dict(defaults[kind])
    if kind in ("video", "animation") and filename:
        fields["file_name"] = filename
    return files.media(data, kind, mime, **(fields | overrides))
