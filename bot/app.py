"""The composition root: build_application(settings) wires everything; nothing at import."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.context import BotContext, Services, utc_now
from bot.handlers import complaint, evidence, report, start, translation
from bot.handlers.errors import on_error
from bot.i18n import Catalogs
from bot.inbox import ORPHANED_AFTER, ConfirmingRequest, Inbox
from bot.logs import protect_token, quiet_http_logs
from bot.reminders import feature as reminders
from bot.settings import Settings
from bot.storage import received
from bot.storage.migrate import upgrade
from bot.storage.session import create_engine, session_factory
from bot.transport import AiohttpRequest
from bot.updates import MAX_CONCURRENT_UPDATES, PerUserOrder
from flows.rules import load_rules

App = Application[Any, BotContext, Any, Any, Any, Any]
# Features with handlers and start-up work of their own (reminders, reports, translation):
# each module has register(application), on_start(application, services), on_stop(...).
FEATURES: tuple[Any, ...] = (translation, reminders)
PRIVATE = filters.ChatType.PRIVATE
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def build_application(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    migrate: bool = True,
    own_process: bool = False,
) -> App:
    """The bot as configured; tests, the shell and `yabeda run` all build it here.

    `own_process`: the bot is the process (`yabeda run`), so it may freeze the start-up heap.
    """
    protect_token(settings.token)
    quiet_http_logs()
    inbox = Inbox()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.file_url)
        .request(AiohttpRequest())
        .get_updates_request(ConfirmingRequest(inbox))
        .update_queue(inbox)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerUserOrder(MAX_CONCURRENT_UPDATES, finished=inbox.finished))
        # Replies to users are not throttled; only bulk reminders are paced (DESIGN pitfalls).
        .rate_limiter(AIORateLimiter(overall_max_rate=0, overall_time_period=0, max_retries=3))
        .post_init(_post_init(settings, clock, migrate, own_process, inbox))
        .post_shutdown(_post_shutdown)
    )
    application: App = builder.build()
    for feature in FEATURES:
        feature.register(application)
    _add_handlers(application)
    application.add_error_handler(on_error)
    return application


def _add_handlers(application: App) -> None:
    commands: dict[str, Handler] = {
        "start": start.start,
        "help": start.help_command,
        "privacy": start.privacy,
        "delete": start.delete_request,
        "language": start.language,
        "new": complaint.new_case,
        "cases": complaint.list_cases,
        "cancel": complaint.cancel,
        "report": report.start_report,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=PRIVATE))
    callbacks: dict[str, Handler] = {
        r"^start:new$": complaint.new_case,
        r"^start:report$": report.start_report,
        r"^rep:from:\d+$": report.report_from_case,
        r"^del:(yes|no)$": start.delete_answer,
        r"^lang:": start.language_chosen,
        r"^case:open:": complaint.open_existing,
        r"^ev:": evidence.label_chosen,
        r"^rv:": evidence.review_action,
        r"^(q|nav):": complaint.on_button,
    }
    for pattern, callback in callbacks.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(CallbackQueryHandler(evidence.unknown_button))
    media = filters.PHOTO | filters.VIDEO | filters.VIDEO_NOTE | filters.Document.ALL
    application.add_handler(
        MessageHandler(PRIVATE & media & ~filters.UpdateType.EDITED, evidence.on_media)
    )
    text = PRIVATE & filters.TEXT & ~filters.COMMAND & ~filters.UpdateType.EDITED
    application.add_handler(MessageHandler(text, complaint.on_text))
    application.add_handler(MessageHandler(PRIVATE & filters.COMMAND, evidence.unknown_command))
    application.add_handler(MessageHandler(PRIVATE, evidence.unexpected_message))


def _post_init(
    settings: Settings,
    clock: Callable[[], datetime],
    migrate: bool,
    own_process: bool,
    inbox: Inbox,
) -> Any:
    async def post_init(application: App) -> None:
        engine = create_engine(settings.database_url)
        if migrate:
            await upgrade(engine)
        catalogs = Catalogs.load()
        # Telegram gives getUpdates to one caller at a time (another gets 409 Conflict): a
        # polling instance is alone with its users. Webhook instances may share them.
        shared = settings.webhook_url is not None
        sessions = session_factory(engine, shared_with_instances=shared)
        services = Services(settings, catalogs, sessions, clock)
        if engine.dialect.name == "sqlite":
            services.one_at_a_time = asyncio.Lock()
        services.extras["engine"] = engine
        services.extras["rules"] = load_rules(settings.rules_file)
        application.bot_data["services"] = services
        for feature in FEATURES:
            await feature.on_start(application, services)
        await _set_commands(application, catalogs)
        # Only webhook instances on PostgreSQL may share the table (SQLite: one instance).
        shared_inbox = shared and engine.dialect.name == "postgresql"
        write = received.writer(engine, services.one_at_a_time)
        inbox.attach(services.unit_of_work, write, webhook=shared)
        await _take_up_inbox(application, inbox, shared=shared_inbox)
        if own_process:
            freeze_startup_heap()

    return post_init


async def _take_up_inbox(application: App, inbox: Inbox, *, shared: bool) -> None:
    """Queue what a stop left unhandled, before any new update; instances that share the table
    take only rows no live instance holds, and look again now and then."""
    if not shared:
        await inbox.take_up(application.bot, datetime.now(UTC))
        return

    async def sweep(_context: object = None) -> None:
        await inbox.take_up(application.bot, datetime.now(UTC) - ORPHANED_AFTER)

    await sweep()
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    every = ORPHANED_AFTER.total_seconds() / 2
    application.job_queue.run_repeating(sweep, interval=every, first=every, name="inbox-sweep")


def freeze_startup_heap() -> None:
    """Leave what start-up built (modules, catalogs, the app) out of every later collection.

    A full collection walked those 130,000-odd objects in about 80 ms on a slow VM, and every
    update under way waited (bench/RESULTS.md); they live as long as the process anyway.
    """
    gc.collect()
    gc.freeze()


async def _set_commands(application: App, catalogs: Catalogs) -> None:
    """The command menu: Russian for everyone, English for English-language clients."""
    for language, code in (("ru", None), ("en", "en")):
        texts = catalogs.for_language(language)
        menu = [BotCommand(name, texts(f"command.{name}")) for name in start.COMMANDS]
        await application.bot.set_my_commands(menu, language_code=code)


async def _post_shutdown(application: App) -> None:
    services: Services | None = application.bot_data.get("services")
    if services is None:
        return
    if isinstance(application.update_queue, Inbox):
        await application.update_queue.close()
    for feature in reversed(FEATURES):
        await feature.on_stop(application, services)
    await services.extras["engine"].dispose()


ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
