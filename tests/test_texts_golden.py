"""Golden texts per reason: tests/golden/<reason>.en.txt, .short.en.txt and .ru.txt."""

from __future__ import annotations

import pytest

from flows.advisor import REASONS, advise
from flows.checklist import checklist
from flows.texts import build_dispute_texts
from tests.golden import check_golden, load_cases

TODAY, CASES = load_cases()


def test_every_reason_has_a_golden_case() -> None:
    assert set(CASES) == set(REASONS)


@pytest.mark.parametrize("reason", sorted(CASES))
def test_golden_texts(reason: str) -> None:
    case = CASES[reason]
    advice = advise(case.facts, today=TODAY)
    assert advice.reason == reason
    items = checklist(case.facts, case.evidence)
    texts = build_dispute_texts(
        case.facts, advice, case.english, pending=case.pending, checklist=items
    )
    check_golden(f"{reason}.short.en.txt", texts.short_en)
    check_golden(f"{reason}.en.txt", texts.full_en)
    check_golden(f"{reason}.ru.txt", texts.ru)
