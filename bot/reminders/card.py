"""The case card: its deadlines, what has happened, and a button for each event."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Services
from bot.i18n import Texts
from bot.reminders.messages import day_text
from bot.reminders.planner import Planning
from bot.reminders.timeline import case_events, timeline_with, zone_of
from bot.storage.cases import answers_of
from bot.storage.models import Case, CaseEvent, User
from bot.ui import Button, Say, data
from flows.deadlines import compute_deadlines
from flows.rules import load_rules

# The buttons' order on the card: the usual course of a dispute.
EVENTS = (
    "dispute_opened",
    "seller_answered",
    "dispute_escalated",
    "return_agreed",
    "decision_won",
    "decision_lost",
    "money_received",
    "receipt_confirmed",
    "parcel_notice",
)
SHOWN_DEADLINES = 6


def planning_for(services: Services) -> Planning:
    """Planning with the running dispatcher's wake-up, or without one (it wakes on its own)."""
    dispatcher = services.extras.get("reminders")
    if dispatcher is not None:
        planning: Planning = dispatcher.planning()
        return planning
    rules = services.extras.get("rules") or load_rules(services.settings.rules_file)
    return Planning(rules, services.settings.default_timezone, services.clock())


def local_today(user: User, planning: Planning) -> date:
    """The user's calendar day now."""
    return planning.now.astimezone(zone_of(user, planning.default_zone)).date()


async def card_say(
    session: AsyncSession,
    case: Case,
    user: User,
    texts: Texts,
    planning: Planning,
    events: list[CaseEvent] | None = None,
) -> Say:
    """The card as one message with its event buttons (`events`: read already by the caller)."""
    today = local_today(user, planning)
    item = (answers_of(case)).get("item_name")
    title = texts("card.title", case_id=case.id)
    if isinstance(item, str) and item:
        title += texts("card.item", item=item)
    lines = [title, texts("card.status", status=texts(f"cases.status.{case.status}"))]
    if events is None:
        events = await case_events(session, case)
    lines += ["", *_deadline_lines(case, events, texts, planning, today)]
    lines += _event_lines(events, texts, today)
    again = [(texts("card.texts"), data("case", "open", case.id))]
    if case.status == "closed":
        return Say("\n".join([*lines, "", texts("card.closed")]), [again])
    lines += ["", texts("card.ask_event")]
    return Say("\n".join(lines), [*event_buttons(texts, case.id), again])


def event_buttons(texts: Texts, case_id: int) -> list[list[Button]]:
    """Two event buttons a row."""
    buttons = [(texts(f"event.{kind}"), data("card", "ev", case_id, kind)) for kind in EVENTS]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _deadline_lines(
    case: Case, events: list[CaseEvent], texts: Texts, planning: Planning, today: date
) -> list[str]:
    if case.status == "closed":
        return []
    timeline = timeline_with(case, events)
    if timeline is None:
        return [texts("card.no_dates")]
    deadlines = compute_deadlines(timeline, planning.rules, today)[:SHOWN_DEADLINES]
    if not deadlines:
        return [texts("card.no_deadlines")]
    lines = [texts("card.deadlines")]
    for deadline in deadlines:
        what = texts(f"deadline.{deadline.kind}.what")
        lines.append(texts("card.line", date=day_text(texts, deadline.due, today), what=what))
    return lines


def _event_lines(events: list[CaseEvent], texts: Texts, today: date) -> list[str]:
    if not events:
        return []
    lines = ["", texts("card.events")]
    for event in events:
        what = texts(f"event.{event.kind}")
        lines.append(texts("card.line", date=day_text(texts, event.occurred_on, today), what=what))
    return lines
