"""Complaint-centre reports: /report, the texts once complete, and the offer after a dispute."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.conversation import Walk
from bot.handback import Translated, buyer_texts, english_words
from bot.handlers.common import Turn, case_button, send, stop_spinner, turn, walk_of
from bot.i18n import Texts
from bot.storage import cases as store
from bot.storage.models import Case
from bot.ui import Say, data
from flows.advisor import suggest_report
from flows.questions import Facts, applicable_facts
from flows.registry import flow_named
from flows.report import REPORT, ReportKind, chosen_type, prefill_from_dispute, report_kind
from flows.report import suggested_answers as answers_for
from flows.texts.report import EVIDENCE_FACT, FROM_DISPUTE_FACT, ReportTexts, build_report_texts

# The buyer's own words: the only field of a report that goes through machine translation.
FREE_TEXT = ("description",)
CYRILLIC = re.compile("[\u0400-\u04ff]")
DISPUTE_FLOW = "complaint"


async def start_report(update: Update, context: BotContext) -> None:
    """`/report` and the `start:report` button: a new report case, and its first question."""
    stop_spinner(update, context)
    async with turn(update, context) as t:
        case = await store.open_case(t.session, t.user, REPORT.name)
        says = [
            Say(t.texts("report.opened", case_id=case.id)),
            *await walk_of(t, case, context).ask(),
        ]
    await send(update, context, says)


def report_words(walk: Walk) -> dict[str, str]:
    """The buyer's words a complete report's hand-back sends to the translator."""
    return buyer_texts(walk, applicable_facts(walk.flow, walk.answers()), FREE_TEXT)


async def report_results(
    walk: Walk, context: BotContext, translated: Translated | None = None
) -> list[Say]:
    """The hand-back of a complete report: what to pick, the texts, where to submit."""
    if walk.case.flow != REPORT.name or walk.position() is not None:
        return []
    answers = walk.answers()
    facts = applicable_facts(walk.flow, answers)
    if chosen_type(facts) is None:
        walk.case.status = "closed"
        return [_finished(walk.texts)]
    facts[EVIDENCE_FACT] = [e.label for e in await store.case_evidence(walk.session, walk.case)]
    facts[FROM_DISPUTE_FACT] = answers.get(FROM_DISPUTE_FACT)
    english, pending = await english_words(context, walk, facts, FREE_TEXT, translated)
    texts = build_report_texts(facts, english, pending=frozenset(pending))
    await store.save_texts(walk.session, walk.case, {"report_en": texts.en, "report_ru": texts.ru})
    walk.case.status = "ready"
    return _hand_back(walk, facts, report_kind(facts), texts)


def _hand_back(walk: Walk, facts: Facts, kind: ReportKind, texts: ReportTexts) -> list[Say]:
    t = walk.texts
    says = [
        Say(_kind_text(t, kind)),
        Say(t("report.results.en_title")),
        Say(texts.en),
        Say(t("report.results.ru_title")),
        Say(texts.ru),
    ]
    if texts.pending:
        says.append(Say(t("report.results.pending")))
    link = facts.get("link")
    if isinstance(link, dict) and link.get("item_id") is None:
        says.append(Say(t("report.results.share_link")))
    where = t("report.where.steps", type_en=kind.type_en, sub_reason_en=kind.sub_reason_en)
    buttons = [
        [(t("results.edit"), data("rv", walk.case.id, "edit"))],
        [(t("report.new"), data("start", "report"))],
    ]
    says.append(Say(where + "\n\n" + t(kind.where_ru_key), buttons))
    return says


def _kind_text(t: Texts, kind: ReportKind) -> str:
    return t(
        "report.results.kind",
        type_en=kind.type_en,
        type_ru=t(f"report.type.{kind.type}"),
        sub_reason_en=kind.sub_reason_en,
        sub_reason_ru=t(f"report.sub.{kind.type}.{kind.sub_reason}"),
    )


def _finished(t: Texts) -> Say:
    """The clean end after IPR or phishing advice, when no report fits."""
    return Say(
        t("report.finished"),
        [
            [(t("report.new"), data("start", "report"))],
            [(t("start.begin"), data("start", "new"))],
        ],
    )


def report_offer(facts: Facts, texts: Texts, case_id: int) -> Say | None:
    """At the end of a dispute: a button to report the listing, when the facts point to one."""
    suggestion = suggest_report(facts)
    if suggestion is None:
        return None
    kind = report_kind(answers_for(suggestion))
    return Say(
        texts("report.offer", type_en=kind.type_en, sub_reason_en=kind.sub_reason_en),
        [[(texts("report.offer.button"), data("rep", "from", case_id))]],
    )


async def _report_from(t: Turn, dispute: Case, _parts: list[str], context: BotContext) -> list[Say]:
    """`rep:from:<case>`: a report pre-filled from the user's dispute; only the link is left."""
    existing = await _open_report_for(t, dispute.id)
    if existing is not None:
        t.user.active_case_id = existing.id
        note = t.texts("report.from_dispute.resumed", case_id=existing.id, dispute_id=dispute.id)
        return [Say(note), *await walk_of(t, existing, context).ask()]
    prefill = await _prefill(t.session, dispute)
    if not prefill:
        return [Say(t.texts("report.from_dispute.unavailable"))]
    case = await store.open_case(t.session, t.user, REPORT.name)
    for key, value in prefill.items():
        store.save_answer(case, key, value)
    store.save_answer(case, FROM_DISPUTE_FACT, dispute.id)
    if await _copy_evidence(t.session, dispute, case):
        store.save_answer(case, "evidence", True)
    note = t.texts("report.from_dispute.opened", case_id=case.id, dispute_id=dispute.id)
    return [Say(note), *await walk_of(t, case, context).ask()]


async def _prefill(session: AsyncSession, dispute: Case) -> dict[str, Any]:
    if dispute.flow != DISPUTE_FLOW:
        return {}
    answers = store.answers_of(dispute)
    return prefill_from_dispute(applicable_facts(flow_named(dispute.flow), answers))


async def _open_report_for(t: Turn, dispute_id: int) -> Case | None:
    """A report already opened from this dispute and not finished, so a second tap resumes it."""
    for case in await store.user_cases(t.session, t.user):
        if case.flow != REPORT.name or case.status != "open":
            continue
        if (store.answers_of(case)).get(FROM_DISPUTE_FACT) == dispute_id:
            return case
    return None


async def _copy_evidence(session: AsyncSession, source: Case, target: Case) -> int:
    """The dispute's files, referenced again (Telegram keeps the files); how many."""
    items = await store.case_evidence(session, source)
    for item in items:
        await store.add_evidence(
            session,
            target,
            media=item.media,
            file_id=item.file_id,
            file_unique_id=item.file_unique_id,
            label=item.label,
            media_group_id=item.media_group_id,
            message_id=item.message_id,
            forwarded=item.forwarded,
            file_name=item.file_name,
            mime_type=item.mime_type,
            caption=item.caption,
        )
    return len(items)


report_from_case = case_button(_report_from, case_at=2)
