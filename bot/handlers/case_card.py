"""The case card and its event buttons, the reminder buttons, and /settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot.context import BotContext
from bot.conversation import Walk
from bot.handlers.common import Turn, case_button, send, stop_spinner, turn
from bot.ids import parse_id
from bot.reminders import planner
from bot.reminders.card import EVENTS, card_say, local_today, planning_for
from bot.reminders.messages import day_text
from bot.reminders.settings_view import apply_quiet, apply_zone, settings_say, typed_zone
from bot.reminders.timeline import case_events, rules_for, zone_of
from bot.storage import cases as store
from bot.storage.models import Case, Reminder, User
from bot.ui import Say, data
from flows.errors import ParseError
from flows.parsers.dates import as_date, parse_date
from flows.schedule import tomorrow_morning

PRIVATE = filters.ChatType.PRIVATE
AWAIT_EVENT = "ev"
AWAIT_ZONE = "tz"


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Handlers first in their group, so that their callback areas win over catch-alls."""
    application.add_handler(CommandHandler("settings", settings, filters=PRIVATE))
    callbacks = {
        r"^card:show:\d+$": show_card,
        r"^card:ev:\d+:\w+$": ask_when,
        r"^card:on:\d+:\w+:(today|other)$": event_on,
        r"^rem:(done|later):\d+$": reminder_button,
        r"^set:(tz|quiet):": settings_button,
    }
    for pattern, callback in callbacks.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))


async def texts_ready(walk: Walk, context: BotContext) -> list[Say]:
    """For results.py once the texts are ready: plan the case's reminders, then show its card."""
    user = await walk.session.get(User, walk.case.user_id)
    if user is None:
        return []
    planning = planning_for(context.services)
    events = await case_events(walk.session, walk.case)
    await planner.sync_case(walk.session, walk.case, user, planning, events=events)
    return [await card_say(walk.session, walk.case, user, walk.texts, planning, events)]


async def _show_card(t: Turn, case: Case, _parts: list[str], context: BotContext) -> list[Say]:
    """`card:show:<case>`: the card, from a reminder or the case list."""
    return [await card_say(t.session, case, t.user, t.texts, planning_for(context.services))]


async def _ask_when(t: Turn, case: Case, parts: list[str], context: BotContext) -> list[Say]:
    """`card:ev:<case>:<kind>`: when did it happen? Today, or another date typed."""
    kind = parts[3]
    if kind not in EVENTS:
        return [Say(t.texts("conversation.stale_button"))]
    day = local_today(t.user, planning_for(context.services))
    today = day_text(t.texts, day, day)
    buttons = [
        [(t.texts("card.today", date=today), data("card", "on", case.id, kind, "today"))],
        [(t.texts("card.other_date"), data("card", "on", case.id, kind, "other"))],
        [(t.texts("card.back"), data("card", "show", case.id))],
    ]
    return [Say(t.texts("card.when", what=t.texts(f"event.{kind}")), buttons)]


async def _event_on(t: Turn, case: Case, parts: list[str], context: BotContext) -> list[Say]:
    """`card:on:<case>:<kind>:today|other`: record it today, or wait for a typed date."""
    kind, when = parts[3], parts[4]
    if kind not in EVENTS:
        return [Say(t.texts("conversation.stale_button"))]
    if when == "other":
        t.user.awaiting = f"{AWAIT_EVENT}:{case.id}:{kind}"
        back = [[(t.texts("card.back"), data("card", "show", case.id))]]
        return [Say(t.texts("card.type_date"), back)]
    planning = planning_for(context.services)
    return await _record(t, case, kind, local_today(t.user, planning), context)


show_card = case_button(_show_card, case_at=2)
ask_when = case_button(_ask_when, case_at=2)
event_on = case_button(_event_on, case_at=2)


