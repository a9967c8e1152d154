"""The one error handler: the user hears that their answers are kept, the log gets context."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError

from bot.context import BotContext
from bot.handlers.common import AlreadyHandledError, turn, walk_of
from bot.storage.cases import active_case
from bot.ui import Say, send_says

log = logging.getLogger("yabeda.errors")


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        log.info("update %s: the user blocked the bot", update_id)
        return
    if isinstance(error, NetworkError) and update_id is None:
        log.warning("Bot API unreachable: %s", error)
        return
    handled = isinstance(error, AlreadyHandledError)
    if handled:
        # Its reply may not have gone out before the stop: the user gets where they are now.
        log.info("update %s: sent again after a restart, not applied twice", update_id)
    else:
        log.error("update %s failed", update_id, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    says = await _where_we_are(update, context, apology=not handled)
    try:
        await send_says(context.bot, update.effective_chat.id, says)
    except Exception:  # the apology itself may fail while Telegram is down
        log.warning("update %s: could not tell the user about the error", update_id)


async def _where_we_are(update: Update, context: BotContext, apology: bool) -> list[Say]:
    """The apology and the question the user is at, so that nobody re-sends a kept answer."""
    user = update.effective_user
    texts = context.texts_for(None, user.language_code if user else None)
    try:
        async with turn(update, context, again=True) as t:
            case = await active_case(t.session, t.user)
            walk = walk_of(t, case, context) if case else None
            question = await walk.ask() if walk else []
            if not apology:
                return question
            if question:
                return [Say(t.texts("error.resume")), *question]
            return [Say(t.texts("error.generic"))]
    except Exception:  # the database may be what failed: the apology alone still helps
        log.warning("update %s: could not read where the user is", update.update_id)
        return [Say(texts("error.generic"))]
