"""Files users and the bot sent: bytes by file_id and by file_path, and their Bot API objects."""

from __future__ import annotations

import base64
import hashlib
import itertools
import mimetypes
from dataclasses import dataclass
from typing import Any

from bot.emulator.imagesize import image_size

# Telegram's photo size ladder: a thumbnail, then larger copies up to 1280 px on the long side.
_PHOTO_SIDES = (("s", 90), ("m", 320), ("x", 800), ("y", 1280))
_DEFAULT_PHOTO = (1280, 960)
_FOLDERS = {
    "photo": "photos",
    "document": "documents",
    "video": "videos",
    "video_note": "video_notes",
    "sticker": "stickers",
    "voice": "voice",
    "audio": "music",
    "animation": "animations",
}


@dataclass(frozen=True, slots=True)
class StoredFile:
    """One stored file and the identifiers Telegram would give it."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    mime_type: str

    def as_file(self) -> dict[str, Any]:
        """The Bot API File object getFile answers."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    """All files of one emulator, looked up by file_id and by file_path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._objects: dict[str, Any] = {}
        self._counter = itertools.count(1)

    def add(self, data: bytes, kind: str, mime_type: str, variant: str = "") -> StoredFile:
        """Store bytes as a new file of a kind (photo, document, video, ...)."""
        number = next(self._counter)
        extension = mimetypes.guess_extension(mime_type) or ".bin"
        if extension == ".jpe":
            extension = ".jpg"
        raw_id = f"{kind}:{number}".encode()
        file_id = "BQACAgIAAx" + base64.urlsafe_b64encode(raw_id).decode().rstrip("=")
        digest = hashlib.sha1(data + variant.encode(), usedforsecurity=False).digest()
        unique_id = "AQAD" + base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")
        path = f"{_FOLDERS.get(kind, 'documents')}/file_{number}{extension}"
        stored = StoredFile(file_id, unique_id, data, path, mime_type)
        self._by_id[file_id] = stored
        self._by_path[path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """The file with that file_id, or None."""
        return self._by_id.get(file_id)

    def at_path(self, file_path: str) -> StoredFile | None:
        """The file at that file_path, or None."""
        return self._by_path.get(file_path)

    def remember(self, file_id: str, obj: Any) -> None:
        """Keep the Bot API object a file_id stands for, to resend it by file_id."""
        self._objects[file_id] = obj

    def recall(self, file_id: str) -> Any:
        """The object remembered for a file_id, or None."""
        return self._objects.get(file_id)

    def photo(self, data: bytes) -> list[dict[str, Any]]:
        """Store a photo and return its PhotoSize ladder, smallest first, as Telegram does."""
        width, height = image_size(data) or _DEFAULT_PHOTO
        sizes: list[dict[str, Any]] = []
        for label, side in _PHOTO_SIDES:
            scale = min(1.0, side / max(width, height, 1))
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            if sizes and (sizes[-1]["width"], sizes[-1]["height"]) == size:
                break
            stored = self.add(data, "photo", "image/jpeg", variant=label)
            share = (size[0] * size[1]) / max(1, width * height)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": size[0],
                    "height": size[1],
                    "file_size": max(1, round(len(data) * min(1.0, share))),
                }
            )
        for entry in sizes:
            self.remember(entry["file_id"], sizes)
        return sizes

    def media(self, data: bytes, kind: str, mime_type: str, /, **fields: Any) -> dict[str, Any]:
        """Store a non-photo file and return its Bot API object with the given extra fields."""
        stored = self.add(data, kind, mime_type)
        obj = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(data),
            **{key: value for key, value in fields.items() if value is not None},
        }
        self.remember(stored.file_id, obj)
        return obj
