"""The operator's override file: what it may change and how it fails."""

from __future__ import annotations

from datetime import time

import pytest

from flows.rules import DEFAULT_RULES, load_rules


@pytest.fixture
def write(tmp_path):
    """Write a rules file and return its path."""

    def _write(text: str):
        path = tmp_path / "rules.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def test_no_file_means_the_defaults():
    assert load_rules(None) is DEFAULT_RULES


def test_an_empty_file_changes_nothing(write):
    rules = load_rules(write(""))
    assert rules.by_site == DEFAULT_RULES.by_site
    assert rules.schedule == DEFAULT_RULES.schedule


def test_a_changed_number_applies_to_every_site_and_records_the_file(write):
    path = write('[rules."dispute.seller_reply"]\namount = 3\n')
    rules = load_rules(path)
    for site in ("aliexpress.com", "aliexpress.ru"):
        rule = rules.rule("dispute.seller_reply", site)
        assert rule.amount == 3
        assert rule.origin == str(path)
    assert rules.rule("dispute.seller_reply", "aliexpress.ru").confidence == "unknown"
    assert rules.rule("dispute.intervention", "aliexpress.com").origin == "default"


def test_a_site_section_overrides_one_site_after_the_common_one(write):
    rules = load_rules(
        write(
            '[rules."dispute.appeal"]\namount = 6\n'
            '[sites."aliexpress.ru"."dispute.appeal"]\namount = 5\n'
            'confidence = "sourced"\n'
            'sources = ["https://business.ru.laliexpress.com/legal-docs/article/aer-dispute-policy"]\n'
        )
    )
    com = rules.rule("dispute.appeal", "aliexpress.com")
    ru = rules.rule("dispute.appeal", "aliexpress.ru")
    assert (com.amount, com.confidence) == (6, "weak")
    assert (ru.amount, ru.confidence) == (5, "sourced")
    assert ru.sources == (
        "https://business.ru.laliexpress.com/legal-docs/article/aer-dispute-policy",
    )


def test_leads_are_sorted_largest_first(write):
    rules = load_rules(write('[rules."return.ship"]\nleads = [0, 5, 2]\n'))
    assert rules.rule("return.ship", "aliexpress.com").leads == (5, 2, 0)


def test_leads_may_be_emptied(write):
    rules = load_rules(write('[rules."protection.extend"]\nleads = []\n'))
    assert rules.rule("protection.extend", "aliexpress.com").leads == ()


def test_schedule_from_strings_and_toml_times(write):
    rules = load_rules(
        write('[schedule]\nquiet_start = "23:00"\nquiet_end = 07:30:00\nmorning = "08:15"\n')
    )
    assert rules.schedule.quiet_start == time(23)
    assert rules.schedule.quiet_end == time(7, 30)
    assert rules.schedule.morning == time(8, 15)


def test_the_loaded_rules_are_immutable(write):
    rules = load_rules(write('[rules."return.ship"]\namount = 9\n'))
    with pytest.raises(TypeError):
        rules.by_site["aliexpress.com"]["return.ship"] = None  # type: ignore[index]


BAD_FILES = [
    ('[rules."dispute.seler_reply"]\namount = 3\n', "rules.dispute.seler_reply", "unknown rule"),
    ("[rules.dispute.seller_reply]\namount = 3\n", "rules.dispute", "quote dotted keys"),
    ('[rules."dispute.appeal"]\namount = "five"\n', "rules.dispute.appeal.amount", "'five'"),
    ('[rules."dispute.appeal"]\namount = -1\n', "rules.dispute.appeal.amount", "-1"),
    ('[rules."dispute.appeal"]\namount = 1.5\n', "rules.dispute.appeal.amount", "1.5"),
    ('[rules."dispute.appeal"]\namount = true\n', "rules.dispute.appeal.amount", "True"),
    ('[rules."dispute.appeal"]\namount = 100000\n', "rules.dispute.appeal.amount", "100000"),
    ('[rules."dispute.appeal"]\ndays = 7\n', "rules.dispute.appeal.days", "unknown key"),
    ('[rules."dispute.appeal"]\nleads = 2\n', "rules.dispute.appeal.leads", "list"),
    ('[rules."dispute.appeal"]\nleads = [2, 2]\n', "rules.dispute.appeal.leads", "repeat"),
    ('[rules."dispute.appeal"]\nleads = [-2]\n', "rules.dispute.appeal.leads", "-2"),
    ('[rules."dispute.appeal"]\nconfidence = "sure"\n', "rules.dispute.appeal.confidence", "sure"),
    ('[rules."dispute.appeal"]\nsources = []\n', "rules.dispute.appeal.sources", "non-empty"),
    ("rules = 5\n", "rules", "table"),
    ('[rules]\n"dispute.appeal" = 7\n', "rules.dispute.appeal", "table"),
    ('[sites."aliexpress.de"."dispute.appeal"]\namount = 7\n', "sites.aliexpress.de", "site"),
    ('[sites."aliexpress.ru"."no.such"]\namount = 7\n', "sites.aliexpress.ru.no.such", "unknown"),
    ("[deadlines]\nx = 1\n", "deadlines", "unknown key"),
    ('[schedule]\nquiet_start = "25:00"\n', "schedule.quiet_start", "25:00"),
    ("[schedule]\nmorning = 10\n", "schedule.morning", "10"),
    ('[schedule]\nmorning = "23:00"\n', "schedule.morning", "quiet"),
    ('[schedule]\nquiet_start = "09:00"\n', "schedule.quiet_end", "same time"),
    ('[schedule]\nnight = "22:00"\n', "schedule.night", "unknown key"),
    ('[rules."dispute.appeal"\namount = 7\n', "", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "where", "problem"), BAD_FILES)
def test_bad_files_raise_one_line_naming_file_and_key(write, text, where, problem):
    path = write(text)
    with pytest.raises(ValueError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {where}")
    assert problem in message
    assert "\n" not in message


def test_a_missing_file_names_the_file(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(ValueError, match=r"absent\.toml: cannot read"):
        load_rules(path)
