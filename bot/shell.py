"""`yabeda shell`: the real bot on the emulator, chatted with from the terminal."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import build_application
from bot.emulator import BotApiEmulator
from bot.runner import start, stop
from bot.settings import Settings

SHELL_TOKEN = "100000001:LOCAL-SHELL"
HELP = """Type a message and press Enter. A number picks a button of the last message.
/photo PATH sends an image file as a photo, /file PATH sends it as a file. Ctrl-D ends."""
REPLY_WAIT_SECONDS = 1.5
SETTLE_SECONDS = 0.3
SHELL_DATABASE = "sqlite+aiosqlite:///data/shell.sqlite3"


async def run_shell(settings: Settings, *, user_id: int, language: str) -> int:
    emulator = BotApiEmulator()
    await emulator.start()
    own_database = "database_url" in settings.model_fields_set
    shell_settings = settings.model_copy(
        update={
            "bot_token": settings.bot_token or SecretStr(SHELL_TOKEN),
            # The pretend chats stay out of a real bot's default database.
            "database_url": settings.database_url if own_database else SHELL_DATABASE,
            "telegram_api_url": emulator.api_url,
            "telegram_file_url": emulator.file_url,
        }
    )
    application = build_application(shell_settings)
    await start(application)
    user = emulator.user(user_id, first_name="You", language_code=language)
    print(HELP, flush=True)
    try:
        await _chat(user)
    finally:
        await stop(application)
        await emulator.stop()
    return 0


async def _chat(user: object) -> None:
    buttons: list[tuple[str, str]] = []
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return
        line = line.strip()
        if not line:
            continue
        await _send(user, line, buttons)
        for reply in await _replies(user):
            buttons = _show(reply) or buttons


async def _replies(user: Any) -> list[Any]:
    """Everything the bot says in answer: the first reply, then whatever follows it closely."""
    try:
        replies = list(await user.next_replies(timeout=REPLY_WAIT_SECONDS))
    except TimeoutError:
        return []
    while True:
        await asyncio.sleep(SETTLE_SECONDS)
        more = user.unread()
        if not more:
            return replies
        replies += more


async def _send(user: object, line: str, buttons: list[tuple[str, str]]) -> None:
    if line.isdigit() and 0 < int(line) <= len(buttons):
        await user.press(callback_data=buttons[int(line) - 1][1])  # type: ignore[attr-defined]
    elif line.startswith(("/photo ", "/file ")):
        command, path = line.split(" ", 1)
        data = await asyncio.to_thread(_read, path.strip())
        if command == "/photo":
            await user.send_photo(data)  # type: ignore[attr-defined]
        else:
            await user.send_document(data, file_name=Path(path).name)  # type: ignore[attr-defined]
    else:
        await user.send_text(line)  # type: ignore[attr-defined]


def _read(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def _show(reply: object) -> list[tuple[str, str]]:
    """Print one bot message and number its buttons; return them in that order."""
    print("\nbot> " + reply.text.replace("\n", "\n     "))  # type: ignore[attr-defined]
    flat = [button for row in reply.buttons for button in row]  # type: ignore[attr-defined]
    for number, (label, _) in enumerate(flat, start=1):
        print(f"     [{number}] {label}")
    sys.stdout.flush()
    return flat
