"""The Bot API emulator driven by a real python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import base64
import struct
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    MenuButtonCommands,
    MessageOriginHiddenUser,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.emulator import BotApiEmulator, SimUser
from bot.emulator.__main__ import parse_args, serve
from tests.conftest import free_port

# PTB 22 warns on reading durations such as retry_after that they will become timedeltas.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*will be of type `datetime.timedelta`:telegram.warnings.PTBDeprecationWarning"
)
App = Application[Any, Any, Any, Any, Any, Any]
TOKEN = "123456:TEST"
USER_ID = 1001


def jpeg(width: int, height: int, body: bytes = b"pixels") -> bytes:
    """A JPEG header with a start-of-frame carrying the size, and some payload."""
    frame = struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xc0" + frame + body + b"\xff\xd9"


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with two buttons."""
    assert update.effective_user is not None and update.message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Да", callback_data="ask:yes")],
            [InlineKeyboardButton("Нет, спасибо", callback_data="ask:no")],
        ]
    )
    await update.message.reply_text(
        f"Привет, <b>{update.effective_user.first_name}</b>!",
        parse_mode="HTML",
        reply_markup=keyboard,
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and replace the question by the choice."""
    query = update.callback_query
    assert query is not None
    await query.answer(f"chosen {query.data}")
    await query.edit_message_text(f"You chose {query.data}")


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the largest size and say how big it was."""
    assert update.message is not None
    data = await (await update.message.photo[-1].get_file()).download_as_bytearray()
    context.bot_data.setdefault("photos", []).append((update.message.media_group_id, bytes(data)))
    await update.message.reply_text(f"photo {len(data)} bytes")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo, or edit-aware echo for edited messages."""
    message = update.effective_message
    assert message is not None
    prefix = "edited: " if update.edited_message else ""
    await message.reply_text(prefix + (message.text or ""))


async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep every update, to check what PTB parsed."""
    context.bot_data.setdefault("updates", []).append(update)


def build_app(emu: BotApiEmulator, **options: Any) -> App:
    """A PTB Application pointed at the emulator, with the tiny handlers above."""
    builder = ApplicationBuilder().token(TOKEN).base_url(emu.api_url).base_file_url(emu.file_url)
    if options.get("rate_limiter"):
        builder = builder.rate_limiter(options["rate_limiter"])
    app = builder.build()
    app.add_handler(TypeHandler(Update, record), group=-1)
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.PHOTO, on_photo))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    return app


