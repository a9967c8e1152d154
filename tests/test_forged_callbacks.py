"""Forged button presses: another user's case ids, garbage, stale and over-long data.

Anna finishes a complaint and starts a second; Boris, mid-way through his own, sends callback
data no button of his carries: every case-scoped action with Anna's ids, ids that are not
numbers, huge numbers, digits from other scripts, data past Telegram's 64 bytes, and buttons of
his own old messages. Each press must be answered (the spinner stops) and refused politely,
nothing of Anna's may show in Boris's chat, Anna's data must be exactly as before, and no
update may fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App
from bot.emulator import BotApiEmulator
from bot.emulator.forgery import forge_press
from bot.storage.models import Case, EvidenceItem, Reminder, User
from tests.conftest import BotStarter
from tests.test_reliability_helpers import (
    EMPTY_PARCEL,
    TEXTS,
    LogCapture,
    Walker,
    case_view,
    cause,
    shown_question,
    text,
)

ANNA, BORIS = 740_001, 740_002
ANNA_ANSWERS = EMPTY_PARCEL | {
    "item_name": text("Кофемолка Анны секретная"),
    "order_number": text("8123456789077777"),
    "description": text("Анна заказывала кофемолку, пришла пустая коробка."),
}
MARKS = ("Кофемолка", "8123456789077777", "кофемолку", "Kofemolk")
FOR_ANNAS = [
    "q:{open}:problem:empty",
    "q:{open}:order_number:1",
    "q:{done}:review:_done",
    "nav:{open}:back",
    "nav:{open}:skip:store",
    "rv:{done}:edit",
    "rv:{done}:chg:order_number",
    "ev:{done}:{item}:act",
    "ev:{done}:g1:item",
    "case:open:{done}",
    "case:open:{open}",
    "rep:from:{done}",
    "card:show:{done}",
    "card:ev:{done}:dispute_opened",
    "card:on:{done}:dispute_opened:today",
    "card:on:{done}:dispute_opened:other",
    "rem:done:{reminder}",
    "rem:later:{reminder}",
    "tr:{done}:retry",
    "tr:{done}:own:description",
    "ev:{mine}:{item}:act",
]
GARBAGE = [
    "",
    ":",
    "q",
    "q::",
    "q:abc:problem:empty",
    "q:-1:problem:empty",
    "q:0:problem:empty",
    "q:١٢:problem:empty",
    "case:open:",
    "case:open:x",
    "rem:later:١٢",
    "card:show:0",
    "rv:{mine}:chg:../../etc/passwd",
    "q:{mine}:problem:\u202eytpme",
    "lang:xx",
    "set:tz:Mars/Olympus",
    "set:quiet:25-99",
    "del:maybe",
    "start:new:extra",
    "🙂",
    "x" * 64,
    "q:{mine}:order_number:" + "z" * 200,
]
# Ids that pass str.isdigit() but fit no INTEGER column: they crashed handlers before bot/ids.py.
CRASHING = [
    "q:99999999999999999999:problem:empty",
    "q:²:problem:empty",
    "rem:done:99999999999999999999",
    "q:" + "9" * 62,
    "card:show:2147483648",  # PostgreSQL's INTEGER ends at 2147483647
]
# Garbage that is answered (the spinner stops) and otherwise ignored.
SILENT = {"lang:xx"}


@pytest.fixture
def failures() -> Iterator[LogCapture]:
    with LogCapture() as capture:
        yield capture
    assert capture.token_seen == []


async def snapshot(app: App, user_id: int) -> dict[str, Any]:
    """Everything stored about a user: profile, each case's answers, evidence and reminders."""
    sessions = app.bot_data["services"].sessions
    async with sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        profile = (user.language, user.timezone, user.awaiting, user.active_case_id, user.blocked)
        cases = list(await session.scalars(select(Case).where(Case.user_id == user_id)))
        evidence = (await session.execute(
            select(EvidenceItem.id, EvidenceItem.label).where(EvidenceItem.user_id == user_id)
        )).all()  # fmt: skip
        reminders = (await session.execute(
            select(Reminder.id, Reminder.status, Reminder.due_at)
            .where(Reminder.user_id == user_id)
        )).all()  # fmt: skip
    views = {case.id: await case_view(sessions, case.id) for case in cases}
    return {
        "profile": profile,
        "cases": {cid: (v.status, v.answers) for cid, v in views.items()},
        "evidence": sorted(evidence),
        "reminders": sorted(reminders),
    }


