"""A case's facts as the values one language's templates are filled with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flows.advisor import Advice, Facts, Money, as_date, missing_qty
from flows.texts import limits
from flows.texts.formatting import format_date, format_list, format_money, weight_line
from flows.texts.render import Values, sentence
from flows.texts.templates import load
from flows.texts.translit import has_cyrillic, office_parts, transliterate

ELLIPSIS = "..."


def clip(text: str, size: int) -> str:
    """The text cut to `size` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= size:
        return text
    return text[: max(size - len(ELLIPSIS), 0)].rstrip() + ELLIPSIS


@dataclass(frozen=True)
class FreeText:
    """The buyer's own words as they go into one language's text, maybe marked untranslated."""

    text: str
    marker: str | None = None  # the "not yet translated" template, with {original}

    def render(self, size: int | None = None) -> str:
        """The words (or the marker around the original), cut to about `size` characters."""
        if self.marker is None:
            return self.text if size is None else clip(self.text, size)
        overhead = len(self.marker.format(original=""))
        inner = self.text if size is None else clip(self.text, max(size - overhead, 0))
        return self.marker.format(original=inner)


@dataclass
class Case:
    """The facts of one case in one language: plain values, acts and free texts."""

    lang: str
    values: dict[str, str | None]
    acts: list[dict[str, str | None]]
    description: FreeText | None
    evidence: str | None
    pending: set[str] = field(default_factory=set)


class _Reader:
    """Turns facts into one language's values; English never carries untagged Cyrillic."""

    def __init__(self, lang: str, english: Mapping[str, str], pending: frozenset[str]) -> None:
        self.lang = lang
        self.english = english
        self.pending_in = pending
        self.pending_out: set[str] = set()
        self.t = load(lang)

    @property
    def is_en(self) -> bool:
        return self.lang == "en"

    def plain(self, value: Any, size: int) -> str | None:
        """A short identifier or name: transliterated in English, cut to size."""
        if value is None or str(value).strip() == "":
            return None
        text = str(value)
        return clip(transliterate(text) if self.is_en else text, size)

    def named(self, key: str, value: Any, size: int) -> str | None:
        """A name (item, store): its translation if given, else the original transliterated."""
        if not value:
            return None
        if self.is_en and self.english.get(key):
            return self.plain(self.english[key], size)
        return self.plain(value, size)

    def free(self, key: str, value: Any, marker: str) -> FreeText | None:
        """The buyer's words: translated, or plainly marked untranslated with the original."""
        if not isinstance(value, str) or not value.strip():
            return None
        if not self.is_en:
            return FreeText(" ".join(value.split()))
        translated = self.english.get(key)
        if translated:
            return FreeText(transliterate(" ".join(translated.split())))
        if key not in self.pending_in and not has_cyrillic(value):
            return FreeText(" ".join(value.split()))
        # Untranslated words stay in Russian, clearly marked; the only Cyrillic English may hold.
        self.pending_out.add(key)
        return FreeText(" ".join(value.split()), marker=str(self.t["pending"][marker]))

    def day(self, value: Any) -> str | None:
        parsed = as_date(value)
        return format_date(parsed, self.lang) if parsed else None

    def money(self, money: Money | None) -> str | None:
        return format_money(money, self.lang) if money else None

    def office(self, index: int, value: Any) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        return office_name(value, self.lang, self.english.get(f"acts.{index}.office"))


def office_name(office: str, lang: str = "en", translated: str | None = None) -> str:
    """A post office as the language names it: its kind in words, the name transliterated."""
    # A known kind (MMPO, sorting centre, office with an index) reads better than a machine
    # translation of it; the translation is used only for names of no known kind.
    if lang != "en":
        return clip(office, limits.MAX_OFFICE)
    kind, rest = office_parts(office)
    if kind is None:
        return clip(transliterate(translated or office), limits.MAX_OFFICE)
    name = clip(transliterate(rest), limits.MAX_OFFICE) if rest else None
    return sentence(str(load(lang)["office"][kind]), {"name": name}) or ""


def read_case(
    facts: Facts,
    advice: Advice,
    lang: str,
    *,
    english: Mapping[str, str],
    pending: frozenset[str],
    present: Sequence[str],
) -> Case:
    """One language's view of the case."""
    r = _Reader(lang, english, pending)
    values = _values(r, facts, advice)
    inside = r.free("inside_what", facts.get("inside_what"), "inside")
    values["inside"] = inside.render(limits.MAX_INSIDE) if inside else None
    acts = [_act(r, i, act) for i, act in enumerate(_acts(facts))]
    description = r.free("description", facts.get("description"), "description")
    evidence = _evidence(r, advice.reason, present)
    return Case(lang, values, acts, description, evidence, r.pending_out)


def _values(r: _Reader, facts: Facts, advice: Advice) -> dict[str, str | None]:
    tracking = facts.get("tracking")
    if isinstance(tracking, Mapping):
        tracking = tracking.get("number")
    missing = missing_qty(facts)
    return {
        "order": r.plain(facts.get("order_number"), limits.MAX_NUMBER),
        "tracking": r.plain(tracking, limits.MAX_NUMBER),
        "order_date": r.day(facts.get("order_date")),
        "shipped_on": r.day(facts.get("shipped_on")),
        "protection_end": r.day(facts.get("protection_end")),
        "item": r.named("item_name", facts.get("item_name"), limits.MAX_ITEM),
        "store": r.named("store", facts.get("store"), limits.MAX_STORE),
        "amount": r.money(advice.amount),
        "difference": _pick(r.t["difference"], facts.get("difference")),
        "ordered_qty": _count(facts.get("ordered_qty")),
        "received_qty": _count(facts.get("received_qty")),
        "missing_qty": str(missing) if missing is not None and missing > 0 else None,
        "packaging": _packaging(r, facts.get("packaging_damaged")),
    }


def _act(r: _Reader, index: int, act: Mapping[str, Any]) -> dict[str, str | None]:
    records = [
        r.t["act"]["record"][k] for k in act.get("records") or [] if k in r.t["act"]["record"]
    ]
    return {
        "number": r.plain(act.get("number"), limits.MAX_NUMBER),
        "act_date": r.day(act.get("date")),
        "kind": _pick(r.t["act"]["kind"], act.get("kind")),
        "office": r.office(index, act.get("office")),
        "records": format_list(records, r.lang) or None,
        "refused": "yes" if act.get("refused") is True else None,
        "returned_on": r.day(act.get("returned_on")),
        "weights": weight_line(_grams(act.get("declared_g")), _grams(act.get("actual_g")), r.lang),
    }


def _evidence(r: _Reader, reason: str, present: Sequence[str]) -> str | None:
    names: dict[str, str] = dict(r.t["evidence"])
    names.update(r.t["reason"].get(reason, {}).get("evidence", {}))
    phrases = [names[label] for label in present if label in names]
    return format_list(phrases, r.lang) or None


def _packaging(r: _Reader, damaged: Any) -> str | None:
    if not isinstance(damaged, bool):
        return None
    return str(r.t["packaging"]["damaged" if damaged else "intact"])


def _pick(table: Mapping[str, str], key: Any) -> str | None:
    return table.get(key) if isinstance(key, str) else None


def _count(value: Any) -> str | None:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _grams(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return round(value)


def _acts(facts: Facts) -> list[Mapping[str, Any]]:
    acts = facts.get("acts") or []
    return [act for act in acts if isinstance(act, Mapping)] if isinstance(acts, list) else []


def act_values(case: Case, act: Mapping[str, str | None]) -> Values:
    """An act's values with the case's own, for the act templates."""
    return {**case.values, **act}
