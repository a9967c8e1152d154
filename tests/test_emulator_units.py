"""The emulator's parts on their own: formatting, entities, limits, faults, queues, client."""

from __future__ import annotations

import asyncio
import socket
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, RetryAfter

from bot.emulator import BotApiEmulator, RemoteEmulator, RemoteError
from bot.emulator.errors import ApiError
from bot.emulator.faults import Faults
from bot.emulator.formatting import parse_html, parse_markdown, parse_markdown_v2, utf16_len
from bot.emulator.imagesize import image_size
from bot.emulator.limits import RateLimiter, RateLimits
from bot.emulator.stats import Stats
from bot.emulator.updates import UpdateQueue
from bot.emulator.users import command_entities

# PTB 22 warns on building RetryAfter that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*will be of type `datetime.timedelta`:telegram.warnings.PTBDeprecationWarning"
)


def png(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header + crc


def test_html_offsets_count_utf16_units() -> None:
    text, entities = parse_html(
        "😀 <b>жирный</b> &lt;tag&gt; <a href='https://x.y/?a=1&amp;b=2'>к</a>"
    )

    assert text == "😀 жирный <tag> к"
    assert utf16_len("😀") == 2
    assert entities == [
        {"type": "bold", "offset": 3, "length": 6},
        {"type": "text_link", "offset": 16, "length": 1, "url": "https://x.y/?a=1&b=2"},
    ]


def test_html_pre_with_language_is_one_entity() -> None:
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')

    assert text == "x = 1"
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "python"}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a<br>b", 'Unsupported start tag "br" at byte offset 1'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", "Unclosed start tag at byte offset 2"),
    ],
)
def test_html_errors_read_like_telegram(source: str, message: str) -> None:
    with pytest.raises(ApiError) as raised:
        parse_html(source)

    assert raised.value.status == 400
    assert raised.value.description == f"Bad Request: can't parse entities: {message}"


