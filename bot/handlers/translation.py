"""The translator as a feature: built at start, retried in the background, own wording."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from telegram.error import Forbidden
from telegram.ext import Application, CallbackQueryHandler

from bot.context import BotContext, Services
from bot.conversation import Walk
from bot.handback import AWAITING
from bot.handlers.common import Turn, case_button, walk_of
from bot.handlers.results import hand_back, results_if_complete
from bot.storage import cases as store
from bot.storage.models import Case, PendingTranslation
from bot.storage.users import lock_user
from bot.translation import (
    CompletedTranslation,
    PendingBackoff,
    PendingTranslationWorker,
    SqlTranslationCache,
    TranslationService,
    TranslatorConfig,
)
from bot.ui import Say, send_says
from bot.updates import user_turn

AnyApp = Application[Any, Any, Any, Any, Any, Any]
log = logging.getLogger(__name__)
JOB_NAME = "translation-retry"
# However long the translator has been down, a buyer waits at most this long once it is back.
MAX_RETRY_GAP = timedelta(minutes=30)


def register(application: AnyApp) -> None:
    application.add_handler(CallbackQueryHandler(words_button, pattern=r"^tr:\d+:"))


async def on_start(application: AnyApp, services: Services) -> None:
    settings = services.settings
    key = settings.translator_api_key
    config = TranslatorConfig.from_settings(
        settings.translator,
        url=settings.translator_url,
        api_key=key.get_secret_value() if key else None,
        deadline=settings.translator_deadline,
    )
    translator = TranslationService(config, SqlTranslationCache(services.sessions))
    services.extras["translator"] = translator

    async def deliver(done: CompletedTranslation) -> None:
        await _deliver(application, services, done)

    retry = timedelta(seconds=settings.translation_retry_seconds)
    backoff = PendingBackoff(first=retry, cap=max(retry, MAX_RETRY_GAP))
    worker = PendingTranslationWorker(translator, services.sessions, deliver, backoff=backoff)
    services.extras["translation_worker"] = worker
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _retry,
            interval=settings.translation_retry_seconds,
            first=1,
            name=JOB_NAME,
            data=worker,
        )


async def on_stop(application: AnyApp, services: Services) -> None:
    translator = services.extras.pop("translator", None)
    if translator is not None:
        await translator.aclose()


async def _retry(context: BotContext) -> None:
    worker: PendingTranslationWorker = context.job.data  # type: ignore[union-attr,assignment]
    await worker.run_once(context.now())


async def _deliver(
    application: AnyApp,
    services: Services,
    done: CompletedTranslation,
) -> None:
    """Send the completed English once: when the case's last pending field is translated."""
    async with user_turn(application, done.user_id), services.sessions() as session:
        await lock_user(session, done.user_id)
        others = await session.scalar(
            select(PendingTranslation.id)
            .where(
                PendingTranslation.case_id == done.case_id,
                PendingTranslation.status == "pending",
                PendingTranslation.id != done.pending_id,
            )
            .limit(1)
        )
        user = await store.user_of(session, done.user_id)
        case = await store.owned_case(session, user, done.case_id) if user else None
        if others is not None or user is None or case is None or case.status != "ready":
            return
        # These texts are the case's latest: a hand-back that a stop cut short, or one under way
        # on another instance, finds its claim gone and does not hand them back again.
        case.handback_claim = None
        texts = services.catalogs.for_language(user.language)
        walk = Walk(session, case, texts, services.clock().date())
        context = BotContext(application, chat_id=user.chat_id, user_id=user.id)
        says = [Say(texts("words.translated")), *await results_if_complete(walk, context)]
        await session.commit()
    try:
        await send_says(application.bot, user.chat_id, says)
    except Forbidden:
        log.info("case %s: the user blocked the bot; translation not delivered", done.case_id)


async def _words(t: Turn, case: Case, parts: list[str], context: BotContext) -> list[Say]:
    """`tr:case:own:field` waits for the buyer's own English; `tr:case:retry` translates now."""
    if len(parts) == 4 and parts[2] == "own":
        t.user.active_case_id = case.id
        store.save_answer(case, AWAITING, parts[3])
        return [Say(t.texts("words.own_ask"))]
    t.user.active_case_id = case.id
    return await hand_back(t, walk_of(t, case, context), context)


words_button = case_button(_words)
