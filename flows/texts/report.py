"""Complaint-centre report texts: a factual English report and its Russian copy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.evidence import LABELS
from flows.questions import Facts
from flows.report import ReportKind, report_kind
from flows.texts.render import sentence
from flows.texts.templates import load
from flows.texts.translit import has_cyrillic, transliterate
from flows.texts.values import ELLIPSIS, clip

# The report field's length is not documented (domain-sources §2): the dispute texts' full size.
MAX_REPORT = 2000
MAX_STORE = 60
MAX_ORDER = 40
# Below this many characters the buyer's words are cut too short to keep.
MIN_WORDS = 40
# The labels of the case's evidence items (None for unlabelled), put into facts by the caller.
EVIDENCE_FACT = "evidence_labels"
# Set by the caller when the report was opened from a dispute on the same order.
FROM_DISPUTE_FACT = "from_case"


@dataclass(frozen=True)
class ReportTexts:
    """What the buyer pastes into the report form, and the Russian copy to read."""

    en: str
    ru: str
    pending: frozenset[str] = frozenset()  # free-text fields left untranslated in the English


def build_report_texts(
    facts: Facts, english: Mapping[str, str], *, pending: frozenset[str] = frozenset()
) -> ReportTexts:
    """Fill the report templates; `english` holds the translation of the buyer's description."""
    kind = report_kind(facts)
    words_en, untranslated = _words_en(facts.get("description"), english, pending)
    words_ru = _squeezed(facts.get("description"))
    return ReportTexts(
        en=_text("en", facts, kind, words_en),
        ru=_text("ru", facts, kind, words_ru),
        pending=frozenset({"description"} if untranslated else ()),
    )


def _words_en(
    value: Any, english: Mapping[str, str], pending: frozenset[str]
) -> tuple[str | None, bool]:
    """The buyer's words for the English text, and whether they are left untranslated."""
    original = _squeezed(value)
    if original is None:
        return None, False
    translated = _squeezed(english.get("description"))
    if translated:
        return transliterate(translated), False
    if "description" not in pending and not has_cyrillic(original):
        return original, False
    # The only Cyrillic the English text may hold: the original, plainly marked.
    return str(load("report_en")["pending"]["description"]).format(original=original), True


def _text(lang: str, facts: Facts, kind: ReportKind, words: str | None) -> str:
    t = load(f"report_{lang}")
    values = _values(lang, facts, kind)
    lines = [
        sentence(t["text"]["title"], values),
        sentence(t["text"]["product"], values),
        sentence(t["text"]["store"], values),
        sentence(t["text"]["wrong"], values),
        sentence(t["text"]["order"], values),
        _dispute(t, facts, values),
        sentence(t["text"]["evidence"], values),
    ]
    head = [text for text in lines if text]
    request = str(t["text"]["request"])
    return _fit(head, _words_line(t, words, head, request), request)


def _dispute(t: Mapping[str, Any], facts: Facts, values: Mapping[str, str | None]) -> str | None:
    """The line saying a dispute on the same order holds the same evidence."""
    if not facts.get(FROM_DISPUTE_FACT) or not values.get("order"):
        return None
    return str(t["text"]["dispute"])


def _values(lang: str, facts: Facts, kind: ReportKind) -> dict[str, str | None]:
    t = load(f"report_{lang}")
    link = _link(facts.get("link"))
    sub = t["sub"][kind.type][kind.sub_reason]
    labels = list(facts.get(EVIDENCE_FACT) or [])
    return {
        "type": str(t["type"][kind.type]["label"]),
        "sub_reason": str(sub["label"]),
        "wrong": str(sub["wrong"]),
        "url": _str(link.get("url")),
        "item_id": _str(link.get("item_id")),
        "store": _name(lang, facts.get("store"), MAX_STORE),
        "order": _name(lang, facts.get("order_number"), MAX_ORDER),
        "files": _files(t, len(labels), lang) if labels else None,
        "kinds": _kinds(t, labels),
    }


def _words_line(t: Mapping[str, Any], words: str | None, head: list[str], request: str) -> str:
    """The buyer's words, cut to what the limit leaves after every other line."""
    if words is None:
        return ""
    template = str(t["text"]["words"])
    overhead = len(template.format(description="")) + len(head) + 1
    room = MAX_REPORT - sum(len(text) for text in head) - len(request) - overhead
    if room < MIN_WORDS:
        return ""
    return template.format(description=_clip_words(words, room))


def _clip_words(words: str, room: int) -> str:
    """Cut the words, keeping a marked original's closing bracket."""
    if len(words) <= room or not words.endswith("]"):
        return clip(words, room)
    return clip(words[:-1], room - 1) + "]"


def _fit(head: list[str], words: str, request: str) -> str:
    text = "\n".join([*head, *([words] if words else []), request])
    # Only absurd values get here: each one is capped above.
    if len(text) <= MAX_REPORT:
        return text
    return text[: MAX_REPORT - len(ELLIPSIS)].rstrip() + ELLIPSIS


def _name(lang: str, value: Any, size: int) -> str | None:
    """A store name or an order number: transliterated in English, cut to size."""
    text = _squeezed(value)
    if text is None:
        return None
    return clip(transliterate(text) if lang == "en" else text, size)


def _files(t: Mapping[str, Any], count: int, lang: str) -> str:
    forms = t["files"]
    form = "one" if count % 10 == 1 and count % 100 != 11 else "many"
    if lang == "en":
        form = "one" if count == 1 else "many"
    elif form == "many" and 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        form = "few"
    return str(forms[form]).format(count=count)


def _kinds(t: Mapping[str, Any], labels: Sequence[Any]) -> str | None:
    names = [str(t["evidence"][label]) for label in LABELS if label in labels]
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    words = t["list"]
    return str(words["separator"]).join(names[:-1]) + str(words["last"]) + names[-1]


def _link(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _squeezed(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split())


def _str(value: Any) -> str | None:
    return str(value) if value else None
