"""The rules table: numbers, sources, confidence, per-site copies, date arithmetic."""

from __future__ import annotations

import dataclasses
from datetime import date, time

import pytest

from flows.rules import (
    CONFIDENCES,
    DEFAULT_RULES,
    RU_DISPUTE_AGREEMENT,
    SITES,
    TABLE,
    Schedule,
    add_months,
    add_working_days,
)

EXPECTED = [
    ("protection.end", 0, "days", "after", "protection_end"),
    ("protection.extend", 7, "days", "before", "protection_end"),
    ("protection.urgent", 48, "hours", "before", "protection_end"),
    ("dispute.open_last_safe", 1, "days", "before", "protection_end"),
    ("dispute.open_earliest", 11, "days", "after", "shipped_on"),
    ("dispute.open_last_after_protection", 15, "days", "after", "protection_end"),
    ("dispute.open_last_after_receipt", 15, "days", "after", "receipt_confirmed"),
    ("dispute.seller_reply", 5, "days", "after", "dispute_opened"),
    ("dispute.intervention", 7, "days", "after", "seller_answered"),
    ("return.ship", 10, "days", "after", "return_agreed"),
    ("dispute.appeal", 7, "days", "after", "decision_lost"),
    ("refund.expected", 10, "working_days", "after", "decision_won"),
    ("post.pickup", 15, "days", "after", "parcel_notice"),
    ("post.pickup_max", 60, "days", "after", "parcel_notice"),
    ("post.claim", 6, "months", "after", "posting_date"),
    ("chargeback.visa", 120, "days", "after", "transaction_or_expected_delivery"),
    ("chargeback.mastercard", 120, "days", "after", "transaction_or_expected_delivery"),
    ("chargeback.cap", 540, "days", "after", "transaction"),
    ("chargeback.mir", 0, "days", "after", "aliexpress_route_failed"),
]


def all_rules():
    """Every rule on every site."""
    return [DEFAULT_RULES.rule(key, site) for site in SITES for key in DEFAULT_RULES.rule_keys()]


@pytest.mark.parametrize(("key", "amount", "unit", "direction", "counts_from"), EXPECTED)
def test_default_numbers(key, amount, unit, direction, counts_from):
    rule = DEFAULT_RULES.rule(key, "aliexpress.com")
    assert (rule.amount, rule.unit, rule.direction, rule.counts_from) == (
        amount,
        unit,
        direction,
        counts_from,
    )


def test_the_table_has_exactly_the_expected_keys_once():
    assert [rule.key for rule in TABLE] == [row[0] for row in EXPECTED]
    assert DEFAULT_RULES.rule_keys() == tuple(row[0] for row in EXPECTED)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.key)
def test_every_rule_has_a_source_and_a_confidence(rule):
    assert rule.confidence in CONFIDENCES
    assert rule.sources
    assert all(source.startswith(("http://", "https://")) for source in rule.sources)
    assert len(set(rule.sources)) == len(rule.sources)
    assert rule.origin == "default"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.key)
def test_leads_are_distinct_whole_days_largest_first(rule):
    assert all(isinstance(lead, int) and lead >= 0 for lead in rule.leads)
    assert list(rule.leads) == sorted(set(rule.leads), reverse=True)


def test_aliexpress_rules_on_ru_keep_the_com_numbers_but_are_unknown():
    for key in DEFAULT_RULES.rule_keys():
        com = DEFAULT_RULES.rule(key, "aliexpress.com")
        ru = DEFAULT_RULES.rule(key, "aliexpress.ru")
        assert ru.amount == com.amount
        if com.scope == "aliexpress":
            assert ru.confidence == "unknown"
            assert ru.sources == (*com.sources, RU_DISPUTE_AGREEMENT)
        else:
            assert ru == com


def test_confidence_follows_the_research():
    conf = {
        key: DEFAULT_RULES.rule(key, "aliexpress.com").confidence
        for key in DEFAULT_RULES.rule_keys()
    }
    assert conf["dispute.open_last_after_receipt"] == "sourced"
    assert conf["post.claim"] == "sourced"
    assert conf["chargeback.visa"] == "sourced"
    assert conf["dispute.seller_reply"] == "weak"
    assert conf["dispute.appeal"] == "weak"
    assert conf["chargeback.mir"] == "unknown"


def test_unknown_site_is_a_value_error():
    with pytest.raises(ValueError, match=r"aliexpress\.de"):
        DEFAULT_RULES.rule("protection.end", "aliexpress.de")


def test_rules_are_immutable():
    rule = DEFAULT_RULES.rule("dispute.seller_reply", "aliexpress.com")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.amount = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_RULES.schedule = Schedule()  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_RULES.by_site["aliexpress.com"]["dispute.seller_reply"] = rule  # type: ignore[index]
    with pytest.raises(TypeError):
        DEFAULT_RULES.by_site["aliexpress.kz"] = {}  # type: ignore[index]


def test_default_schedule():
    schedule = DEFAULT_RULES.schedule
    assert (schedule.quiet_start, schedule.quiet_end, schedule.morning) == (
        time(22),
        time(9),
        time(10),
    )
    assert schedule.is_quiet(time(23, 30))
    assert schedule.is_quiet(time(0, 0))
    assert schedule.is_quiet(time(8, 59))
    assert not schedule.is_quiet(time(9, 0))
    assert not schedule.is_quiet(time(21, 59))


def test_quiet_hours_within_one_day():
    siesta = Schedule(quiet_start=time(13), quiet_end=time(15), morning=time(10))
    assert siesta.is_quiet(time(14))
    assert not siesta.is_quiet(time(15))
    assert not siesta.is_quiet(time(23))


@pytest.mark.parametrize(
    ("key", "anchor", "due"),
    [
        ("protection.extend", date(2026, 3, 20), date(2026, 3, 13)),
        ("protection.urgent", date(2026, 3, 20), date(2026, 3, 18)),
        ("dispute.open_last_safe", date(2026, 3, 20), date(2026, 3, 19)),
        ("protection.end", date(2026, 3, 20), date(2026, 3, 20)),
        ("dispute.open_earliest", date(2026, 1, 12), date(2026, 1, 23)),
        ("refund.expected", date(2026, 3, 20), date(2026, 4, 3)),
        ("post.claim", date(2026, 8, 31), date(2027, 2, 28)),
        ("post.claim", date(2027, 8, 31), date(2028, 2, 29)),
        ("chargeback.cap", date(2026, 1, 10), date(2027, 7, 4)),
    ],
)
def test_due_from(key, anchor, due):
    assert DEFAULT_RULES.rule(key, "aliexpress.com").due_from(anchor) == due


def test_hours_round_towards_the_earlier_date():
    urgent = DEFAULT_RULES.rule("protection.urgent", "aliexpress.com")
    assert dataclasses.replace(urgent, amount=36).due_from(date(2026, 3, 20)) == date(2026, 3, 18)
    later = dataclasses.replace(urgent, direction="after", amount=36)
    assert later.due_from(date(2026, 3, 20)) == date(2026, 3, 21)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 12, 31), 6, date(2027, 6, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2026, 3, 20), 1, date(2026, 3, 23)),
        (date(2026, 3, 21), 1, date(2026, 3, 23)),
        (date(2026, 3, 16), 5, date(2026, 3, 23)),
        (date(2026, 3, 23), -1, date(2026, 3, 20)),
        (date(2026, 3, 23), 0, date(2026, 3, 23)),
    ],
)
def test_add_working_days(day, count, expected):
    assert add_working_days(day, count) == expected
