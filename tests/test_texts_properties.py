"""Properties of the dispute texts over random cases: facts kept, no Cyrillic, limits held."""

from __future__ import annotations

import os
import string
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.advisor import Advice, Money, advise
from flows.checklist import SLOTS, checklist
from flows.texts import MAX_FULL, MAX_RU, MAX_SHORT, build_dispute_texts, has_cyrillic

TODAY = date(2024, 8, 26)
# Kept small for a fast suite; TEXTS_EXAMPLES=2000 gives a deeper search now and then.
EXAMPLES = int(os.environ.get("TEXTS_EXAMPLES", "40"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PROBLEMS = [
    {"problem": "not_arrived", "tracking_status": "stuck"},
    {"problem": "not_arrived", "tracking_status": "delivered_not_received"},
    {"problem": "not_arrived", "tracking_status": "returned"},
    {"problem": "not_arrived", "tracking_status": "customs"},
    {"problem": "not_arrived", "tracking_status": "no_info"},
    {"problem": "not_arrived"},
    {"problem": "not_as_described", "difference": "size"},
    {"problem": "not_as_described", "difference": "colour"},
    {"problem": "not_as_described", "difference": "quantity"},
    {"problem": "not_as_described", "difference": "counterfeit"},
    {"problem": "not_as_described", "difference": "substitute"},
    {"problem": "damaged", "damage": "broken", "packaging_damaged": True},
    {"problem": "damaged", "damage": "not_working"},
    {"problem": "empty", "anything_inside": True},
    {"problem": "empty", "anything_inside": False},
]
RECORDS = ["packaging_broken", "access_to_contents", "weight_difference", "item_missing"]

# Cyrillic from the code points (the blocks the builder must never leak), with spaces and digits.
cyrillic = st.characters(min_codepoint=0x0400, max_codepoint=0x052F)
russian = st.text(cyrillic | st.sampled_from(" -.,0123456789"), min_size=1, max_size=60)
english_words = st.text(string.ascii_letters + " .,", min_size=1, max_size=100)
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
digits = st.from_regex(r"[0-9]{14,16}", fullmatch=True)
s10 = st.from_regex(r"[A-Z]{2}[0-9]{9}[A-Z]{2}", fullmatch=True)
money = st.fixed_dictionaries(
    {
        "amount": st.decimals("0.01", "999999.99", places=2).map(str),
        "currency": st.sampled_from(["RUB", "USD", "EUR", "KZT", "BYN"]),
    }
)


@st.composite
def acts(draw: Any, office: Any = russian) -> dict[str, Any]:
    act: dict[str, Any] = {
        "kind": draw(
            st.sampled_from(["opening", "packaging_damage", "shortage", "weight_mismatch"])
        ),
        "number": draw(st.from_regex(r"[0-9]{1,8}", fullmatch=True)),
        "date": draw(dates).isoformat(),
        "office": draw(office),
        "records": draw(st.lists(st.sampled_from(RECORDS), unique=True)),
        "refused": draw(st.booleans()),
    }
    if draw(st.booleans()):
        act["declared_g"] = draw(st.integers(1, 50_000))
        act["actual_g"] = draw(st.integers(0, 50_000))
    if act["refused"]:
        act["returned_on"] = draw(dates).isoformat()
    return act


@st.composite
def cases(draw: Any, text: Any = russian, max_acts: int = 2) -> dict[str, Any]:
    facts: dict[str, Any] = {
        **draw(st.sampled_from(PROBLEMS)),
        "site": draw(st.sampled_from(["com", "ru"])),
        "order_number": draw(digits),
        "tracking": {"number": draw(s10), "kind": "s10"},
        "order_date": draw(dates).isoformat(),
        "shipped_on": draw(dates).isoformat(),
        "protection_end": draw(dates).isoformat(),
        "amount": draw(money),
        "item_name": draw(text),
        "store": draw(text),
        "inside_what": draw(text),
        "description": draw(text),
        "resolution": draw(st.sampled_from(["full_refund", "partial_refund", "return"])),
        "acts": draw(st.lists(acts(text), max_size=max_acts)),
    }
    if facts.get("difference") == "quantity":
        facts["ordered_qty"] = draw(st.integers(2, 1000))
        facts["received_qty"] = draw(st.integers(0, facts["ordered_qty"] - 1))
    return facts


def evidence() -> Any:
    item = st.fixed_dictionaries(
        {
            "media": st.sampled_from(["photo", "video", "document"]),
            "label": st.sampled_from([*SLOTS, None]),
        }
    )
    return st.lists(item, max_size=8)


def build(facts: dict[str, Any], english: dict[str, str], sent: list[Any], **kw: Any) -> Any:
    advice = advise(facts, today=TODAY)
    items = checklist(facts, sent)
    return advice, build_dispute_texts(facts, advice, english, checklist=items, **kw)


def english_date(iso: str) -> str:
    """An independent oracle: how an English reader writes the date."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%B')} {day.year}"


def english_money(money: Money) -> str:
    number = f"{money.amount:,.2f}"
    return f"${number}" if money.currency == "USD" else f"{money.currency} {number}"


def weights(act: dict[str, Any]) -> str | None:
    declared, actual = act.get("declared_g"), act.get("actual_g")
    if declared is None:
        return None
    text = f"declared {declared} g, actual {actual} g"
    if actual < declared:
        share = (Decimal((declared - actual) * 100) / declared).quantize(Decimal(1), ROUND_HALF_UP)
        text += f": {declared - actual} g ({share}%) missing"
    return text


def expected_facts(facts: dict[str, Any], advice: Advice) -> list[str]:
    """What the full English text must hold for these facts."""
    out = [facts["order_number"], facts["tracking"]["number"]]
    out += [english_date(facts["order_date"]), english_date(facts["shipped_on"])]
    if advice.amount is not None:
        out.append(english_money(advice.amount))
    if not advice.received:
        out.append(english_date(facts["protection_end"]))
    if advice.reason == "quantity_short":
        missing = facts["ordered_qty"] - facts["received_qty"]
        out.append(f"ordered {facts['ordered_qty']} pcs and received {facts['received_qty']} pcs")
        out.append(f"{missing} pcs missing")
    for act in facts["acts"]:
        out += [f"No. {act['number']}", english_date(act["date"])]
        out += [w for w in [weights(act)] if w]
        if act["refused"]:
            out.append(english_date(act["returned_on"]))
    return out


@FAST
@given(cases(), evidence(), english_words, english_words)
def test_every_fact_given_appears_in_the_full_english_text(
    facts: dict[str, Any], sent: list[Any], said: str, inside: str
) -> None:
    advice, texts = build(facts, {"description": said, "inside_what": inside}, sent)
    for fact in expected_facts(facts, advice):
        assert fact in texts.full_en, fact


@FAST
@given(cases(), evidence())
def test_short_text_has_order_tracking_and_amount_in_its_first_two_lines(
    facts: dict[str, Any], sent: list[Any]
) -> None:
    advice, texts = build(facts, {}, sent)
    head = "\n".join(texts.short_en.splitlines()[:2])
    assert facts["order_number"] in head
    assert facts["tracking"]["number"] in head
    if advice.amount is not None:
        assert english_money(advice.amount) in head


@FAST
@given(cases(), evidence(), english_words, english_words)
def test_no_cyrillic_in_english_when_nothing_is_pending(
    facts: dict[str, Any], sent: list[Any], said: str, inside: str
) -> None:
    _, texts = build(facts, {"description": said, "inside_what": inside}, sent)
    assert texts.pending == frozenset()
    assert not has_cyrillic(texts.short_en)
    assert not has_cyrillic(texts.full_en)


long_text = st.text(cyrillic | st.sampled_from(" .,0123456789abc"), min_size=0, max_size=3000)


@FAST
@given(
    cases(text=long_text, max_acts=8),
    evidence(),
    st.frozensets(st.sampled_from(["description", "inside_what"])),
    st.text(min_size=0, max_size=3000),
)
def test_length_limits_hold_for_long_inputs(
    facts: dict[str, Any], sent: list[Any], pending: frozenset[str], said: str
) -> None:
    english = {} if "description" in pending else {"description": said}
    _, texts = build(facts, english, sent, pending=pending)
    assert len(texts.short_en) <= MAX_SHORT
    assert len(texts.full_en) <= MAX_FULL
    assert len(texts.ru) <= MAX_RU
    assert facts["order_number"] in texts.short_en.splitlines()[0]


@FAST
@given(cases(), evidence())
def test_pending_words_are_the_only_cyrillic_and_are_marked(
    facts: dict[str, Any], sent: list[Any]
) -> None:
    _, texts = build(facts, {}, sent, pending=frozenset({"description", "inside_what"}))
    stripped = texts.full_en
    for field in ("description", "inside_what"):
        original = " ".join(facts[field].split())
        stripped = stripped.replace(original, "")
    assert not has_cyrillic(stripped)
    assert "not yet translated; original in Russian" in texts.full_en


@FAST
@given(cases(), evidence())
def test_russian_copy_keeps_the_numbers_and_the_buyers_words(
    facts: dict[str, Any], sent: list[Any]
) -> None:
    _, texts = build(facts, {}, sent)
    assert facts["order_number"] in texts.ru
    for act in facts["acts"]:
        assert act["number"] in texts.ru
