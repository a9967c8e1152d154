"""Telegram glue for the flows: /new, /cases, typed answers, buttons, Back and Skip."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.conversation import Walk
from bot.handback import AWAITING, accept_own_wording
from bot.handlers.case_card import typed_awaited
from bot.handlers.common import (
    Turn,
    case_button,
    send,
    stop_spinner,
    turn,
    walk_of,
)
from bot.handlers.results import hand_back, translate_ahead
from bot.storage import cases as store
from bot.storage.models import Case
from bot.ui import Say, data

MAX_LISTED = 20
# The answer that says what a case is about, and where its label lives, per flow.
TOPICS = {"complaint": ("problem", "complaint.problem."), "report": ("report_type", "report.type.")}


async def new_case(update: Update, context: BotContext) -> None:
    stop_spinner(update, context)
    async with turn(update, context) as t:
        case = await store.open_case(t.session, t.user, "complaint")
        says = [
            Say(t.texts("complaint.opened", case_id=case.id)),
            *await walk_of(t, case, context).ask(),
        ]
    await send(update, context, says)


async def cancel(update: Update, context: BotContext) -> None:
    async with turn(update, context) as t:
        t.user.active_case_id = None
        say = Say(
            t.texts("complaint.cancelled"), [[(t.texts("start.begin"), data("start", "new"))]]
        )
    await send(update, context, [say])


async def list_cases(update: Update, context: BotContext) -> None:
    async with turn(update, context) as t:
        cases = await store.user_cases(t.session, t.user)
        if not cases:
            says = [Say(t.texts("cases.none"), [[(t.texts("start.begin"), data("start", "new"))]])]
        else:
            rows = [
                [(await _case_label(t, case), _case_button_data(case))]
                for case in cases[:MAX_LISTED]
            ]
            says = [Say(t.texts("cases.list"), rows)]
    await send(update, context, says)


def _case_button_data(case: Case) -> str:
    """A finished complaint opens its card (deadlines, events); any other case resumes."""
    if case.flow == "complaint" and case.status != "open":
        return data("card", "show", case.id)
    return data("case", "open", case.id)


async def _case_label(t: Turn, case: Case) -> str:
    """№, what it is about (the problem or the report type) and where it stands."""
    key, prefix = TOPICS.get(case.flow, ("", ""))
    about = (store.answers_of(case)).get(key)
    topic = t.texts(prefix + about) if about else t.texts(f"cases.flow.{case.flow}")
    status = t.texts(f"cases.status.{case.status}")
    return t.texts("cases.item", case_id=case.id, topic=topic, status=status)


async def _open_existing(t: Turn, case: Case, _parts: list[str], context: BotContext) -> list[Say]:
    """`case:open:ID` from /cases: continue where it stands, or hand its texts back again."""
    t.user.active_case_id = case.id
    walk = walk_of(t, case, context)
    says = [Say(t.texts("cases.resumed", case_id=case.id)), *await walk.ask()]
    if walk.position() is None:
        says += await hand_back(t, walk, context)
    return says


open_existing = case_button(_open_existing, case_at=2)


async def on_text(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    async with turn(update, context) as t:
        case = await store.active_case(t.session, t.user)
        if t.user.awaiting is not None:
            says = await typed_awaited(t, message.text or "", context)
        elif case is None:
            says = [Say(t.texts("conversation.no_case"), _begin_button(t))]
        else:
            walk = walk_of(t, case, context)
            says, complete = await _typed(walk, message.text or "")
            if complete:
                says += await hand_back(t, walk, context)
            else:
                t.deliver = translate_ahead(walk)
    await send(update, context, says)
    if t.deliver is not None:
        await t.deliver(update, context)


async def _typed(walk: Walk, text: str) -> tuple[list[Say], bool]:
    """A typed answer: own English wording, the current question's answer, or a finished case."""
    own = await accept_own_wording(walk, text)
    if own is not None:
        return own, AWAITING not in walk.answers()
    if walk.position() is None:
        if _texts_owed(walk.case):
            return [], True
        buttons = [[(walk.texts("results.edit"), data("rv", walk.case.id, "edit"))]]
        return [Say(walk.texts("conversation.case_complete"), buttons)], False
    says = await walk.accept_text(text)
    return says, walk.position() is None


def _texts_owed(complete: Case) -> bool:
    """A complete case whose hand-back never finished: the bot stopped before its commit.

    Still "open" after a first hand-back that never finished, or with the claim of a later one
    (the buyer changed an answer) still in place.
    """
    return complete.status == "open" or complete.handback_claim is not None


def _begin_button(t: Turn) -> list[list[tuple[str, str]]]:
    return [[(t.texts("start.begin"), data("start", "new"))]]


async def _answer_button(t: Turn, case: Case, parts: list[str], context: BotContext) -> list[Say]:
    """Answers (`q:case:key:value`) and navigation (`nav:case:back|skip:key`)."""
    t.user.active_case_id = case.id
    walk = walk_of(t, case, context)
    was_open = walk.position() is not None
    if not was_open and _texts_owed(case):
        return await hand_back(t, walk, context)
    says = (
        await _apply_button(walk, parts)
        if len(parts) > 2
        else [Say(t.texts("conversation.stale_button"))]
    )
    if was_open and walk.position() is None:
        says += await hand_back(t, walk, context)
    return says


on_button = case_button(_answer_button)


async def _apply_button(walk: Walk, parts: list[str]) -> list[Say]:
    area, action = parts[0], parts[2]
    if area == "q" and len(parts) == 4:
        return await walk.accept_choice(action, parts[3])
    if area == "nav" and action == "back":
        return await walk.back()
    if area == "nav" and action == "skip" and len(parts) == 4:
        return await walk.skip(parts[3])
    return [Say(walk.texts("conversation.stale_button")), *await walk.ask()]
