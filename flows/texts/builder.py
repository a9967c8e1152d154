"""Dispute texts from a case: a short and a full English text and a Russian copy."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.advisor import Advice, Facts
from flows.checklist import ChecklistItem, present_labels
from flows.texts import limits
from flows.texts.render import line
from flows.texts.templates import load
from flows.texts.values import ELLIPSIS, Case, act_values, read_case

# The catalog key to show while `DisputeTexts.pending` is not empty.
PENDING_NOTICE = "advice.texts.pending"


@dataclass(frozen=True)
class DisputeTexts:
    """What the buyer pastes: a short and a full English text, and the Russian copy."""

    short_en: str
    full_en: str
    ru: str
    pending: frozenset[str] = frozenset()  # free-text fields shown untranslated in the English


# Facts outrank the list of evidence: acts go only after it, the last act first.
_DROP_FIRST = 100


@dataclass(frozen=True)
class _Part:
    """One line of a text; higher `drop` goes first when the text is too long."""

    text: str
    drop: int = 0
    shrink: Callable[[int], str] | None = None


def build_dispute_texts(
    facts: Facts,
    advice: Advice,
    english: Mapping[str, str],
    *,
    pending: frozenset[str] = frozenset(),
    checklist: Sequence[ChecklistItem] = (),
) -> DisputeTexts:
    """Fill the reason's templates; `english` holds machine translations of free-text fields."""
    # english keys: description, inside_what, item_name, store, acts.<i>.office. Names never
    # wait for a translation (they are transliterated); the buyer's words are shown in Russian,
    # marked, while their key is pending, or whenever Cyrillic words come untranslated.
    present = present_labels(checklist)
    en = read_case(facts, advice, "en", english=english, pending=pending, present=present)
    ru = read_case(facts, advice, "ru", english={}, pending=frozenset(), present=present)
    return DisputeTexts(
        short_en=_fit(_short(en, advice), limits.MAX_SHORT),
        full_en=_fit(_full(en, advice), limits.MAX_FULL),
        ru=_fit(_full(ru, advice), limits.MAX_RU),
        pending=frozenset(en.pending),
    )


def _full(case: Case, advice: Advice) -> list[_Part]:
    t = load(case.lang)
    parts = [
        _line(t["full"]["ids"], case.values),
        _line(t["request"][advice.resolution], case.values),
        _line(t["reason"][advice.reason]["full"], case.values),
    ]
    for position, act in enumerate(case.acts, start=1):
        parts.append(_line(_act_template(t, act), act_values(case, act), drop=position))
    parts.append(_line(t["full"]["evidence"], {"evidence": case.evidence}, drop=_DROP_FIRST))
    parts.append(_words(t["full"]["words"], case))
    return [part for part in parts if part.text]


def _short(case: Case, advice: Advice) -> list[_Part]:
    t = load(case.lang)
    weights = next((act["weights"] for act in case.acts if act["weights"]), None)
    first = _sentences(t["short"]["ids"], t["request"][advice.resolution])
    second = _sentences(t["reason"][advice.reason]["short"], "{weights}")
    parts = [_line(first, case.values), _line(second, {**case.values, "weights": weights})]
    for position, act in enumerate(case.acts, start=1):
        parts.append(_line(t["act"]["short"], act_values(case, act), drop=position))
    parts.append(_line(t["short"]["evidence"], {"evidence": case.evidence}, drop=_DROP_FIRST))
    parts.append(_words(t["short"]["words"], case))
    return [part for part in parts if part.text]


def _act_template(t: Mapping[str, Any], act: Mapping[str, str | None]) -> list[str]:
    """The act's sentences: what it is, the weights, what it records, the refusal."""
    template = [t["act"]["full"], "{weights}", t["act"]["records"]]
    return [*template, t["act"]["refused"]] if act.get("refused") else template


def _sentences(*lines: Any) -> list[Any]:
    """Line templates run together into one line."""
    return [sentence for tpl in lines for sentence in ([tpl] if isinstance(tpl, str) else tpl)]


def _line(template: Any, values: Mapping[str, str | None], drop: int = 0) -> _Part:
    return _Part(line(template, values) or "", drop)


def _words(template: str, case: Case) -> _Part:
    """The buyer's own words, last, and the first thing to shorten."""
    words = case.description
    if words is None:
        return _Part("")
    head = template.format(description="")
    return _Part(
        template.format(description=words.render()),
        shrink=lambda size: head + words.render(size - len(head)),
    )


def _fit(parts: list[_Part], limit: int) -> str:
    """The lines within `limit`: the least needed dropped, then the buyer's words cut to fit."""
    lines = [part for part in parts if part.shrink is None]
    while _length(lines) > limit and any(part.drop for part in lines):
        worst = max(range(len(lines)), key=lambda i: (lines[i].drop, i))
        del lines[worst]
    for words in (part for part in parts if part.shrink is not None):
        room = limit - _length(lines) - (1 if lines else 0)
        if len(words.text) <= room:
            lines.append(words)
        elif words.shrink is not None and room >= len(words.shrink(0)) + limits.MIN_WORDS:
            lines.append(_Part(words.shrink(room)))
    text = "\n".join(part.text for part in lines)
    # Only absurd single values get here: every value is capped (limits.py).
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def _length(parts: list[_Part]) -> int:
    return sum(len(part.text) for part in parts) + max(len(parts) - 1, 0)
