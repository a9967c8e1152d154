"""The aiohttp transport against the emulator: what arrives, and the errors PTB raises."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.emulator import BotApiEmulator
from bot.transport import AiohttpRequest, env_proxy
from tests.images import tiny_jpeg

# PTB 22 warns on reading retry_after that it will become a timedelta.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*will be of type `datetime.timedelta`:telegram.warnings.PTBDeprecationWarning"
)
TOKEN = "123456:TRANSPORT"
USER_ID = 730_001
TRANSPORTS: dict[str, Callable[..., BaseRequest]] = {
    "aiohttp": AiohttpRequest,
    "httpx": HTTPXRequest,
}


def make_bot(
    api_url: str, file_url: str, transport: str = "aiohttp", limits: dict[str, float] | None = None
) -> Bot:
    request = TRANSPORTS[transport](**(limits or {}))
    return Bot(TOKEN, base_url=api_url, base_file_url=file_url, request=request)


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    emulator.user(USER_ID, first_name="Анна")
    async with make_bot(emulator.api_url, emulator.file_url) as direct:
        yield direct


async def test_a_message_with_a_keyboard_arrives(emulator: BotApiEmulator, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Да & нет", callback_data="q:yes")]])
    sent = await bot.send_message(USER_ID, "Привет, <b>Анна</b>!", "HTML", reply_markup=markup)

    [reply] = emulator.all_sent(USER_ID)
    assert (reply.text, reply.buttons) == ("Привет, Анна!", [[("Да & нет", "q:yes")]])
    assert sent.message_id == reply.message_id


async def test_an_uploaded_photo_arrives_byte_for_byte(emulator: BotApiEmulator, bot: Bot) -> None:
    photo = tiny_jpeg(7)
    sent = await bot.send_photo(USER_ID, photo, caption="Посылка", filename="фото.jpg")

    [reply] = emulator.all_sent(USER_ID)
    assert reply.text == "Посылка"
    assert emulator.file_bytes(sent.photo[-1].file_id) == photo


async def test_a_hang_times_out_after_the_read_timeout(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.faults.hang("sendMessage")
    started = time.monotonic()

    with pytest.raises(TimedOut):
        await bot.send_message(USER_ID, "lost", read_timeout=0.3)

    assert 0.3 <= time.monotonic() - started < 1.5
    assert await bot.send_message(USER_ID, "the next one goes through")


async def test_a_429_raises_retry_after_with_its_seconds(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    emulator.faults.add("sendMessage", 429, retry_after=7)

    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER_ID, "too fast")

    assert raised.value.retry_after == 7


async def test_a_refused_connection_raises_network_error() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/bot{TOKEN}/getMe"
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as raised:
            await request.post(url)

    assert not isinstance(raised.value, TimedOut)


async def test_a_full_pool_times_out_after_the_pool_timeout(emulator: BotApiEmulator) -> None:
    emulator.user(USER_ID)
    emulator.faults.hang("sendMessage")
    limits = {"connection_pool_size": 1, "pool_timeout": 0.2, "read_timeout": 3.0}
    async with make_bot(emulator.api_url, emulator.file_url, limits=limits) as bot:
        hanging = asyncio.create_task(bot.send_message(USER_ID, "holds the connection"))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        with pytest.raises(TimedOut, match="Pool timeout"):
            await bot.send_message(USER_ID, "waits for it")
        assert time.monotonic() - started < 1.0
        with pytest.raises(TimedOut):
            await hanging


@pytest.mark.parametrize(
    "fault",
    [
        ("sendMessage", 429, {"retry_after": 2}),
        ("sendMessage", 500, {}),
        ("sendMessage", 502, {}),
        ("sendMessage", 400, {"description": "Bad Request: chat not found"}),
        ("sendMessage", 403, {"description": "Forbidden: bot was blocked by the user"}),
        ("sendMessage", 401, {}),
    ],
)
async def test_api_errors_are_the_exceptions_httpx_gives(
    emulator: BotApiEmulator, fault: tuple[str, int, dict[str, object]]
) -> None:
    emulator.user(USER_ID)
    method, status, extra = fault
    errors = []
    for transport in TRANSPORTS:
        emulator.faults.add(method, status, **extra)  # type: ignore[arg-type]
        async with make_bot(emulator.api_url, emulator.file_url, transport) as bot:
            with pytest.raises(TelegramError) as raised:
                await bot.send_message(USER_ID, "x")
        errors.append((type(raised.value), str(raised.value)))

    assert errors[0] == errors[1]
    assert status != 403 or errors[0][0] is Forbidden


async def test_requests_go_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bytes] = []
    async with _answering_proxy(seen) as proxy:
        for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
            monkeypatch.delenv(name.upper(), raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy)
        async with AiohttpRequest() as request:
            answer = await request.post(f"http://api.telegram.invalid/bot{TOKEN}/getMe")

    assert answer == {"id": 1}
    assert seen == [f"POST http://api.telegram.invalid/bot{TOKEN}/getMe HTTP/1.1".encode()]


def test_no_proxy_exempts_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    assert env_proxy("https://api.telegram.org/bot1:x/getMe") == "http://proxy.example:3128"
    assert env_proxy("http://127.0.0.1:8081/bot1:x/getMe") is None


@asynccontextmanager
async def _answering_proxy(seen: list[bytes]) -> AsyncIterator[str]:
    """A stand-in proxy that answers every request itself, noting its request line."""
    body = json.dumps({"ok": True, "result": {"id": 1}}).encode()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head.split(b"\r\n", 1)[0])
        length = b"Content-Length: %d\r\n" % len(body)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n" + length + b"\r\n" + body)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