def test_markdown_v2_entities_escapes_and_links() -> None:
    text, entities = parse_markdown_v2(r"*Трек* _RU123_ [сайт](https://x.y/a\)b) 1\.5 кг ||s||")

    assert text == "Трек RU123 сайт 1.5 кг s"
    assert [entity["type"] for entity in entities or []] == [
        "bold",
        "italic",
        "text_link",
        "spoiler",
    ]
    assert (entities or [])[2]["url"] == "https://x.y/a)b"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Итого 1.5 кг", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("order-1", "Character '-' is reserved and must be escaped with the preceding '\\'"),
        ("*bold", "Can't find end of Bold entity at byte offset 0"),
        ("`code", "Can't find end of Code entity at byte offset 0"),
    ],
)
def test_markdown_v2_errors(source: str, message: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities") as raised:
        parse_markdown_v2(source)

    assert raised.value.description.endswith(message)


def test_legacy_markdown() -> None:
    text, entities = parse_markdown("*b* _i_ `c` [t](https://x.y) a-b.")

    assert text == "b i c t a-b."
    assert [entity["type"] for entity in entities or []] == ["bold", "italic", "code", "text_link"]
    with pytest.raises(ApiError, match="Can't find end of the entity starting at byte offset 0"):
        parse_markdown("*open")


def test_command_entities_anywhere_after_whitespace() -> None:
    assert command_entities("/start") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("😀 /help@yabeda_test_bot x") == [
        {"type": "bot_command", "offset": 3, "length": 21}
    ]
    assert command_entities("a/b and http://x/y") == []


def test_image_sizes() -> None:
    assert image_size(png(640, 480)) == (640, 480)
    assert image_size(b"GIF89a" + struct.pack("<HH", 7, 9)) == (7, 9)
    assert image_size(b"not an image") is None


def test_rate_limiter_allows_a_burst_per_chat_then_answers_retry_after() -> None:
    limiter = RateLimiter(RateLimits(per_chat=1.0, chat_burst=3))

    assert [limiter.retry_after("sendMessage", 1) for _ in range(3)] == [None, None, None]
    assert limiter.retry_after("sendMessage", 1) == 1
    assert limiter.retry_after("sendMessage", 2) is None
    assert limiter.retry_after("editMessageText", 1) is None


def test_rate_limiter_caps_the_whole_bot() -> None:
    limiter = RateLimiter(RateLimits(per_bot=30.0, bot_burst=30))

    answers = [limiter.retry_after("sendMessage", chat) for chat in range(31)]

    assert answers[:30] == [None] * 30
    assert answers[30] == 1


def test_faults_match_method_chat_and_times() -> None:
    faults = Faults()
    faults.add("SendMessage", 429, times=2, chat_id=5)
    faults.slow("getFile", 0.5)

    assert faults.judge("sendMessage", 6) is None
    first = faults.judge("sendMessage", 5)
    assert first is not None and first.error is not None
    assert first.error.body()["parameters"] == {"retry_after": 1}
    assert faults.judge("sendMessage", 5) is not None
    assert faults.judge("sendMessage", 5) is None
    slow = faults.judge("getFile", None)
    assert slow is not None and (slow.delay, slow.error) == (0.5, None)


def test_peak_rate_counts_the_busiest_window() -> None:
    stats = Stats(send_times=[0.0, 0.1, 0.2, 1.5, 1.6, 1.65, 1.7, 3.0])

    assert stats.peak_rate(window=1.0) == 4
    assert stats.messages_sent == 8


def test_update_queue_offsets() -> None:
    queue = UpdateQueue()
    queue.push([{"update_id": queue.new_id(), "message": {}} for _ in range(5)])

    queue.confirm(3)
    assert [update["update_id"] for update in queue.take(10)] == [3, 4, 5]
    queue.confirm(-1)
    assert [update["update_id"] for update in queue.take(10)] == [5]
    assert queue.confirmed == 4


async def test_remote_client_drives_the_control_api() -> None:
    async with (
        BotApiEmulator() as emu,
        RemoteEmulator(emu.api_url) as remote,
        Bot("42:REMOTE", base_url=remote.api_url) as bot,
    ):
        await remote.register(7, first_name="Ivan")
        sent = await remote.user(7).send_photo(png(800, 600), caption="box")
        [update] = await bot.get_updates()
        assert update.message is not None and update.message.caption == "box"
        assert update.message.photo[-1].width == 800
        assert sent["photo"][-1]["file_id"] == update.message.photo[-1].file_id

        await remote.add_fault("sendMessage", 429, retry_after=2)
        with pytest.raises(RetryAfter):
            await bot.send_message(7, "too soon")
        await remote.clear_faults()
        await bot.send_message(7, "hello")
        [reply] = await remote.user(7).next_replies(timeout=1)

        await remote.block(7)
        with pytest.raises(Forbidden):
            await bot.send_message(7, "blocked")
        stats = await remote.stats(with_times=True)
        with pytest.raises(RemoteError, match="400"):
            await remote.user(7).press("nothing to press")
        with pytest.raises(TimeoutError):
            await remote.user(7).next_replies(timeout=0.1)

    assert reply["text"] == "hello" and reply["message"]["from"]["id"] == 42
    assert stats["too_many_requests"] == 1 and stats["errors"]["403"] == 1
    assert len(stats["send_times"]) == 1


@pytest.fixture(autouse=True)
async def no_leaked_tasks() -> AsyncIterator[None]:
    """Every test leaves no task running (torn down after the other fixtures)."""
    yield
    await asyncio.sleep(0)
    current = asyncio.current_task()
    leftover = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    assert not leftover, leftover


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """A running emulator."""
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A bare Bot on the emulator."""
    async with Bot("42:UNIT", base_url=emu.api_url, base_file_url=emu.file_url) as direct:
        yield direct


async def test_long_poll_waits_for_the_timeout_or_the_next_update(
    emu: BotApiEmulator, bot: Bot
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with httpx.AsyncClient() as http:
        empty = await http.post(f"{emu.api_url}42:UNIT/getUpdates", data={"timeout": "0.3"})
    waited = loop.time() - started
    assert empty.json() == {"ok": True, "result": []}

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    started = loop.time()
    await emu.user(5).send_text("wake up")
    [update] = await poll

    assert waited >= 0.29
    assert loop.time() - started < 1
    assert update.message is not None and update.message.text == "wake up"


async def test_webhook_backlog_returns_to_get_updates(emu: BotApiEmulator, bot: Bot) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    await bot.set_webhook(dead)
    for text in ("one", "two"):
        await emu.user(5).send_text(text)
    await asyncio.sleep(0.1)

    info = await bot.get_webhook_info()
    await bot.delete_webhook()
    updates = await bot.get_updates()

    assert info.url == dead and info.pending_update_count == 2
    assert "Connection error" in (info.last_error_message or "")
    assert [u.message.text for u in updates if u.message] == ["one", "two"]


async def test_allowed_updates_filter_new_updates(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    await emu.user(5).send_text("ignored")

    assert await bot.get_updates(timeout=0) == ()


async def test_edits_of_markup_and_caption(emu: BotApiEmulator, bot: Bot, tmp_path: Path) -> None:
    picture = tmp_path / "box.png"
    picture.write_bytes(png(20, 10))
    user = emu.user(5)
    sent = await user.send_photo(picture)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ok", callback_data="ok")]])
    photo = await bot.send_photo(
        5, sent["photo"][-1]["file_id"], caption="v1", reply_markup=keyboard
    )

    await bot.edit_message_caption(5, photo.message_id, caption="v2", reply_markup=keyboard)
    await bot.edit_message_reply_markup(5, photo.message_id)
    replies = await user.next_replies(count=3)

    assert [(r.text, r.edited, r.buttons) for r in replies] == [
        ("v1", False, [[("Ok", "ok")]]),
        ("v2", True, [[("Ok", "ok")]]),
        ("v2", True, []),
    ]
    assert emu.file_bytes(replies[0].file_id or "") == png(20, 10)