async def reminder_button(update: Update, context: BotContext) -> None:
    """`rem:done|later:<id>`: done with that deadline, or the same reminder tomorrow morning."""
    stop_spinner(update, context)
    _, action, raw_id = _parts(update)
    async with turn(update, context) as t:
        reminder_id = parse_id(raw_id)
        reminder = await t.session.get(Reminder, reminder_id) if reminder_id else None
        if reminder is None or reminder.user_id != t.user.id:
            says = [Say(t.texts("conversation.not_yours"))]
        elif action == "done":
            await planner.mark_done(t.session, reminder)
            says = [Say(t.texts("reminder.marked_done"))]
        else:
            says = [_snooze(t, reminder, context)]
    await send(update, context, says)


async def settings(update: Update, context: BotContext) -> None:
    """/settings: time zone and quiet hours."""
    async with turn(update, context) as t:
        say = settings_say(t.user, t.texts, planning_for(context.services))
    await send(update, context, [say])


async def settings_button(update: Update, context: BotContext) -> None:
    """`set:tz:<code>`, `set:tz:other`, `set:quiet:<from>-<until>`."""
    stop_spinner(update, context)
    _, what, value = _parts(update)[:3]
    async with turn(update, context) as t:
        planning = planning_for(context.services)
        if what == "tz" and value == "other":
            t.user.awaiting = AWAIT_ZONE
            says = [Say(t.texts("settings.type_zone"))]
        elif what == "tz":
            says = await apply_zone(t.session, t.user, t.texts, planning, value)
        else:
            says = await apply_quiet(t.session, t.user, t.texts, planning, value)
    await send(update, context, says)


async def typed_awaited(t: Turn, text: str, context: BotContext) -> list[Say]:
    """A typed date or zone the bot asked for (`t.user.awaiting` says which)."""
    awaiting = t.user.awaiting
    if awaiting == AWAIT_ZONE:
        return await typed_zone(t.session, t.user, t.texts, planning_for(context.services), text)
    assert awaiting is not None
    return await _typed_date(t, awaiting, text, context)


async def _typed_date(t: Turn, awaiting: str, text: str, context: BotContext) -> list[Say]:
    _, raw_id, kind = awaiting.split(":")
    case = await _case(t, raw_id)
    if case is None or kind not in EVENTS:
        t.user.awaiting = None
        return [Say(t.texts("conversation.not_yours"))]
    planning = planning_for(context.services)
    try:
        day = as_date(parse_date(text, today=local_today(t.user, planning)))
    except ParseError as error:
        back = [[(t.texts("card.back"), data("card", "show", case.id))]]
        return [Say(t.texts(error.code, **error.params), back)]
    t.user.awaiting = None
    return await _record(t, case, kind, day, context)


async def _record(t: Turn, case: Case, kind: str, day: date, context: BotContext) -> list[Say]:
    planning = planning_for(context.services)
    await planner.record_event(t.session, case, t.user, kind, day, planning)
    today = local_today(t.user, planning)
    saved = t.texts("card.saved", what=t.texts(f"event.{kind}"), date=day_text(t.texts, day, today))
    return [Say(saved), await card_say(t.session, case, t.user, t.texts, planning)]


def _snooze(t: Turn, reminder: Reminder, context: BotContext) -> Say:
    planning = planning_for(context.services)
    tz = zone_of(t.user, planning.default_zone)
    at = tomorrow_morning(planning.now, tz, rules_for(t.user, planning.rules))
    planner.snooze(reminder, at)
    if planning.poke is not None:
        planner.poke_after_commit(t.session, planning.poke, [at])
    local = at.astimezone(tz)
    when = day_text(t.texts, local.date(), local.date())
    return Say(t.texts("reminder.snoozed", date=when, time=local.strftime("%H:%M")))


async def _case(t: Turn, raw_id: str) -> Case | None:
    case_id = parse_id(raw_id)
    return await store.owned_case(t.session, t.user, case_id) if case_id else None


def _parts(update: Update) -> list[str]:
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.data.split(":")
