"""What the bot hands back once a complaint is complete: reason, checklist, English and Russian."""

from __future__ import annotations

import re
from typing import Any

from bot.context import BotContext
from bot.conversation import Walk
from bot.storage import cases as store
from bot.storage.models import GeneratedText
from bot.ui import Say, data
from flows.advisor import advise
from flows.checklist import checklist
from flows.texts import build_dispute_texts

# The buyer's own words: the only fields that go through machine translation.
FREE_TEXT = ("description", "inside_what", "item_name")
CYRILLIC = re.compile("[\u0400-\u04ff]")


async def results_if_complete(walk: Walk, context: BotContext) -> list[Say]:
    """The hand-back messages, each text in its own message so it copies cleanly on a phone."""
    if await walk.position() is not None or walk.case.flow != "complaint":
        return []
    facts = _facts(await walk.answers())
    evidence = [
        {"media": e.media, "label": e.label}
        for e in await store.case_evidence(walk.session, walk.case)
    ]
    english, pending = await _translate(context, walk, facts)
    advice = advise(facts, today=walk.today)
    texts = build_dispute_texts(facts, advice, english, pending=frozenset(pending))
    await _keep(
        walk,
        {
            "dispute_short_en": texts.short_en,
            "dispute_full_en": texts.full_en,
            "dispute_ru": texts.ru,
        },
    )
    walk.case.status = "ready"
    t = walk.texts
    says = [
        Say(_advice_text(t, advice)),
        Say(_checklist_text(t, checklist(facts, evidence))),
        Say(t("results.short_en_title")),
        Say(texts.short_en),
        Say(t("results.full_en_title")),
        Say(texts.full_en),
        Say(t("results.ru_title")),
        Say(texts.ru),
    ]
    if pending:
        says.append(Say(t("results.translation_pending")))
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


async def _translate(
    context: BotContext, walk: Walk, facts: dict[str, Any]
) -> tuple[dict[str, str], set[str]]:
    translator = context.services.extras.get("translator")
    english: dict[str, str] = {}
    pending: set[str] = set()
    for key in FREE_TEXT:
        text = facts.get(key)
        if not isinstance(text, str) or not CYRILLIC.search(text):
            continue
        if translator is None:
            pending.add(key)
            continue
        result = await translator.translate(text, owner_id=walk.case.user_id)
        if result.translated:
            english[key] = result.text
        else:
            pending.add(key)
    return english, pending


async def _keep(walk: Walk, bodies: dict[str, str]) -> None:
    existing = {g.kind: g for g in await store.generated_texts(walk.session, walk.case)}
    for kind, body in bodies.items():
        if kind in existing:
            existing[kind].body = body
        else:
            walk.session.add(
                GeneratedText(user_id=walk.case.user_id, case_id=walk.case.id, kind=kind, body=body)
            )


def _advice_text(t: Any, advice: Any) -> str:
    lines = [
        t(
            "results.reason",
            reason_en=advice.reason_en,
            reason_ru=t(f"advice.reason.{advice.reason}"),
        ),
        t(
            "results.received",
            answer=t("conversation.yes" if advice.received else "conversation.no"),
        ),
        t("results.resolution", resolution=t(f"complaint.resolution.{advice.resolution}")),
    ]
    lines += [t(warning) for warning in advice.warnings]
    return "\n\n".join(lines)


def _checklist_text(t: Any, items: list[Any]) -> str:
    lines = [t("results.checklist_title")]
    for item in items:
        mark = "✅" if item.present else ("❗" if item.required else "▫️")
        lines.append(f"{mark} {t(f'evidence.label.{item.label}')}: {t(item.why_key)}")
    return "\n".join(lines)
