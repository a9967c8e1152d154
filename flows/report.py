"""The complaint-centre report flow as data: the type first, then the listing and the facts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flows import answers as parse
from flows.advisor import suggest_report
from flows.links import product_link
from flows.questions import Choice, Facts, Flow, Kind, Question
from flows.texts.templates import load

# The report types the complaint centre takes from a buyer (domain-sources §2).
TYPES = ("counterfeit", "prohibited", "search_cheating", "offline_trading", "false_info")
# Types a buyer may think of that this form does not serve: the flow says where they go instead.
REDIRECTED = ("ipr", "phishing")
FINISH = "finish"
SUB_REASONS: Mapping[str, tuple[str, ...]] = {
    "counterfeit": ("fake_brand", "replica_as_original"),
    "prohibited": ("weapons", "medicines", "other"),
    "search_cheating": ("wrong_category", "bait_price", "many_prices"),
    "offline_trading": ("pay_outside", "confirm_early", "contact_outside"),
    "false_info": ("wrong_spec", "fake_reviews", "wrong_photos"),
}
# A dispute's suggestion (flows.advisor.suggest_report) as a type and sub-reason; a bare type
# takes the sub-reason a dispute about it implies (a fake sold as the original).
DEFAULT_SUB_REASON = {"counterfeit": "replica_as_original"}

_TYPE_NOTES = {"counterfeit": "report.note.counterfeit"}
_SUB_NOTES = {
    "pay_outside": "report.note.pay_outside",
    "confirm_early": "report.note.confirm_early",
}


@dataclass(frozen=True)
class ReportKind:
    """What to pick in the form (its English words) and the key of where-to-submit advice."""

    type: str
    sub_reason: str
    type_en: str
    sub_reason_en: str
    where_ru_key: str


def chosen_type(facts: Facts) -> str | None:
    """The report type in force: the one picked, or the one picked instead of a redirected one."""
    picked = facts.get("report_type")
    if picked in REDIRECTED:
        picked = facts.get("type_instead")
    return picked if picked in TYPES else None


def sub_reason_key(report_type: str) -> str:
    return f"sub_reason.{report_type}"


def kind_for(report_type: str, sub_reason: str) -> ReportKind:
    """The form's English words for a type and sub-reason; KeyError for an unknown pair."""
    if sub_reason not in SUB_REASONS[report_type]:
        raise KeyError(f"{report_type}.{sub_reason}")
    words = load("report_en")
    return ReportKind(
        type=report_type,
        sub_reason=sub_reason,
        type_en=str(words["type"][report_type]["label"]),
        sub_reason_en=str(words["sub"][report_type][sub_reason]["label"]),
        where_ru_key=f"report.where.{report_type}",
    )


def report_kind(facts: Facts) -> ReportKind:
    """The type and sub-reason to pick for these facts; ValueError when none is chosen yet."""
    report_type = chosen_type(facts)
    sub_reason = facts.get(sub_reason_key(report_type)) if report_type else None
    if report_type is None or not isinstance(sub_reason, str):
        raise ValueError("no report type and sub-reason chosen")
    return kind_for(report_type, sub_reason)


def suggested_answers(suggestion: str) -> dict[str, str]:
    """A suggestion like "search_cheating.bait_price" as the answers it stands for."""
    report_type, _, sub_reason = suggestion.partition(".")
    sub_reason = sub_reason or DEFAULT_SUB_REASON.get(report_type, "")
    kind_for(report_type, sub_reason)
    return {"report_type": report_type, sub_reason_key(report_type): sub_reason}


def prefill_from_dispute(dispute: Facts) -> dict[str, Any]:
    """A report's answers taken from a finished dispute; empty when it points to no report."""
    suggestion = suggest_report(dispute)
    if suggestion is None:
        return {}
    prefill: dict[str, Any] = dict(suggested_answers(suggestion))
    prefill["store"] = dispute.get("store")
    prefill["order_number"] = dispute.get("order_number")
    if isinstance(dispute.get("description"), str):
        prefill["description"] = dispute["description"]
    return prefill


def _is_chosen(report_type: str) -> Callable[[Facts], bool]:
    return lambda facts: chosen_type(facts) == report_type


def _reportable(facts: Facts) -> bool:
    return chosen_type(facts) is not None


def _redirected(facts: Facts) -> bool:
    return facts.get("report_type") in REDIRECTED


def _ask(key: str, kind: Kind = Kind.TEXT, **options: Any) -> Question:
    return Question(key=key, prompt=f"report.ask.{key}", kind=kind, **options)


def _types(*values: str) -> tuple[Choice, ...]:
    return tuple(Choice(value, f"report.type.{value}") for value in values)


def _sub_reason(report_type: str) -> Question:
    return _ask(
        sub_reason_key(report_type),
        Kind.CHOICE,
        choices=tuple(
            Choice(sub, f"report.sub.{report_type}.{sub}") for sub in SUB_REASONS[report_type]
        ),
        when=_is_chosen(report_type),
        notes={sub: note for sub, note in _SUB_NOTES.items() if sub in SUB_REASONS[report_type]},
    )


TYPE = (
    _ask(
        "report_type",
        Kind.CHOICE,
        choices=_types(*TYPES, *REDIRECTED),
        notes={**_TYPE_NOTES, "ipr": "report.note.ipr", "phishing": "report.note.phishing"},
    ),
    # After the advice on IPR or phishing: a type this form takes, or a clean end.
    _ask(
        "type_instead",
        Kind.CHOICE,
        choices=(*_types(*TYPES), Choice(FINISH, "report.type_instead.finish")),
        when=_redirected,
        notes=_TYPE_NOTES,
    ),
    *(_sub_reason(report_type) for report_type in TYPES),
)

LISTING = (
    _ask("link", parse=product_link, when=_reportable),
    _ask("store", parse=parse.store, optional=True, when=_reportable),
    _ask("order_number", parse=parse.order_number, optional=True, when=_reportable),
)

CLOSING = (
    _ask("evidence", Kind.EVIDENCE, when=_reportable),
    _ask("description", parse=parse.description, when=_reportable),
    _ask("review", Kind.REVIEW, when=_reportable),
)

REPORT = Flow(name="report", steps=(*TYPE, *LISTING, *CLOSING))
