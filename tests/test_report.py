"""The report flow as data: the walk through it, the type and sub-reason mapping, the prefill."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from flows.errors import ParseError
from flows.questions import Kind, applicable_facts, next_position
from flows.registry import flow_named
from flows.report import (
    FINISH,
    REDIRECTED,
    REPORT,
    SUB_REASONS,
    TYPES,
    chosen_type,
    kind_for,
    prefill_from_dispute,
    report_kind,
    suggested_answers,
)

TODAY = date(2024, 7, 27)
ITEM = "1005006123456789"
LINK = {"url": f"https://www.aliexpress.com/item/{ITEM}.html", "item_id": ITEM, "site": "com"}
EXPECTED_LABELS = {
    "counterfeit": "Counterfeit Products",
    "prohibited": "Restricted or Prohibited Products",
    "search_cheating": "Search Exposure Cheating",
    "offline_trading": "Influencing toward Off-line Trading",
    "false_info": "Publishing False Information",
}
PAIRS = [(t, s) for t in TYPES for s in SUB_REASONS[t]]


def _next(answers: dict[str, Any]) -> str | None:
    position = next_position(REPORT, answers)
    return position.question.key if position else None


def test_registered() -> None:
    assert flow_named("report") is REPORT


def test_the_type_is_asked_first_with_every_type_and_the_redirected_ones() -> None:
    question = REPORT.question("report_type")
    assert question is not None and question.kind is Kind.CHOICE
    assert _next({}) == "report_type"
    assert [c.value for c in question.choices] == [*TYPES, *REDIRECTED]


def test_a_whole_walk_in_order() -> None:
    answers: dict[str, Any] = {}
    steps = {
        "report_type": "search_cheating",
        "sub_reason.search_cheating": "bait_price",
        "link": LINK,
        "store": None,
        "order_number": "8123456789012345",
        "evidence": True,
        "description": "Вместо телефона прислали карту памяти.",
        "review": True,
    }
    for key, value in steps.items():
        assert _next(answers) == key
        answers[key] = value
    assert _next(answers) is None


@pytest.mark.parametrize("report_type", TYPES)
def test_each_type_asks_its_own_sub_reasons(report_type: str) -> None:
    assert _next({"report_type": report_type}) == f"sub_reason.{report_type}"
    question = REPORT.question(f"sub_reason.{report_type}")
    assert question is not None
    assert [c.value for c in question.choices] == list(SUB_REASONS[report_type])


def test_changing_the_type_asks_the_new_sub_reason_and_drops_the_old_one() -> None:
    answers = {"report_type": "false_info", "sub_reason.counterfeit": "fake_brand", "link": LINK}
    assert _next(answers) == "sub_reason.false_info"
    assert "sub_reason.counterfeit" not in applicable_facts(REPORT, answers)


@pytest.mark.parametrize("redirected", REDIRECTED)
def test_ipr_and_phishing_show_advice_then_offer_a_type_or_the_end(redirected: str) -> None:
    question = REPORT.question("report_type")
    assert question is not None and question.notes[redirected] == f"report.note.{redirected}"
    assert _next({"report_type": redirected}) == "type_instead"
    instead = REPORT.question("type_instead")
    assert instead is not None
    assert [c.value for c in instead.choices] == [*TYPES, FINISH]


def test_finishing_after_advice_ends_the_flow_cleanly() -> None:
    answers = {"report_type": "ipr", "type_instead": FINISH}
    assert _next(answers) is None
    assert chosen_type(answers) is None
    with pytest.raises(ValueError):
        report_kind(answers)


def test_a_type_picked_instead_carries_on_as_that_type() -> None:
    answers = {"report_type": "ipr", "type_instead": "counterfeit"}
    assert chosen_type(answers) == "counterfeit"
    assert _next(answers) == "sub_reason.counterfeit"
    answers["sub_reason.counterfeit"] = "replica_as_original"
    assert _next(answers) == "link"
    assert report_kind(answers).type_en == "Counterfeit Products"


def test_optional_questions_and_parsers() -> None:
    store, order, link = (REPORT.question(k) for k in ("store", "order_number", "link"))
    assert store is not None and store.optional
    assert order is not None and order.optional
    assert link is not None and not link.optional
    assert link.accept_text("https://m.aliexpress.com/item/1005006123456789.html", TODAY) == LINK
    with pytest.raises(ParseError) as caught:
        link.accept_text("https://www.ozon.ru/product/1/", TODAY)
    assert caught.value.code == "report.parse.not_aliexpress"
    assert order.accept_text("8123 4567 8901 2345", TODAY) == "8123456789012345"


def test_evidence_description_and_review_close_the_flow() -> None:
    kinds = [REPORT.question(k) for k in ("evidence", "description", "review")]
    assert [q.kind if q else None for q in kinds] == [Kind.EVIDENCE, Kind.TEXT, Kind.REVIEW]


@pytest.mark.parametrize(("report_type", "sub_reason"), PAIRS)
def test_every_pair_maps_to_the_forms_words(report_type: str, sub_reason: str) -> None:
    kind = report_kind({"report_type": report_type, f"sub_reason.{report_type}": sub_reason})
    assert (kind.type, kind.sub_reason) == (report_type, sub_reason)
    assert kind.type_en == EXPECTED_LABELS[report_type]
    assert kind.sub_reason_en and kind.sub_reason_en.isascii()
    assert kind.where_ru_key == f"report.where.{report_type}"


def test_sub_reason_labels_differ_within_a_type() -> None:
    for report_type in TYPES:
        labels = [kind_for(report_type, s).sub_reason_en for s in SUB_REASONS[report_type]]
        assert len(set(labels)) == len(labels)


def test_an_unknown_pair_is_refused() -> None:
    with pytest.raises(KeyError):
        kind_for("counterfeit", "bait_price")


def test_a_sub_reason_of_another_type_does_not_count() -> None:
    with pytest.raises(ValueError):
        report_kind({"report_type": "counterfeit", "sub_reason.search_cheating": "bait_price"})


@pytest.mark.parametrize(
    ("suggestion", "answers"),
    [
        (
            "search_cheating.bait_price",
            {"report_type": "search_cheating", "sub_reason.search_cheating": "bait_price"},
        ),
        (
            "counterfeit",
            {"report_type": "counterfeit", "sub_reason.counterfeit": "replica_as_original"},
        ),
    ],
)
def test_the_advisors_suggestions_become_answers(suggestion: str, answers: dict[str, str]) -> None:
    assert suggested_answers(suggestion) == answers


def test_every_suggestion_the_advisor_makes_is_understood() -> None:
    from flows.advisor import REPORT_KINDS

    for suggestion in REPORT_KINDS:
        report_kind(suggested_answers(suggestion))


def test_a_dispute_about_a_substitute_prefills_a_bait_price_report() -> None:
    dispute = {
        "problem": "not_as_described",
        "difference": "substitute",
        "order_number": "8123456789012345",
        "store": "Best Phones Store",
        "description": "Вместо телефона в коробке была карта памяти.",
    }
    prefill = prefill_from_dispute(dispute)
    assert prefill == {
        "report_type": "search_cheating",
        "sub_reason.search_cheating": "bait_price",
        "store": "Best Phones Store",
        "order_number": "8123456789012345",
        "description": "Вместо телефона в коробке была карта памяти.",
    }
    # Only the link is left to ask (evidence is marked by the handler when it copies files).
    assert _next({**prefill, "evidence": True}) == "link"


def test_a_dispute_without_a_listing_violation_prefills_nothing() -> None:
    assert prefill_from_dispute({"problem": "not_arrived"}) == {}
    assert prefill_from_dispute({"problem": "not_as_described", "difference": "size"}) == {}


def test_callback_data_fits_telegrams_limit() -> None:
    longest = max(
        (f"q:{10**9}:{q.key}:{c.value}" for q in REPORT._by_key.values() for c in q.choices),
        key=len,
    )
    assert len(longest.encode()) <= 64
