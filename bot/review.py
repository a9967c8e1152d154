"""Stored answers shown back to the user, in their language, on the review card."""

from __future__ import annotations

import re
from typing import Any

from bot.i18n import Texts
from flows.questions import Flow, Kind

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MAX_SHOWN = 200


def describe(texts: Texts, flow: Flow, key: str, value: Any) -> str:
    question = flow.question(key)
    if value is None:
        return texts("review.skipped")
    if isinstance(value, bool):
        return texts("conversation.yes" if value else "conversation.no")
    if question is not None and question.kind is Kind.CHOICE:
        labels = {c.value: c.label for c in question.choices}
        return texts(labels[value]) if value in labels else str(value)
    if key == "acts" and isinstance(value, list):
        return "; ".join(_act(texts, act) for act in value) or "—"
    return plain(value)


def plain(value: Any) -> str:
    """A value as a person reads it: dates as 27.07.2024, money with its currency."""
    if isinstance(value, dict):
        if "url" in value:
            return str(value["url"])
        if "number" in value:
            return str(value["number"])
        if "amount" in value:
            return f"{value['amount']} {value.get('currency', '')}".strip()
    if isinstance(value, str) and (match := ISO_DATE.match(value)):
        return f"{match[3]}.{match[2]}.{match[1]}"
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _act(texts: Texts, act: dict[str, Any]) -> str:
    return texts(
        "review.act",
        number=act.get("number", "?"),
        date=plain(act.get("date", "?")),
        office=act.get("office", "?"),
    )
