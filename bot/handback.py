"""What every finished case shares: the buyer's words in English, kept texts, own wording."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import BotContext
from bot.conversation import Walk
from bot.i18n import Texts
from bot.storage import cases as store
from bot.translation import add_pending, cached_in
from bot.ui import Say, data

CYRILLIC = re.compile("[\u0400-\u04ff]")
# The answer that says the next text message is the buyer's own English for a field.
AWAITING = "_own_english_for"
OWN_SUFFIX = "_own_en"
MAX_OWN_ENGLISH = 3000


def own_key(field: str) -> str:
    return field + OWN_SUFFIX


# Each of the buyer's Russian texts with its machine translation; None: no provider managed now.
Translated = Mapping[str, str | None]


def _russian(facts: dict[str, Any], fields: Sequence[str]) -> dict[str, str]:
    return {
        key: text
        for key in fields
        if isinstance(text := facts.get(key), str) and CYRILLIC.search(text)
    }


def buyer_texts(walk: Walk, facts: dict[str, Any], fields: Sequence[str]) -> dict[str, str]:
    """The fields whose Russian words go to the translator: those not given in own English."""
    answers = walk.answers()
    return {
        key: text for key, text in _russian(facts, fields).items() if not answers.get(own_key(key))
    }


async def translate_texts(context: BotContext, owner_id: int, texts: Iterable[str]) -> Translated:
    """Each text's English, made outside any unit of work: a translator may take seconds."""
    translator = context.services.extras.get("translator")
    unique = list(dict.fromkeys(texts))
    if translator is None or not unique:
        return {}
    results = await asyncio.gather(
        *(translator.translate(text, owner_id=owner_id) for text in unique)
    )
    return {
        text: result.text if result.translated else None
        for text, result in zip(unique, results, strict=True)
    }


async def known_translations(
    context: BotContext, session: AsyncSession, texts: Iterable[str]
) -> Translated | None:
    """Each text's English if the cache holds every one (read in this unit of work), else None."""
    translator = context.services.extras.get("translator")
    unique = list(dict.fromkeys(texts))
    if translator is None or not unique:
        return {}
    keys = {text: translator.cache_key(text) for text in unique}
    found = await cached_in(session, [key for key in keys.values() if key is not None])
    if len(found) < sum(key is not None for key in keys.values()):
        return None
    return {text: text if key is None else found[key] for text, key in keys.items()}


async def english_words(
    context: BotContext,
    walk: Walk,
    facts: dict[str, Any],
    fields: Sequence[str],
    translated: Translated | None = None,
) -> tuple[dict[str, str], set[str]]:
    """The buyer's words in English: their own wording, else a machine translation.

    `translated` holds translations made before this unit of work; a text missing from it
    (changed since) is not translated here but left pending, as is a text no provider managed.
    A pending row is queued in the same unit of work so that the background retry survives a
    restart. Without `translated` the texts are translated here (their English is cached).
    """
    answers = walk.answers()
    to_translate = buyer_texts(walk, facts, fields)
    english = {
        key: answers[own_key(key)] for key in _russian(facts, fields) if key not in to_translate
    }
    if context.services.extras.get("translator") is None:
        return english, set(to_translate)
    if translated is None:
        translated = await translate_texts(context, walk.case.user_id, to_translate.values())
    pending: set[str] = set()
    for key, text in to_translate.items():
        if (done := translated.get(text)) is not None:
            english[key] = done
            continue
        pending.add(key)
        await add_pending(walk.session, walk.case.user_id, walk.case.id, key, text, context.now())
    return english, pending


def words_card(
    t: Texts, facts: dict[str, Any], english: dict[str, str], pending: set[str], case_id: int
) -> Say | None:
    """The buyer's original beside its English, with "my own wording" and "try again"."""
    description = facts.get("description")
    if not isinstance(description, str) or not CYRILLIC.search(description):
        return None
    translation = english.get("description") or t("words.not_yet")
    buttons = [[(t("words.own"), data("tr", case_id, "own", "description"))]]
    if "description" in pending:
        buttons.append([(t("words.retry"), data("tr", case_id, "retry"))])
    return Say(t("words.card", original=description, english=translation), buttons)


async def accept_own_wording(walk: Walk, text: str) -> list[Say] | None:
    """The buyer's own English for the field they asked to replace; None if none was asked."""
    answers = walk.answers()
    field = answers.get(AWAITING)
    if not field:
        return None
    wording = " ".join(text.split())
    if CYRILLIC.search(wording) or not 2 <= len(wording) <= MAX_OWN_ENGLISH:
        return [Say(walk.texts("words.own_refused", maximum=MAX_OWN_ENGLISH))]
    store.save_answer(walk.case, own_key(field), wording)
    store.delete_answer(walk.case, AWAITING)
    return [Say(walk.texts("words.own_saved"))]
