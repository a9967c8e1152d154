"""getFile: where the bot downloads a file from."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.methods.registry import ApiCall, api_method

# Bots may download files of at most 20 MB through the cloud Bot API.
DOWNLOAD_LIMIT = 20 * 1024 * 1024


@api_method("getFile")
async def get_file(call: ApiCall) -> dict[str, Any]:
    """The File with its file_path, for GET /file/bot<token>/<file_path>."""
    stored = call.state.files.get(call.params.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return stored.as_file()
