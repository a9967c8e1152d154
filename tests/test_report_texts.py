"""The report texts: every fact in the English, no stray Cyrillic, the length limit."""

from __future__ import annotations

from typing import Any

import pytest

from flows.report import SUB_REASONS, TYPES, kind_for
from flows.texts.report import MAX_REPORT, ReportTexts, build_report_texts
from flows.texts.translit import has_cyrillic

ITEM = "1005006123456789"
URL = f"https://www.aliexpress.com/item/{ITEM}.html"
RUSSIAN = "Вместо телефона за 990 рублей прислали карту памяти, в описании об этом ни слова."
PAIRS = [(t, s) for t in TYPES for s in SUB_REASONS[t]]
ENGLISH = "Instead of the phone for 990 roubles they sent a memory card; the listing says nothing."


def _facts(**extra: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "report_type": "search_cheating",
        "sub_reason.search_cheating": "bait_price",
        "link": {"url": URL, "item_id": ITEM, "site": "com"},
        "store": "Best Phones Store",
        "order_number": "8123456789012345",
        "evidence_labels": ["listing", "item", None],
        "description": RUSSIAN,
    }
    facts.update(extra)
    return facts


def _build(facts: dict[str, Any], **options: Any) -> ReportTexts:
    return build_report_texts(facts, {"description": ENGLISH}, **options)


def test_every_fact_is_in_the_english() -> None:
    en = _build(_facts()).en
    kind = kind_for("search_cheating", "bait_price")
    for fact in (URL, ITEM, "Best Phones Store", "8123456789012345", ENGLISH):
        assert fact in en
    assert kind.type_en in en and kind.sub_reason_en in en
    assert "bait price" in en
    assert "Evidence attached (3 files)" in en
    assert "screenshots of the listing" in en and "photos of the item received" in en


def test_no_cyrillic_in_the_english_when_nothing_is_pending() -> None:
    texts = _build(_facts(store="Магазин Электроники"))
    assert not has_cyrillic(texts.en)
    assert "Magazin Elektroniki" in texts.en
    assert texts.pending == frozenset()


def test_a_translation_with_leftover_cyrillic_is_transliterated() -> None:
    texts = build_report_texts(_facts(), {"description": "They sent a card from Ozon (Озон)."})
    assert not has_cyrillic(texts.en)


def test_a_pending_description_is_marked_with_the_russian_original() -> None:
    texts = build_report_texts(_facts(), {}, pending=frozenset({"description"}))
    assert "not yet translated" in texts.en
    assert RUSSIAN in texts.en
    assert texts.pending == frozenset({"description"})
    assert not has_cyrillic(texts.en.replace(RUSSIAN, ""))


def test_untranslated_russian_is_marked_even_when_not_declared_pending() -> None:
    texts = build_report_texts(_facts(), {})
    assert "not yet translated" in texts.en
    assert texts.pending == frozenset({"description"})


def test_english_words_need_no_translation() -> None:
    words = "The seller asked me to pay to his card."
    texts = build_report_texts(_facts(description=words), {})
    assert words in texts.en and texts.pending == frozenset()


def test_the_russian_copy_holds_the_same_facts_and_the_original_words() -> None:
    ru = _build(_facts()).ru
    for fact in (URL, ITEM, "Best Phones Store", "8123456789012345", RUSSIAN):
        assert fact in ru
    assert "3 файла" in ru


def test_optional_facts_leave_no_gaps() -> None:
    facts = _facts(store=None, order_number=None, evidence_labels=[])
    en = _build(facts).en
    assert "Store" not in en and "order No." not in en and "Evidence" not in en
    assert "None" not in en and "{" not in en


def test_a_share_link_says_the_item_id_is_unknown() -> None:
    link = {"url": "https://a.aliexpress.com/_mKzXyZ1", "item_id": None, "site": "com"}
    en = _build(_facts(link=link)).en
    assert "https://a.aliexpress.com/_mKzXyZ1" in en
    assert "item ID is not shown" in en


def test_a_report_from_a_dispute_refers_to_it() -> None:
    en = _build(_facts(from_case=7)).en
    assert "dispute on this order with the same evidence" in en
    assert "dispute" not in _build(_facts()).en


@pytest.mark.parametrize("size", [3000, 20000])
def test_long_descriptions_are_cut_to_the_limit(size: int) -> None:
    long_en = ("The listing lies. " * (size // 18 + 1))[:size]
    long_ru = ("Объявление врёт. " * (size // 17 + 1))[:size]
    texts = build_report_texts(_facts(description=long_ru), {"description": long_en})
    assert len(texts.en) <= MAX_REPORT and len(texts.ru) <= MAX_REPORT
    assert URL in texts.en and texts.en.endswith("rules.")
    marked = frozenset({"description"})
    pending = build_report_texts(_facts(description=long_ru), {}, pending=marked)
    assert len(pending.en) <= MAX_REPORT and "]\n" in pending.en


def test_a_long_store_name_is_capped() -> None:
    en = _build(_facts(store="S" * 500)).en
    assert "S" * 61 not in en


@pytest.mark.parametrize(("report_type", "sub_reason"), PAIRS)
def test_every_pair_builds_both_texts(report_type: str, sub_reason: str) -> None:
    facts = _facts(**{"report_type": report_type, f"sub_reason.{report_type}": sub_reason})
    texts = _build(facts)
    kind = kind_for(report_type, sub_reason)
    assert texts.en.startswith(f"Report: {kind.type_en} - {kind.sub_reason_en}.")
    assert not has_cyrillic(texts.en)
    assert has_cyrillic(texts.ru)


def test_a_redirected_type_reports_as_the_type_picked_instead() -> None:
    facts = _facts(report_type="phishing", type_instead="offline_trading")
    facts["sub_reason.offline_trading"] = "pay_outside"
    en = _build(facts).en
    assert "Influencing toward Off-line Trading" in en
    assert "asked me to pay outside AliExpress" in en
