"""What the bot hands back once a complaint is complete: reason, checklist, English and Russian."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from telegram import Update

from bot.checklist_view import checklist_text
from bot.context import BotContext
from bot.conversation import Walk
from bot.handback import (
    Translated,
    buyer_texts,
    english_words,
    known_translations,
    translate_texts,
    words_card,
)
from bot.handlers import case_card
from bot.handlers.common import Deliver, Turn, send, turn, walk_of
from bot.handlers.report import report_offer, report_results, report_words
from bot.i18n import Texts
from bot.storage import cases as store
from bot.ui import Say, data
from flows.advisor import Advice, advise, advisor_rules
from flows.checklist import checklist
from flows.questions import Kind
from flows.texts import build_dispute_texts, format_money, localize

# The buyer's own words: the only fields that go through machine translation.
FREE_TEXT = ("description", "inside_what", "item_name")


async def hand_back(t: Turn, walk: Walk, context: BotContext) -> list[Say]:
    """The texts of a case this unit of work found complete.

    When the cache holds the English of every word of the buyer's (translate_ahead put it
    there while they read the review card), the texts are made in this unit of work; otherwise
    they follow it, once translated (claim_handback).
    """
    words = _buyer_words(walk) if walk.position() is None else {}
    # No flush for this read either (see results_if_complete).
    with walk.session.no_autoflush:
        known = await known_translations(context, walk.session, words.values())
    if known is None:
        t.deliver = claim_handback(walk, words)
        return []
    # A hand-back still translating on another instance finds its claim gone: these texts win.
    walk.case.handback_claim = None
    return await results_if_complete(walk, context, known)


def claim_handback(walk: Walk, words: dict[str, str]) -> Deliver:
    """Claim the hand-back of a case whose words must be translated first (a turn's `deliver`).

    They are translated after this unit of work and before the one that stores the texts: a
    translator may take seconds, and on SQLite every other user's unit of work would wait for
    one held open. Meanwhile a webhook instance may take the buyer's next tap and hand the texts
    back too: each hand-back writes its claim on the case, and only the last claim's texts are
    sent.
    """
    owner = walk.case.user_id
    claim = walk.case.handback_claim = uuid4().hex

    async def deliver(update: Update, context: BotContext) -> None:
        translated = await translate_texts(context, owner, words.values())
        async with turn(update, context, again=True) as t:
            case = await store.active_case(t.session, t.user)
            says = []
            if case is not None and case.handback_claim == claim:
                case.handback_claim = None
                says = await results_if_complete(walk_of(t, case, context), context, translated)
        await send(update, context, says)

    return deliver


def translate_ahead(walk: Walk) -> Deliver | None:
    """At the review card the buyer's words are as they will be handed back (unless changed):
    translating them while the buyer reads the card spares the hand-back the translator's wait.
    """
    position = walk.position()
    if position is None or position.question.kind is not Kind.REVIEW:
        return None
    owner, words = walk.case.user_id, _buyer_words(walk)

    async def warm(_update: Update, context: BotContext) -> None:
        translator = context.services.extras.get("translator")
        if translator is not None:
            translator.warm(words.values(), owner_id=owner)

    return warm if words else None


def _buyer_words(walk: Walk) -> dict[str, str]:
    """The buyer's words the hand-back of this case sends to the translator."""
    if walk.case.flow == "report":
        return report_words(walk)
    return buyer_texts(walk, _facts(walk.answers()), FREE_TEXT)


async def results_if_complete(
    walk: Walk, context: BotContext, translated: Translated | None = None
) -> list[Say]:
    """What a finished case hands back: dispute texts, or a report's texts.

    Its reads need none of its writes: without a flush before each read, the case's answer,
    claim and status go to the database in one UPDATE, not one per read.
    """
    if walk.position() is not None:
        return []
    with walk.session.no_autoflush:
        if walk.case.flow == "report":
            return await report_results(walk, context, translated)
        return await _dispute_results(walk, context, translated)


async def _dispute_results(
    walk: Walk, context: BotContext, translated: Translated | None
) -> list[Say]:
    """The hand-back messages, each text in its own message so it copies cleanly on a phone.

    What to pick in the form and what to attach are read together, so they come as one.
    """
    facts = _facts(walk.answers())
    evidence = [
        {"media": e.media, "label": e.label}
        for e in await store.case_evidence(walk.session, walk.case)
    ]
    english, pending = await english_words(context, walk, facts, FREE_TEXT, translated)
    rules = advisor_rules(context.services.extras["rules"], facts.get("site"))
    advice = advise(facts, today=walk.today, rules=rules)
    items = checklist(facts, evidence)
    texts = build_dispute_texts(facts, advice, english, pending=frozenset(pending), checklist=items)
    await store.save_texts(
        walk.session,
        walk.case,
        {
            "dispute_short_en": texts.short_en,
            "dispute_full_en": texts.full_en,
            "dispute_ru": texts.ru,
        },
    )
    walk.case.status = "ready"
    t = walk.texts
    says = [
        Say(_advice_text(t, advice) + "\n\n" + checklist_text(t, items)),
        Say(t("results.short_en_title")),
        Say(texts.short_en),
        Say(t("results.full_en_title")),
        Say(texts.full_en),
        Say(t("results.ru_title")),
        Say(texts.ru),
    ]
    if card := words_card(t, facts, english, pending, walk.case.id):
        says.append(card)
    if pending:
        says.append(Say(t("results.translation_pending")))
    if offer := report_offer(facts, t, walk.case.id):
        says.append(offer)
    says += await case_card.texts_ready(walk, context)
    says.append(
        Say(
            t("results.next_steps"),
            [
                [(t("results.edit"), data("rv", walk.case.id, "edit"))],
                [(t("start.begin"), data("start", "new"))],
            ],
        )
    )
    return says


def _facts(answers: dict[str, Any]) -> dict[str, Any]:
    facts = dict(answers)
    facts["acts"] = [
        {k: v for k, v in act.items() if not k.startswith("_") and not k.endswith("~")}
        for act in answers.get("acts") or []
    ]
    return facts


def _advice_text(t: Texts, advice: Advice) -> str:
    """Which reason to pick, the form's yes/no, what to ask for, and the warnings."""
    amount = format_money(advice.amount, t.language) if advice.amount else None
    resolution = (
        t(f"advice.resolution.{advice.resolution}", amount=amount)
        if amount
        else t("advice.resolution.no_amount")
    )
    lines = [
        t(f"advice.reason.{advice.reason}.title"),
        t("advice.reason.label", label=advice.reason_en),
        t(f"advice.reason.{advice.reason}.why"),
        t("advice.received.yes" if advice.received else "advice.received.no"),
        resolution,
    ]
    lines += [t(n.key, **localize(n.params, t.language)) for n in advice.warnings]
    return "\n\n".join(lines)
