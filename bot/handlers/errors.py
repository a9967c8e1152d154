"""The one error handler: the user hears that their answers are kept, the log gets context."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError

from bot.context import BotContext

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
    log.error("update %s failed", update_id, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    texts = context.texts_for(None, user.language_code if user else None)
    try:
        await context.bot.send_message(update.effective_chat.id, texts("error.generic"))
    except Exception:  # the apology itself may fail while Telegram is down
        log.warning("update %s: could not tell the user about the error", update_id)
