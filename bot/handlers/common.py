"""What every handler does first (user, texts, unit of work) and last (send the replies)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import TelegramError

from bot.context import BotContext
from bot.conversation import Walk
from bot.i18n import Texts, language_for
from bot.ids import parse_id
from bot.storage.cases import owned_case
from bot.storage.handled import first_time
from bot.storage.models import Case, User
from bot.storage.users import ensure_user, lock_user
from bot.ui import Say, send_says

log = logging.getLogger(__name__)


# What to do once a turn's replies are sent, outside its unit of work (the hand-back).
Deliver = Callable[[Update, BotContext], Awaitable[None]]


@dataclass
class Turn:
    """One update's unit of work: its session, its user and the user's texts."""

    session: AsyncSession
    user: User
    texts: Texts
    deliver: Deliver | None = None


# A connection that died while pooled (a database restart) fails the turn's first statement;
# the pool is then renewed, so a second attempt gets a live one.
OPENING_ATTEMPTS = 2


class AlreadyHandledError(Exception):
    """The update was applied before the bot stopped, and Telegram has sent it again."""


@asynccontextmanager
async def turn(update: Update, context: BotContext, *, again: bool = False) -> AsyncIterator[Turn]:
    """The update's unit of work; `again` for a further one of an update already counted."""
    for attempt in range(1, OPENING_ATTEMPTS + 1):
        opened = False
        try:
            async with context.db() as session:
                user = await _open(session, update)
                if not again and not await first_time(session, update.update_id, user.id):
                    raise AlreadyHandledError(update.update_id)
                opened = True
                yield Turn(session, user, context.texts_for(user))
            return
        except DBAPIError as error:
            # Only the opening read is tried again: nothing was written or sent yet.
            if opened or not error.connection_invalidated or attempt == OPENING_ATTEMPTS:
                raise
            log.warning("update %s: a database connection had gone; reopening", update.update_id)


async def _open(session: AsyncSession, update: Update) -> User:
    """The update's user, locked for this unit of work, with the wait it ends cleared."""
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None
    await lock_user(session, tg_user.id)
    language = language_for(tg_user.language_code)
    user = await ensure_user(session, tg_user.id, chat.id, language)
    if user.awaiting is not None and _ends_wait(update):
        # A handler that asks for typed text again sets it again in this unit of work.
        user.awaiting = None
    return user


def walk_of(t: Turn, case: Case, context: BotContext) -> Walk:
    """The case's flow as this turn's user walks it, on the user's own calendar day."""
    return Walk(t.session, case, t.texts, context.today(t.user))


def _ends_wait(update: Update) -> bool:
    """A command or a button press means the typed answer the bot waited for is not coming."""
    message = update.message
    if update.callback_query is not None:
        return True
    return message is not None and (message.text or "").startswith("/")


async def send(update: Update, context: BotContext, says: Sequence[Say]) -> None:
    chat = update.effective_chat
    assert chat is not None
    await send_says(context.bot, chat.id, says)


def stop_spinner(update: Update, context: BotContext) -> None:
    """Stop a pressed button's spinner alongside the update's work, not before it.

    Awaited first, its round trip delayed every tap's reply. The application awaits the task
    when it stops.
    """
    if update.callback_query is not None:
        context.application.create_task(_answer_callback(update))


async def _answer_callback(update: Update) -> None:
    """A failure here must not lose the user's answer."""
    assert update.callback_query is not None
    try:
        await update.callback_query.answer()
    except TelegramError as error:
        log.warning("update %s: the button's spinner was not stopped: %s", update.update_id, error)


CaseAction = Callable[["Turn", Case, list[str], BotContext], Awaitable[list[Say]]]


def case_button(
    action: CaseAction, *, case_at: int = 1
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A handler for a button about one case: the id at `case_at` must be the user's own.

    Forged or stale ids (another user's case, garbage) are refused politely; the action runs
    in the update's unit of work and its replies are sent after the commit.
    """

    async def handler(update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None
        parts = (query.data or "").split(":")
        stop_spinner(update, context)
        async with turn(update, context) as t:
            raw = parts[case_at] if len(parts) > case_at else ""
            case_id = parse_id(raw)
            case = await owned_case(t.session, t.user, case_id) if case_id else None
            if case is None:
                says = [Say(t.texts("conversation.not_yours"))]
            else:
                says = await action(t, case, parts, context)
        await send(update, context, says)
        if t.deliver is not None:
            await t.deliver(update, context)

    handler.__doc__ = action.__doc__
    return handler


def text_reply(key: str) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """A handler that answers with one text, in the user's language (/help, /privacy ...)."""

    async def handler(update: Update, context: BotContext) -> None:
        stop_spinner(update, context)
        async with turn(update, context) as t:
            say = Say(t.texts(key))
        await send(update, context, [say])

    return handler