@asynccontextmanager
async def polling(app: App) -> AsyncIterator[App]:
    """Run the application with long polling, as `yabeda run` does."""
    async with app:
        await app.updater.start_polling(poll_interval=0)  # type: ignore[union-attr]
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()


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
    """A running emulator on a free port."""
    emulator = BotApiEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def app(emu: BotApiEmulator) -> AsyncIterator[App]:
    """The test bot, polling the emulator."""
    async with polling(build_app(emu)) as running:
        yield running


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A bare Bot on the emulator, for calls made directly."""
    async with Bot(TOKEN, base_url=emu.api_url, base_file_url=emu.file_url) as direct:
        yield direct


@pytest.fixture
def anna(emu: BotApiEmulator) -> SimUser:
    """The user who talks to the bot."""
    return emu.user(USER_ID, first_name="Анна", language_code="ru")


@pytest.mark.usefixtures("app")
async def test_start_reaches_the_command_handler(emu: BotApiEmulator, anna: SimUser) -> None:
    sent = await anna.send_text("/start")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

    [reply] = await anna.next_replies(timeout=3)

    assert reply.method == "sendMessage"
    assert reply.text == "Привет, Анна!"
    assert reply.entities == [{"type": "bold", "offset": 8, "length": 4}]
    assert reply.buttons == [[("Да", "ask:yes")], [("Нет, спасибо", "ask:no")]]
    assert reply.message["from"]["id"] == 123456
    assert reply.message["from"]["username"] == "yabeda_test_bot"
    assert emu.all_sent(USER_ID) == [reply]


async def test_get_me_reports_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.can_join_groups) == (123456, "yabeda_test_bot", True)


@pytest.mark.usefixtures("app")
async def test_button_press_reaches_the_callback_handler(anna: SimUser) -> None:
    await anna.send_text("/start")
    await anna.next_replies()

    press = await anna.press("спасибо")  # a substring of "Нет, спасибо"
    answer = await press.answered(timeout=3)
    [edit] = await anna.next_replies()

    assert press.data == "ask:no"
    assert answer["text"] == "chosen ask:no"
    assert edit.edited and edit.text == "You chose ask:no" and edit.buttons == []
    kinds = [(entry.actor, entry.kind) for entry in anna.transcript]
    assert kinds == [
        ("user", "message"),
        ("bot", "sendMessage"),
        ("user", "callback_query"),
        ("bot", "answerCallbackQuery"),
        ("bot", "editMessageText"),
    ]


@pytest.mark.usefixtures("app")
async def test_stale_buttons_and_callback_data(anna: SimUser) -> None:
    await anna.send_text("/start")
    [first] = await anna.next_replies()
    await anna.send_text("/start")
    await anna.next_replies()

    await anna.press(callback_data="ask:yes", message_id=first.message_id)
    [edit] = await anna.next_replies()

    assert edit.message_id == first.message_id
    with pytest.raises(LookupError, match="no inline button"):
        await anna.press("Да", message_id=first.message_id)


async def test_photo_is_downloaded_with_the_same_bytes(
    emu: BotApiEmulator, app: App, anna: SimUser
) -> None:
    data = jpeg(2000, 1500, b"\x01" * 5000)

    sent = await anna.send_photo(data)
    [reply] = await anna.next_replies()

    assert reply.text == f"photo {len(data)} bytes"
    assert app.bot_data["photos"] == [(None, data)]
    sides = [(size["width"], size["height"]) for size in sent["photo"]]
    assert sides == [(90, 68), (320, 240), (800, 600), (1280, 960)]
    assert len({size["file_unique_id"] for size in sent["photo"]}) == 4


async def test_album_arrives_as_three_updates_with_one_group(app: App, anna: SimUser) -> None:
    photos = [jpeg(640, 480, bytes([n]) * 100) for n in range(3)]

    messages = await anna.send_album(photos, caption="Посылка")
    await anna.next_replies(count=3)

    updates = app.bot_data["updates"]
    assert len(updates) == 3
    group_ids = {update.message.media_group_id for update in updates}
    assert group_ids == {messages[0]["media_group_id"]}
    assert [update.message.caption for update in updates] == ["Посылка", None, None]
    assert sorted(data for _, data in app.bot_data["photos"]) == sorted(photos)


async def test_forwarded_photo_documents_and_other_media_parse_in_ptb(
    app: App, emu: BotApiEmulator, anna: SimUser
) -> None:
    await anna.forward_photo(jpeg(100, 100), from_name="Seller")
    await anna.send_document(jpeg(10, 10), file_name="scan.jpg", mime_type="image/jpeg")
    await anna.send_document(b"%PDF-1.4 ...", file_name="act.pdf")
    await anna.send_video(b"\x00\x00\x00\x18ftypmp42")
    await anna.send_video_note(b"\x00\x00\x00\x18ftypmp42")
    await anna.send_sticker()
    await anna.send_location(55.7, 37.6)
    await anna.send_contact("+79001234567", "Ivan")
    await emu.idle(timeout=3)

    messages = [update.message for update in app.bot_data["updates"]]
    assert isinstance(messages[0].forward_origin, MessageOriginHiddenUser)
    assert messages[0].forward_origin.sender_user_name == "Seller"
    assert messages[1].document.mime_type == "image/jpeg"
    assert messages[2].document.mime_type == "application/pdf"
    assert messages[3].video.mime_type == "video/mp4"
    assert messages[4].video_note is not None and messages[5].sticker is not None
    assert (messages[6].location.latitude, messages[7].contact.first_name) == (55.7, "Ivan")


@pytest.mark.usefixtures("app")
async def test_user_edit_arrives_as_edited_message(anna: SimUser) -> None:
    sent = await anna.send_text("RU123456789CN")
    await anna.next_replies()

    await anna.edit_text(sent["message_id"], "RU123456785CN")
    [reply] = await anna.next_replies()

    assert reply.text == "edited: RU123456785CN"


async def test_429_surfaces_as_retry_after_then_succeeds(emu: BotApiEmulator, bot: Bot) -> None:
    emu.faults.add(method="sendMessage", status=429, retry_after=1, times=1)

    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER_ID, "first try")
    await bot.send_message(USER_ID, "second try")

    assert raised.value.retry_after == 1
    assert emu.stats.too_many_requests == 1
    assert [reply.text for reply in emu.all_sent()] == ["second try"]


async def test_429_is_retried_by_ptb_rate_limiter(emu: BotApiEmulator) -> None:
    emu.faults.add(method="sendMessage", status=429, retry_after=1, times=1, chat_id=USER_ID)
    limiter = AIORateLimiter(overall_max_rate=0, max_retries=2)
    async with polling(build_app(emu, rate_limiter=limiter)) as running:
        await running.bot.send_message(USER_ID, "eventually")

    assert emu.stats.calls["sendMessage"] == 2
    assert [reply.text for reply in emu.all_sent(USER_ID)] == ["eventually"]


async def test_500_then_success(emu: BotApiEmulator, bot: Bot) -> None:
    emu.faults.add("sendMessage", 500, times=2)

    for _ in range(2):
        with pytest.raises(Exception, match="Internal Server Error"):
            await bot.send_message(USER_ID, "x")
    await bot.send_message(USER_ID, "x")

    assert emu.stats.errors[500] == 2


async def test_blocked_user_answers_403(emu: BotApiEmulator, bot: Bot) -> None:
    emu.block(USER_ID)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER_ID, "reminder")
    emu.unblock(USER_ID)
    await bot.send_message(USER_ID, "reminder")


async def test_hang_and_slow_faults(emu: BotApiEmulator, bot: Bot) -> None:
    emu.faults.hang("sendMessage")
    emu.faults.slow("sendChatAction", 0.2, times=1)

    with pytest.raises(TimedOut):
        await bot.send_message(USER_ID, "lost", read_timeout=0.2)
    started = asyncio.get_running_loop().time()
    await bot.send_chat_action(USER_ID, "typing")

    assert asyncio.get_running_loop().time() - started >= 0.19
    assert emu.all_sent() == []
    assert await bot.send_message(USER_ID, "fine")


async def test_api_errors_look_like_telegram(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: can't find end tag"):
        await bot.send_message(USER_ID, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)character '.' is reserved"):
        await bot.send_message(USER_ID, "1.5 kg", parse_mode="MarkdownV2")
    message = await bot.send_message(USER_ID, "same")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("same", USER_ID, message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emu.api_url}{TOKEN}/noSuchMethod")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_bot_media_keyboards_and_deletion(
    emu: BotApiEmulator, bot: Bot, anna: SimUser
) -> None:
    heard: list[str] = []
    emu.on_reply(lambda reply: heard.append(reply.method))
    keyboard = ReplyKeyboardMarkup([["Отмена"]])
    await bot.send_message(USER_ID, "Choose", reply_markup=keyboard)
    assert anna.keyboard == [["Отмена"]]
    await bot.send_message(USER_ID, "Done", reply_markup=ReplyKeyboardRemove())
    assert anna.keyboard is None

    await bot.send_photo(USER_ID, jpeg(50, 40), caption="<i>evidence</i>", parse_mode="HTML")
    document = await bot.send_document(USER_ID, b"dispute text", filename="dispute.txt")
    assert await bot.delete_message(USER_ID, document.message_id)

    replies = await anna.next_replies(count=4)
    assert [reply.method for reply in replies] == [
        "sendMessage",
        "sendMessage",
        "sendPhoto",
        "sendDocument",
    ]
    assert replies[2].text == "evidence" and replies[2].entities[0]["type"] == "italic"
    assert emu.file_bytes(replies[3].file_id or "") == b"dispute text"
    assert anna.transcript[-1].kind == "deleteMessage"
    assert heard == ["sendMessage", "sendMessage", "sendPhoto", "sendDocument"]


async def test_bot_sends_a_media_group(bot: Bot, anna: SimUser) -> None:
    media = [InputMediaPhoto(jpeg(30, 20, bytes([n])), caption=f"#{n}") for n in range(3)]
    messages = await bot.send_media_group(USER_ID, media)

    replies = await anna.next_replies(count=3)
    assert len({message.media_group_id for message in messages}) == 1
    assert [reply.text for reply in replies] == ["#0", "#1", "#2"]
    file = await bot.get_file(messages[1].photo[-1].file_id)
    assert await file.download_as_bytearray() == jpeg(30, 20, bytes([1]))


async def test_commands_and_menu_button(bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Начать"), BotCommand("cases", "Мои дела")])
    await bot.set_chat_menu_button(menu_button=MenuButtonCommands())

    assert [command.command for command in await bot.get_my_commands()] == ["start", "cases"]
    assert isinstance(await bot.get_chat_menu_button(), MenuButtonCommands)
    assert await bot.log_out() and await bot.close()


async def test_enforced_limits_answer_429_per_chat() -> None:
    async with BotApiEmulator(enforce_limits=True) as emu:
        async with Bot(TOKEN, base_url=emu.api_url) as bot:
            for n in range(3):
                await bot.send_message(USER_ID, f"burst {n}")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER_ID, "too fast")
            await bot.send_message(USER_ID + 1, "another chat is fine")

        assert emu.stats.too_many_requests == 1
        assert emu.stats.messages_sent == 4
        assert emu.stats.peak_rate(window=1.0) == 4


async def test_next_replies_times_out_with_the_transcript(anna: SimUser) -> None:
    await anna.send_text("nobody listens")

    with pytest.raises(TimeoutError, match="nobody listens"):
        await anna.next_replies(timeout=0.1)


async def test_idle_waits_until_the_bot_handled_everything(emu: BotApiEmulator, app: App) -> None:
    users = [emu.user(2000 + n) for n in range(20)]
    for user in users:
        await user.send_text(f"hello {user.id}")

    await emu.idle(timeout=5)

    assert emu.stats.updates_delivered == 20
    assert all(user.replies for user in users)


async def test_webhook_delivery_with_secret_and_refusal(emu: BotApiEmulator, anna: SimUser) -> None:
    port = free_port()
    app = build_app(emu)
    async with app:
        await app.updater.start_webhook(  # type: ignore[union-attr]
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            secret_token="s3cret",
            webhook_url=f"http://127.0.0.1:{port}/hook",
        )
        await app.start()
        try:
            await anna.send_text("/start")
            [reply] = await anna.next_replies(timeout=3)
            assert reply.text == "Привет, Анна!"
            assert emu.webhook_info()["url"] == f"http://127.0.0.1:{port}/hook"
            with pytest.raises(Conflict, match="webhook is active"):
                await app.bot.get_updates()

            async with httpx.AsyncClient() as client:
                refused = await client.post(
                    f"http://127.0.0.1:{port}/hook",
                    json={"update_id": 1},
                    headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                )
            assert refused.status_code == 403

            # The emulator with a stale secret is refused by PTB too, and keeps retrying.
            await app.bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="stale")
            await anna.send_text("held back")
            await asyncio.sleep(0.2)
            info = await app.bot.get_webhook_info()
            assert info.pending_update_count == 1
            assert "403" in (info.last_error_message or "")
            await app.bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
            [late] = await anna.next_replies(timeout=3)
            assert late.text == "held back"
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()


async def test_control_api_drives_a_standalone_emulator() -> None:
    stop = asyncio.Event()
    started: asyncio.Future[BotApiEmulator] = asyncio.get_running_loop().create_future()
    server = asyncio.create_task(serve(parse_args(["--port", "0"]), started.set_result, stop))
    emu = await started
    control = f"{emu.base_url}/_emu"
    try:
        async with polling(build_app(emu)), httpx.AsyncClient(timeout=5) as http:
            info = (await http.get(control)).json()["result"]
            assert info == {"api_url": emu.api_url, "file_url": emu.file_url}
            user = await http.post(f"{control}/users/{USER_ID}", json={"first_name": "Анна"})
            assert user.json()["result"]["first_name"] == "Анна"

            await http.post(f"{control}/users/{USER_ID}/send_text", json={"text": "/start"})
            replies = await http.post(
                f"{control}/users/{USER_ID}/next_replies", json={"timeout": 3}
            )
            [reply] = replies.json()["result"]
            assert reply["text"] == "Привет, Анна!"
            assert reply["buttons"] == [[["Да", "ask:yes"]], [["Нет, спасибо", "ask:no"]]]

            press = await http.post(f"{control}/users/{USER_ID}/press", json={"label": "Да"})
            query_id = press.json()["result"]["query_id"]
            answer = await http.post(
                f"{control}/users/{USER_ID}/callback_answer", json={"query_id": query_id}
            )
            assert answer.json()["result"]["text"] == "chosen ask:yes"

            photo = jpeg(64, 48)
            await http.post(
                f"{control}/users/{USER_ID}/send_photo",
                json={"data_b64": base64.b64encode(photo).decode()},
            )
            await http.post(f"{control}/texts", json={"messages": [[7, "a"], [8, "b"]]})
            idle = await http.post(f"{control}/idle", json={"timeout": 3, "quiet": 0.05})
            assert idle.json() == {"ok": True, "result": None}

            fault = await http.post(
                f"{control}/faults", json={"kind": "add", "method": "sendMessage", "status": 429}
            )
            assert fault.json()["result"]["retry_after"] == 1
            await http.post(f"{control}/blocked/9")
            stats = (await http.get(f"{control}/stats", params={"times": "1"})).json()["result"]
            transcript = (await http.get(f"{control}/users/{USER_ID}/transcript")).json()
            sent = (await http.get(f"{control}/sent", params={"chat_id": 7})).json()["result"]
            missing = await http.post(f"{control}/users/{USER_ID}/no_such_op", json={})

        assert stats["calls"]["sendMessage"] == 4 and len(stats["send_times"]) == 4
        assert stats["updates_delivered"] == 5
        assert [entry["actor"] for entry in transcript["result"]][:2] == ["user", "bot"]
        assert [message["text"] for message in sent] == ["a"]
        assert missing.status_code == 404
        assert emu.faults.rules[0].method == "sendMessage"
        assert 9 in emu.state.blocked
    finally:
        stop.set()
        await server


async def test_python_m_bot_emulator_prints_its_api_url() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.emulator",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        api_url = (await asyncio.wait_for(process.stdout.readline(), 10)).decode().strip()
        assert api_url.startswith("http://127.0.0.1:") and api_url.endswith("/bot")
        async with Bot(TOKEN, base_url=api_url) as bot:
            assert (await bot.get_me()).username == "yabeda_test_bot"
        async with httpx.AsyncClient() as http:
            base = api_url.removesuffix("/bot")
            await http.post(f"{base}/_emu/users/{USER_ID}/send_text", json={"text": "hi"})
            async with Bot(TOKEN, base_url=api_url) as bot:
                [update] = await bot.get_updates(timeout=1)
        assert update.message is not None and update.message.text == "hi"
    finally:
        process.terminate()
        await process.wait()
