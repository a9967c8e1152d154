"""What every handler does first (user, texts, unit of work) and last (send the replies)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.i18n import Texts, language_for
from bot.storage.models import User
from bot.storage.users import ensure_user
from bot.ui import Say


@dataclass
class Turn:
    """One update's unit of work: its session, its user and the user's texts."""

    session: AsyncSession
    user: User
    texts: Texts


@asynccontextmanager
async def turn(update: Update, context: BotContext) -> AsyncIterator[Turn]:
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None
    async with context.db() as session:
        user = await ensure_user(session, tg_user.id, chat.id, language_for(tg_user.language_code))
        yield Turn(session, user, context.texts_for(user))


async def send(update: Update, context: BotContext, says: Sequence[Say]) -> None:
    chat = update.effective_chat
    assert chat is not None
    for say in says:
        await context.bot.send_message(chat.id, say.text, reply_markup=say.markup())


async def answer_callback(update: Update, text: str | None = None) -> None:
    """Stop the button's spinner; a failure here must not lose the user's answer."""
    if update.callback_query is not None:
        await update.callback_query.answer(text)