async def ids(app: App) -> dict[str, int]:
    """Anna's finished and open cases, one of her evidence items and reminders; Boris's case."""
    async with app.bot_data["services"].sessions() as session:
        anna = await session.get(User, ANNA)
        boris = await session.get(User, BORIS)
        assert anna is not None and boris is not None
        done = await session.scalar(
            select(Case.id).where(Case.user_id == ANNA, Case.status == "ready")
        )
        item = await session.scalar(select(EvidenceItem.id).where(EvidenceItem.case_id == done))
        reminder = await session.scalar(select(Reminder.id).where(Reminder.user_id == ANNA))
    assert done and item and anna.active_case_id and boris.active_case_id
    return {
        "done": done,
        "open": anna.active_case_id,
        "item": item,
        "reminder": reminder or 1,
        "mine": boris.active_case_id,
    }


async def press_forged(emulator: BotApiEmulator, data: str) -> tuple[bool, list[str]]:
    """Boris's forged press: whether the spinner stopped, and the texts he was sent."""
    user = emulator.user(BORIS)
    user.unread()
    press = forge_press(user, data)
    try:
        await press.answered(timeout=5)
        answered = True
    except TimeoutError:
        answered = False
    replies = []
    try:
        replies = await user.next_replies(timeout=0.5 if data in SILENT else 3)
        # Later messages of one answer (a question after "stale button") follow within ms.
        while more := await user.next_replies(timeout=0.05):
            replies += more
    except TimeoutError:
        pass
    return answered, [reply.text for reply in replies]


async def forged_problems(
    emulator: BotApiEmulator, failures: LogCapture, forged: list[str]
) -> dict[str, tuple[bool, list[str], list[str]]]:
    """Per forged data that was not refused politely: answered?, texts, the failure logged."""
    problems = {}
    for data in forged:
        errors = len(failures.errors)
        answered, texts = await press_forged(emulator, data)
        leaked = [t for t in texts if any(mark in t for mark in MARKS)]
        failed = [cause(error) for error in failures.errors[errors:]]
        silent_ok = data in SILENT and answered
        if not answered or not (texts or silent_ok) or leaked or failed:
            problems[data] = (answered, texts[:2], failed[:1])
    return problems


async def test_forged_and_stale_presses_are_refused_and_show_nothing_of_another_user(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str, failures: LogCapture
) -> None:
    app = await start_bot(database_url)
    anna = Walker(emulator.user(ANNA), ANNA_ANSWERS)
    await anna.finish_case()
    await anna.walk(4)  # /new, and a start on a second complaint
    boris = Walker(emulator.user(BORIS))
    await boris.walk(6)
    first_question = next(r for r in boris.user.replies if r.buttons).message_id
    known = await ids(app)
    before = await snapshot(app, ANNA)

    problems = await forged_problems(
        emulator, failures, [p.format(**known) for p in FOR_ANNAS + GARBAGE]
    )
    stale = await emulator.user(BORIS).press(
        TEXTS("complaint.problem.not_arrived"), message_id=first_question
    )
    await stale.answered(timeout=5)
    boris.since = []
    await boris.collect()

    assert problems == {}, "\n".join(f"{d!r}: {v}" for d, v in problems.items())
    assert TEXTS("conversation.stale_button") in boris.since[0].text
    assert shown_question(boris.since) is not None, "the stale press shows the current question"
    assert await snapshot(app, ANNA) == before


async def test_ids_that_are_no_integer_column_value_are_refused_politely(
    emulator: BotApiEmulator, start_bot: BotStarter, database_url: str, failures: LogCapture
) -> None:
    await start_bot(database_url)
    await Walker(emulator.user(BORIS)).walk(3)
    assert await forged_problems(emulator, failures, CRASHING) == {}
