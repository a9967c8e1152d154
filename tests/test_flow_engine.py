"""The pure walk over a flow: which question comes next, what Back forgets, how acts repeat."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from flows.complaint import COMPLAINT
from flows.diagram import mermaid, path_for
from flows.errors import ParseError
from flows.questions import Flow, Kind, applicable_facts, next_position, previous_key
from flows.registry import FLOWS

TODAY = date(2026, 11, 25)


def _key(answers: dict[str, Any]) -> str | None:
    position = next_position(COMPLAINT, answers)
    return None if position is None else position.question.key


def test_a_new_case_starts_with_the_problem() -> None:
    assert _key({}) == "problem"


@pytest.mark.parametrize(
    ("problem", "first"),
    [
        ("not_arrived", "tracking_status"),
        ("not_as_described", "difference"),
        ("damaged", "damage"),
        ("empty", "anything_inside"),
    ],
)
def test_each_problem_asks_its_own_question_first(problem: str, first: str) -> None:
    assert _key({"problem": problem}) == first


def test_something_inside_asks_what_then_the_facts() -> None:
    assert _key({"problem": "empty", "anything_inside": True}) == "inside_what"
    assert _key({"problem": "empty", "anything_inside": False}) == "site"


def test_answers_of_another_branch_are_ignored_after_the_problem_changes() -> None:
    answers = {"problem": "not_arrived", "tracking_status": "stuck", "anything_inside": True}
    facts = applicable_facts(COMPLAINT, answers)
    assert "anything_inside" not in facts
    answers["problem"] = "empty"
    assert _key(answers) == "inside_what"


def _facts_until_acts(**extra: Any) -> dict[str, Any]:
    base = {
        "problem": "damaged",
        "damage": "broken",
        "packaging_damaged": True,
        "site": "com",
        "item_name": "Cup",
        "order_number": "8123456789012345",
        "tracking": {"number": "RA123456785CN", "kind": "s10"},
        "order_date": "2026-10-01",
        "shipped_on": None,
        "amount": {"amount": "10.00", "currency": "USD"},
        "store": None,
        "receipt_confirmed": False,
        "protection_end": "2026-12-10",
        "resolution": "full_refund",
    }
    return {**base, **extra}


def test_acts_repeat_until_the_buyer_says_there_is_no_other() -> None:
    answers = _facts_until_acts(has_act=True)
    position = next_position(COMPLAINT, answers)
    assert position is not None
    assert (position.question.key, position.item) == ("act.kind", 0)
    act = {
        "kind": "opening",
        "number": "1",
        "date": "2026-11-01",
        "office": "Vnukovo",
        "declared_g": 500,
        "actual_g": 300,
        "records": [],
        "refused": False,
        "photo": None,
    }
    answers["acts"] = [act]
    assert _key(answers) == "acts_more"
    answers["acts"] = [act, {"_started": True}]
    position = next_position(COMPLAINT, answers)
    assert position is not None
    assert (position.question.key, position.item) == ("act.kind", 1)
    answers["acts"] = [act, act]
    answers["acts_more"] = False
    assert _key(answers) == "evidence"


def test_a_refused_parcel_asks_when_it_went_back() -> None:
    act = {
        "kind": "opening",
        "number": "1",
        "date": "2026-11-01",
        "office": "Vnukovo",
        "declared_g": None,
        "actual_g": None,
        "records": [],
        "refused": True,
    }
    answers = _facts_until_acts(has_act=True, acts=[act])
    assert _key(answers) == "act.returned_on"


def test_no_act_is_asked_for_a_parcel_that_never_came() -> None:
    answers = _facts_until_acts(problem="not_arrived", tracking_status="stuck")
    answers.pop("damage")
    answers.pop("packaging_damaged")
    assert _key(answers) == "evidence"


def test_back_forgets_the_answer_before_the_current_question() -> None:
    answers = {"problem": "not_arrived", "tracking_status": "stuck", "site": "com"}
    assert previous_key(COMPLAINT, answers, "item_name") == "site"
    assert previous_key(COMPLAINT, {}, "problem") is None


def test_the_complete_case_has_no_next_question() -> None:
    answers = _facts_until_acts(has_act=False, evidence=True, description="Broken", review=True)
    assert _key(answers) is None


def test_keys_are_unique_and_stable_strings() -> None:
    keys = [step.key for step in COMPLAINT.steps]
    assert len(keys) == len(set(keys))
    assert all(isinstance(key, str) and key for key in keys)


@pytest.mark.parametrize(
    ("typed", "value"), [("1", "not_arrived"), ("4", "empty"), ("damaged", "damaged")]
)
def test_a_choice_can_be_typed_by_its_number(typed: str, value: str) -> None:
    question = COMPLAINT.question("problem")
    assert question is not None
    assert question.accept_text(typed, TODAY) == value


def test_a_choice_refuses_anything_else_and_asks_for_buttons() -> None:
    question = COMPLAINT.question("problem")
    assert question is not None
    with pytest.raises(ParseError) as caught:
        question.accept_text("посылка", TODAY)
    assert caught.value.code == "parse.use_buttons"


def test_yes_no_questions_read_russian_words() -> None:
    question = COMPLAINT.question("anything_inside")
    assert question is not None
    assert question.kind is Kind.YES_NO
    assert question.accept_text("да", TODAY) is True
    assert question.accept_text("Нет.", TODAY) is False


@pytest.mark.parametrize("flow", FLOWS.values(), ids=lambda flow: flow.name)
def test_the_committed_diagram_matches_the_flow(flow: Flow) -> None:
    """The .mmd next to each flow is drawn from it: `python -m flows.diagram` redraws it."""
    assert path_for(flow).read_text(encoding="utf-8") == mermaid(flow)
