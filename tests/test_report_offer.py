"""The offer to report a listing at the end of a dispute: when it comes and what it carries."""

from __future__ import annotations

import pytest

from bot.handlers.report import report_offer
from bot.i18n import Catalogs


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_cheap_substitute_offers_a_bait_price_report(lang: str) -> None:
    texts = Catalogs.load().for_language(lang)
    facts = {"problem": "not_as_described", "difference": "substitute"}
    offer = report_offer(facts, texts, 7)
    assert offer is not None
    assert "Search Exposure Cheating" in offer.text and "Price mismatch (bait price)" in offer.text
    assert offer.buttons == [[(texts("report.offer.button"), "rep:from:7")]]


def test_a_fake_offers_a_counterfeit_report() -> None:
    texts = Catalogs.load().for_language("ru")
    offer = report_offer({"problem": "not_as_described", "difference": "counterfeit"}, texts, 8)
    assert offer is not None and "Counterfeit Products" in offer.text


@pytest.mark.parametrize(
    "facts",
    [
        {"problem": "not_arrived", "tracking_status": "stuck"},
        {"problem": "not_as_described", "difference": "size"},
        {"problem": "empty", "anything_inside": False},
        {"problem": "damaged"},
    ],
)
def test_no_offer_when_the_listing_broke_no_rule(facts: dict[str, object]) -> None:
    assert report_offer(facts, Catalogs.load().for_language("ru"), 9) is None
