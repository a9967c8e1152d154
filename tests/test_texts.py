"""Text builders: formatting, transliteration, offices, pending translations, templates."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from flows.advisor import REASONS, Money, advise
from flows.checklist import checklist
from flows.texts import (
    MAX_FULL,
    MAX_SHORT,
    build_dispute_texts,
    format_date,
    format_money,
    has_cyrillic,
    localize,
    transliterate,
)
from flows.texts.formatting import format_list, weight_line
from flows.texts.render import fields, line, sentence
from flows.texts.templates import load
from flows.texts.values import office_name

TODAY = date(2024, 8, 26)
DATA = tomllib.loads((Path(__file__).parent / "golden" / "translit.toml").read_text("utf-8"))
SOAP, SAID = DATA["text"]["soap"], DATA["text"]["description"]


def case(**given: Any) -> dict[str, Any]:
    base = {
        "site": "com",
        "problem": "empty",
        "anything_inside": True,
        "order_number": "8123456789012345",
        "tracking": {"number": "RA123456785CN", "kind": "s10"},
        "order_date": "2024-07-27",
        "amount": {"amount": "12168.71", "currency": "RUB"},
    }
    return {**base, **given}


def build(facts: dict[str, Any], english: dict[str, str] | None = None, **kw: Any) -> Any:
    return build_dispute_texts(facts, advise(facts, today=TODAY), english or {}, **kw)


class TestFormatting:
    def test_dates(self) -> None:
        assert format_date(date(2024, 7, 27), "en") == "27 July 2024"
        ru = format_date(date(2024, 7, 27), "ru")
        assert ru == f"27 {load('ru')['months'][6]} 2024"

    @pytest.mark.parametrize(
        ("amount", "currency", "text"),
        [
            ("12168.71", "RUB", "RUB 12,168.71"),
            ("25.9", "USD", "$25.90"),
            ("1000", "EUR", "EUR 1,000.00"),
            ("0.5", "KZT", "KZT 0.50"),
        ],
    )
    def test_money_in_english(self, amount: str, currency: str, text: str) -> None:
        assert format_money(Money(Decimal(amount), currency), "en") == text

    def test_money_in_russian_groups_with_spaces(self) -> None:
        assert format_money(Money(Decimal("12168.71"), "KZT"), "ru") == "12 168,71 KZT"

    @pytest.mark.parametrize(
        ("declared", "actual", "text"),
        [
            (520, 310, "Weight: declared 520 g, actual 310 g: 210 g (40%) missing."),
            (1000, 995, "Weight: declared 1000 g, actual 995 g: 5 g (1%) missing."),
            (300, 350, "Weight: declared 300 g, actual 350 g: 50 g (17%) more than declared."),
            (500, 500, "Weight: declared 500 g, actual 500 g."),
            (None, 310, "Actual weight: 310 g."),
            (0, 310, "Actual weight: 310 g."),
            (520, None, "Declared weight: 520 g."),
            (None, None, None),
        ],
    )
    def test_weights_with_their_difference(
        self, declared: int | None, actual: int | None, text: str | None
    ) -> None:
        assert weight_line(declared, actual, "en") == text

    def test_lists(self) -> None:
        assert format_list(["a"], "en") == "a"
        assert format_list(["a", "b", "c"], "en") == "a, b and c"

    def test_localize_warning_params(self) -> None:
        params = {"date": date(2024, 9, 4), "amount": Money(Decimal(5), "USD"), "days": 3}
        assert localize(params, "en") == {"date": "4 September 2024", "amount": "$5.00", "days": 3}


class TestTransliteration:
    @pytest.mark.parametrize(("russian", "latin"), sorted(DATA["transliterate"].items()))
    def test_icao_table(self, russian: str, latin: str) -> None:
        assert transliterate(russian) == latin
        assert not has_cyrillic(transliterate(russian))

    @pytest.mark.parametrize(("office", "english"), sorted(DATA["office"].items()))
    def test_post_offices(self, office: str, english: str) -> None:
        assert office_name(office) == english

    def test_office_of_no_known_kind_takes_the_translation(self) -> None:
        assert office_name(DATA["text"]["soap"], translated="Soap office") == "Soap office"

    def test_known_kind_wins_over_the_translation(self) -> None:
        mmpo = next(k for k, v in DATA["office"].items() if v.endswith("Vnukovo"))
        assert office_name(mmpo, translated="MMPO Vnukovo") == DATA["office"][mmpo]

    def test_office_in_russian_is_kept(self) -> None:
        mmpo = next(iter(DATA["office"]))
        assert office_name(mmpo, "ru") == mmpo


class TestRender:
    def test_optional_segments_and_alternatives(self) -> None:
        template = ["Order {order}[, tracking {tracking}].", ["Item {item}.", "No item."]]
        assert line(template, {"order": "1", "tracking": None}) == "Order 1. No item."
        assert line(template, {"order": "1", "tracking": "T", "item": "x"}) == (
            "Order 1, tracking T. Item x."
        )

    def test_missing_required_field_drops_the_sentence(self) -> None:
        assert sentence("Order {order}.", {}) is None
        assert line(["Order {order}."], {}) is None

    def test_values_are_never_read_as_templates(self) -> None:
        assert sentence("Said: {d}", {"d": "{x} [y]"}) == "Said: {x} [y]"


class TestFreeText:
    def test_item_name_uses_the_translation(self) -> None:
        texts = build(case(item_name=SOAP), {"item_name": "Soap"})
        assert "Item: Soap." in texts.full_en

    def test_item_name_is_transliterated_without_translation(self) -> None:
        texts = build(case(item_name=SOAP))
        assert f"Item: {transliterate(SOAP)}." in texts.full_en
        assert texts.pending == frozenset()

    def test_pending_description_is_marked_with_the_original(self) -> None:
        texts = build(case(description=SAID), pending=frozenset({"description"}))
        marker = f"[Description not yet translated; original in Russian: {SAID}]"
        assert f"In my own words: {marker}" in texts.full_en
        assert texts.pending == {"description"}

    def test_untranslated_russian_is_marked_even_if_not_declared_pending(self) -> None:
        texts = build(case(description=SAID, inside_what=SOAP))
        assert texts.pending == {"description", "inside_what"}
        assert f"[not yet translated; original in Russian: {SOAP}]" in texts.full_en

    def test_translated_words_close_the_english_text(self) -> None:
        texts = build(case(description=SAID), {"description": "There was soap inside."})
        assert texts.full_en.endswith("In my own words: There was soap inside.")
        assert texts.ru.endswith(SAID)
        assert not has_cyrillic(texts.full_en + texts.short_en)

    def test_english_words_need_no_translation(self) -> None:
        texts = build(case(description="Soap inside."))
        assert texts.full_en.endswith("In my own words: Soap inside.")
        assert texts.pending == frozenset()

    def test_long_pending_words_are_cut_inside_the_marker(self) -> None:
        texts = build(case(description=SAID * 100), pending=frozenset({"description"}))
        assert len(texts.full_en) <= MAX_FULL
        assert texts.full_en.endswith("...]")
        assert len(texts.short_en) <= MAX_SHORT


class TestShape:
    def test_key_numbers_in_the_first_two_lines_of_the_short_text(self) -> None:
        texts = build(case(acts=[{"number": "7", "declared_g": 520, "actual_g": 310}]))
        head = "\n".join(texts.short_en.splitlines()[:2])
        for number in ("8123456789012345", "RA123456785CN", "RUB 12,168.71", "210 g (40%)"):
            assert number in head

    def test_evidence_lists_only_what_was_sent(self) -> None:
        facts = case(anything_inside=False)
        items = checklist(facts, [{"media": "video", "label": None}])
        texts = build(facts, checklist=items)
        assert "Evidence attached: an uncut video of the unpacking." in texts.full_en

    def test_no_evidence_line_without_evidence(self) -> None:
        assert "Evidence" not in build(case()).full_en

    def test_refusal_and_return_date(self) -> None:
        act = {"number": "9", "refused": True, "returned_on": "2024-08-25"}
        text = build(case(acts=[act])).full_en
        assert "I refused the parcel; it was returned to the sender on 25 August 2024." in text

    def test_request_follows_the_advice(self) -> None:
        facts = case(problem="damaged", resolution="return")
        assert "I request to return the item at the seller's expense" in build(facts).full_en


class TestTemplates:
    @pytest.mark.parametrize("lang", ["en", "ru"])
    def test_every_reason_has_full_and_short(self, lang: str) -> None:
        reasons = load(lang)["reason"]
        for reason in REASONS:
            assert {"full", "short"} <= set(reasons[reason]), (lang, reason)

    def test_english_templates_hold_no_cyrillic(self) -> None:
        text = files("flows.texts.templates").joinpath("en.toml").read_text("utf-8")
        assert not has_cyrillic(text)

    def test_both_languages_have_the_same_templates_and_placeholders(self) -> None:
        assert _shape(load("en")) == _shape(load("ru"))


def _shape(node: Any, path: str = "") -> dict[str, Any]:
    """Every template path with its placeholders, ignoring words and money formats."""
    if isinstance(node, dict):
        skip = {"money", "months", "number", "list"}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if path or key not in skip:
                out.update(_shape(value, f"{path}.{key}"))
        return out
    if isinstance(node, list):
        return {path: [_shape(v, path)[path] for v in node]}
    return {path: sorted(fields(node))}
