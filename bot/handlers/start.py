"""/start, /help, /privacy, /delete and /language: the bot's front door."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.common import send, stop_spinner, text_reply, turn
from bot.i18n import LANGUAGES
from bot.storage.cases import active_case
from bot.storage.users import delete_user
from bot.ui import Say, data

COMMANDS = ("new", "report", "cases", "help", "cancel", "language", "settings", "privacy", "delete")


async def start(update: Update, context: BotContext) -> None:
    async with turn(update, context) as t:
        rows = [
            [(t.texts("start.begin"), data("start", "new"))],
            [(t.texts("start.report"), data("start", "report"))],
        ]
        case = await active_case(t.session, t.user)
        if case is not None and case.status == "open":
            resume = t.texts("start.resume", case_id=case.id)
            rows.insert(0, [(resume, data("case", "open", case.id))])
        say = Say(t.texts("start.greeting"), rows)
    await send(update, context, [say])


help_command = text_reply("help.text")
privacy = text_reply("privacy.text")


async def delete_request(update: Update, context: BotContext) -> None:
    async with turn(update, context) as t:
        say = Say(
            t.texts("delete.confirm"),
            [
                [
                    (t.texts("delete.yes"), data("del", "yes")),
                    (t.texts("delete.no"), data("del", "no")),
                ]
            ],
        )
    await send(update, context, [say])


async def delete_answer(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    stop_spinner(update, context)
    async with turn(update, context) as t:
        texts = t.texts
        if query.data == "del:yes":
            await delete_user(t.session, t.user.id)
    done = texts("delete.done") if query.data == "del:yes" else texts("delete.kept")
    await query.edit_message_text(done)


async def language(update: Update, context: BotContext) -> None:
    async with turn(update, context) as t:
        buttons = [[(t.texts(f"language.{code}"), data("lang", code)) for code in LANGUAGES]]
        say = Say(t.texts("language.choose"), buttons)
    await send(update, context, [say])


async def language_chosen(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    code = query.data.split(":")[1]
    stop_spinner(update, context)
    if code not in LANGUAGES:
        return
    async with turn(update, context) as t:
        t.user.language = code
    texts = context.services.catalogs.for_language(code)
    await query.edit_message_text(texts("language.set"))
