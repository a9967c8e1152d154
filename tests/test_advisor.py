"""The reason advisor: every branch, the empty-parcel trap, resolutions, dates and reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from flows.advisor import (
    REASON_LABELS_EN,
    REASONS,
    AdvisorRules,
    Money,
    advise,
    advisor_rules,
    reason_for,
    suggest_report,
)
from flows.rules import load_rules

TODAY = date(2024, 8, 26)
STANDING = ("advice.warn.never_cancel", "advice.warn.dont_change_reason")
RUB = {"amount": "12168.71", "currency": "RUB"}


def facts(**given: Any) -> dict[str, Any]:
    """A case with an amount and nothing date-related unless given."""
    return {"site": "com", "amount": RUB, **given}


# facts -> reason, received, resolution, warnings besides the standing two.
TABLE = [
    (facts(problem="not_arrived"), "not_received", False, "full_refund", ()),
    (
        facts(problem="not_arrived", tracking_status="stuck"),
        "not_received.in_transit",
        False,
        "full_refund",
        (),
    ),
    (
        facts(problem="not_arrived", tracking_status="delivered_not_received"),
        "not_received.delivered_not_received",
        False,
        "full_refund",
        (),
    ),
    (
        facts(problem="not_arrived", tracking_status="returned", resolution="return"),
        "not_received.returned",
        False,
        "full_refund",
        ("advice.warn.full_refund_not_received",),
    ),
    (
        facts(problem="not_arrived", tracking_status="customs"),
        "not_received.customs",
        False,
        "full_refund",
        (),
    ),
    (
        facts(problem="not_arrived", tracking_status="no_info"),
        "not_received.no_info",
        False,
        "full_refund",
        (),
    ),
    (
        facts(problem="not_as_described", difference="size"),
        "not_as_described",
        True,
        "full_refund",
        (),
    ),
    (
        facts(problem="not_as_described", difference="colour", resolution="return"),
        "not_as_described",
        True,
        "return",
        (),
    ),
    (
        facts(problem="not_as_described", difference="model"),
        "not_as_described",
        True,
        "full_refund",
        (),
    ),
    (facts(problem="not_as_described"), "not_as_described", True, "full_refund", ()),
    (
        facts(problem="not_as_described", difference="quantity", ordered_qty=10, received_qty=6),
        "quantity_short",
        True,
        "partial_refund",
        (),
    ),
    (
        facts(problem="not_as_described", difference="quantity", ordered_qty=2, received_qty=2),
        "quantity_short",
        True,
        "partial_refund",
        ("advice.warn.quantity_not_short", "advice.warn.partial_amount_missing"),
    ),
    (
        facts(problem="not_as_described", difference="counterfeit"),
        "counterfeit",
        True,
        "full_refund",
        (),
    ),
    (
        facts(problem="not_as_described", difference="substitute"),
        "different_item",
        True,
        "full_refund",
        (),
    ),
    (
        facts(problem="damaged", damage="broken", packaging_damaged=True),
        "damaged",
        True,
        "full_refund",
        (),
    ),
    (
        facts(problem="damaged", damage="not_working", resolution="partial_refund"),
        "not_working",
        True,
        "partial_refund",
        ("advice.warn.partial_amount_missing",),
    ),
    (facts(problem="damaged"), "damaged", True, "full_refund", ()),
    (
        facts(problem="empty", anything_inside=True, inside_what="soap"),
        "different_item",
        True,
        "full_refund",
        ("advice.warn.empty_trap",),
    ),
    (
        facts(problem="empty", anything_inside=False),
        "empty_package",
        True,
        "full_refund",
        ("advice.warn.empty_only_if_nothing",),
    ),
    (
        facts(problem="empty"),
        "empty_package",
        True,
        "full_refund",
        ("advice.warn.empty_ask_inside",),
    ),
    (
        facts(problem="empty", anything_inside=False, site="ru"),
        "empty_package",
        True,
        "full_refund",
        ("advice.warn.empty_only_if_nothing", "advice.warn.paste_russian"),
    ),
]


@pytest.mark.parametrize(("given", "reason", "received", "resolution", "warnings"), TABLE)
def test_advice_table(
    given: dict[str, Any], reason: str, received: bool, resolution: str, warnings: tuple[str, ...]
) -> None:
    advice = advise(given, today=TODAY)
    assert advice.reason == reason
    assert advice.reason_en == REASON_LABELS_EN[reason]
    assert advice.received is received
    assert advice.resolution == resolution
    assert set(advice.warning_keys()) == {*warnings, *STANDING}


def test_every_reason_is_reachable_and_labelled() -> None:
    reached = {row[1] for row in TABLE}
    assert reached == set(REASONS)
    assert all(REASON_LABELS_EN[r].isascii() for r in REASONS)


class TestEmptyParcelTrap:
    """Anything at all inside makes it a different item; choosing "empty" risks the account."""

    def test_something_inside_is_a_different_item_with_the_warning(self) -> None:
        advice = advise(facts(problem="empty", anything_inside=True), today=TODAY)
        assert advice.reason == "different_item"
        assert advice.reason_en == "Received a different item"
        assert advice.received is True
        assert advice.warning_keys()[0] == "advice.warn.empty_trap"

    def test_truly_empty_is_an_empty_package(self) -> None:
        advice = advise(facts(problem="empty", anything_inside=False), today=TODAY)
        assert advice.reason == "empty_package"
        assert "advice.warn.empty_trap" not in advice.warning_keys()

    @pytest.mark.parametrize("inside", ["yes", 1, None])
    def test_only_a_real_true_counts_as_inside(self, inside: Any) -> None:
        # The flow stores booleans; anything else is not an answer, so never "different item".
        assert reason_for({"problem": "empty", "anything_inside": inside}) == "empty_package"


def test_unknown_problem_is_an_error() -> None:
    with pytest.raises(ValueError, match="problem"):
        reason_for({"problem": "lost"})


class TestResolutionAmounts:
    def test_full_refund_asks_for_the_order_amount(self) -> None:
        advice = advise(facts(problem="damaged"), today=TODAY)
        assert advice.amount == Money(Decimal("12168.71"), "RUB")

    def test_partial_refund_uses_the_amount_given(self) -> None:
        given = facts(
            problem="damaged",
            resolution="partial_refund",
            partial_amount={"amount": "500", "currency": "RUB"},
        )
        assert advise(given, today=TODAY).amount == Money(Decimal("500.00"), "RUB")

    def test_quantity_short_asks_for_the_missing_share(self) -> None:
        given = facts(
            problem="not_as_described",
            difference="quantity",
            ordered_qty=3,
            received_qty=1,
            amount={"amount": "100", "currency": "USD"},
        )
        assert advise(given, today=TODAY).amount == Money(Decimal("66.67"), "USD")

    def test_partial_above_the_price_is_capped(self) -> None:
        given = facts(
            problem="damaged",
            resolution="partial_refund",
            partial_amount={"amount": "20000", "currency": "RUB"},
        )
        advice = advise(given, today=TODAY)
        assert advice.amount == Money(Decimal("12168.71"), "RUB")
        assert "advice.warn.partial_exceeds" in advice.warning_keys()

    @pytest.mark.parametrize(
        ("amount", "warned"),
        [
            ({"amount": "499", "currency": "RUB"}, True),
            ({"amount": "8.5", "currency": "USD"}, True),
            ({"amount": "5000", "currency": "RUB"}, False),
            ({"amount": "3", "currency": "XXX"}, False),
        ],
    )
    def test_return_of_a_cheap_item_is_questioned(
        self, amount: dict[str, str], warned: bool
    ) -> None:
        given = facts(
            problem="not_as_described", difference="size", resolution="return", amount=amount
        )
        advice = advise(given, today=TODAY)
        assert advice.resolution == "return"
        assert ("advice.warn.return_cheap" in advice.warning_keys()) is warned

    def test_missing_amount_is_none(self) -> None:
        assert advise({"problem": "damaged"}, today=TODAY).amount is None


def _dated(today: date, **given: Any) -> tuple[str, ...]:
    keys = advise(facts(**given), today=today).warning_keys()
    return tuple(k for k in keys if k not in STANDING)


class TestDates:
    def test_too_early_before_the_eleventh_day_after_shipment(self) -> None:
        advice = advise(facts(problem="damaged", shipped_on="2024-08-20"), today=TODAY)
        notice = advice.warnings[0]
        assert notice.key == "advice.warn.too_early"
        assert notice.params == {"date": date(2024, 8, 31)}

    def test_not_too_early_from_the_eleventh_day(self) -> None:
        assert _dated(date(2024, 8, 31), problem="damaged", shipped_on="2024-08-20") == ()

    def test_protection_ending_within_two_days(self) -> None:
        advice = advise(facts(problem="damaged", protection_end="2024-08-28"), today=TODAY)
        assert advice.warnings[0].key == "advice.warn.protection_ending"
        assert advice.warnings[0].params == {"date": date(2024, 8, 28), "days": 2}

    def test_not_received_long_before_the_end_suggests_waiting_or_extending(self) -> None:
        advice = advise(facts(problem="not_arrived", protection_end="2024-09-15"), today=TODAY)
        assert advice.warnings[0].key == "advice.warn.wait_or_extend"
        assert advice.warnings[0].params == {"date": date(2024, 9, 8), "days": 20}

    def test_received_item_long_before_the_end_is_fine(self) -> None:
        assert _dated(TODAY, problem="damaged", protection_end="2024-09-15") == ()

    def test_protection_ended_leaves_fifteen_days(self) -> None:
        advice = advise(facts(problem="damaged", protection_end="2024-08-20"), today=TODAY)
        assert advice.warnings[0].key == "advice.warn.protection_ended"
        assert advice.warnings[0].params == {"date": date(2024, 9, 4)}

    def test_too_late_after_the_fifteen_days(self) -> None:
        assert _dated(TODAY, problem="damaged", protection_end="2024-08-01") == (
            "advice.warn.too_late",
        )

    def test_receipt_confirmed_gives_fifteen_days(self) -> None:
        advice = advise(
            facts(problem="damaged", receipt_confirmed=True, receipt_confirmed_on="2024-08-20"),
            today=TODAY,
        )
        assert advice.warnings[0].key == "advice.warn.receipt_confirmed"
        assert advice.warnings[0].params == {"date": date(2024, 9, 4)}

    def test_receipt_confirmed_long_ago_is_too_late(self) -> None:
        given = {"receipt_confirmed": True, "receipt_confirmed_on": "2024-07-01"}
        assert _dated(TODAY, problem="damaged", **given) == ("advice.warn.too_late",)

    def test_rules_can_be_changed(self) -> None:
        rules = AdvisorRules(last_safe_days=5)
        advice = advise(
            facts(problem="damaged", protection_end="2024-08-30"), today=TODAY, rules=rules
        )
        assert advice.warnings[0].key == "advice.warn.protection_ending"

    def test_unreadable_dates_are_ignored(self) -> None:
        assert _dated(TODAY, problem="damaged", protection_end="soon", shipped_on=5) == ()


@pytest.mark.parametrize(
    ("given", "report"),
    [
        ({"problem": "not_as_described", "difference": "counterfeit"}, "counterfeit"),
        ({"problem": "not_as_described", "difference": "substitute"}, "search_cheating.bait_price"),
        ({"problem": "not_as_described", "difference": "size"}, None),
        ({"problem": "empty", "anything_inside": True}, None),
        ({"problem": "not_arrived"}, None),
    ],
)
def test_suggest_report(given: dict[str, Any], report: str | None) -> None:
    assert suggest_report(given) == report


def test_the_operator_s_rules_file_moves_the_advisor_s_dates(tmp_path: Path) -> None:
    """One table for every number: an override of the opening day reaches the advice."""
    override = tmp_path / "rules.toml"
    override.write_text('[rules."dispute.open_earliest"]\namount = 20\n', encoding="utf-8")
    facts = {
        "problem": "not_arrived",
        "tracking_status": "stuck",
        "site": "com",
        "shipped_on": "2026-11-10",
    }
    today = date(2026, 11, 25)
    default = advise(facts, today=today)
    moved = advise(facts, today=today, rules=advisor_rules(load_rules(override), "com"))
    assert "advice.warn.too_early" not in default.warning_keys()
    assert "advice.warn.too_early" in moved.warning_keys()
