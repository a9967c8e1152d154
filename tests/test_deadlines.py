"""Deadlines from case facts and events, on a fixed clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.deadlines import (
    AFTER,
    EVENT_KINDS,
    CaseEvent,
    CaseTimeline,
    compute_deadlines,
    past_deadlines,
    protection_end_from_countdown,
)
from flows.rules import DEFAULT_RULES, load_rules

D = date
BASE = CaseTimeline(
    site="aliexpress.com",
    order_date=D(2026, 1, 10),
    shipped_on=D(2026, 1, 12),
    protection_end=D(2026, 3, 20),
    card_scheme="visa",
)
# The base case's dates, by kind: protection ends 20 March, paid 10 January, shipped 12 January.
EARLIEST = ("dispute.open_earliest", D(2026, 1, 23), "dispute.open_earliest")
EXTEND = ("protection.extend", D(2026, 3, 13), "protection.extend")
URGENT = ("protection.urgent", D(2026, 3, 18), "protection.urgent")
LAST_SAFE = ("dispute.open_last_safe", D(2026, 3, 19), "dispute.open_last_safe")
END = ("protection.end", D(2026, 3, 20), "protection.end")
OPEN_LAST = ("dispute.open_last", D(2026, 4, 4), "dispute.open_last_after_protection")
POST_CLAIM = ("post.claim", D(2026, 7, 12), "post.claim")
VISA = ("chargeback", D(2026, 5, 10), "chargeback.visa")


def ev(kind: str, day: date) -> CaseEvent:
    """A case event."""
    return CaseEvent(kind, day)


def kinds_dues(deadlines):
    """The deadlines as comparable triples."""
    return [(d.kind, d.due, d.rule_key) for d in deadlines]


def ordered(triples):
    """Triples in the order compute_deadlines returns them."""
    return sorted(triples, key=lambda t: (t[1], t[0]))


SCENARIOS = [
    (
        "waiting, protection known",
        {},
        (),
        D(2026, 1, 15),
        [EARLIEST, EXTEND, URGENT, LAST_SAFE, END, OPEN_LAST],
    ),
    (
        "passed points drop out of what is pending",
        {},
        (),
        D(2026, 3, 18),
        [URGENT, LAST_SAFE, END, OPEN_LAST],
    ),
    (
        "nothing known but the order",
        {"shipped_on": None, "protection_end": None},
        (),
        D(2026, 1, 15),
        [],
    ),
    (
        "receipt confirmed (field): 15 days, no protection points",
        {"receipt_confirmed_on": D(2026, 2, 10)},
        (),
        D(2026, 2, 10),
        [("dispute.open_last", D(2026, 2, 25), "dispute.open_last_after_receipt")],
    ),
    (
        "receipt confirmed (event)",
        {},
        (ev("receipt_confirmed", D(2026, 2, 10)),),
        D(2026, 2, 10),
        [("dispute.open_last", D(2026, 2, 25), "dispute.open_last_after_receipt")],
    ),
    (
        "receipt field and event disagree: the earlier counts",
        {"receipt_confirmed_on": D(2026, 2, 8)},
        (ev("receipt_confirmed", D(2026, 2, 10)),),
        D(2026, 2, 10),
        [("dispute.open_last", D(2026, 2, 23), "dispute.open_last_after_receipt")],
    ),
    (
        "dispute opened: only the seller's reply",
        {},
        (ev("dispute_opened", D(2026, 3, 1)),),
        D(2026, 3, 1),
        [("dispute.seller_reply", D(2026, 3, 6), "dispute.seller_reply")],
    ),
    (
        "seller answered: the platform's 7 days",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("seller_answered", D(2026, 3, 3))),
        D(2026, 3, 3),
        [("dispute.intervention", D(2026, 3, 10), "dispute.intervention")],
    ),
    (
        "an answer dated before the opening is ignored",
        {},
        (ev("seller_answered", D(2026, 2, 20)), ev("dispute_opened", D(2026, 3, 1))),
        D(2026, 3, 1),
        [("dispute.seller_reply", D(2026, 3, 6), "dispute.seller_reply")],
    ),
    (
        "escalated: nothing has a known term",
        {},
        (
            ev("dispute_opened", D(2026, 3, 1)),
            ev("seller_answered", D(2026, 3, 3)),
            ev("dispute_escalated", D(2026, 3, 10)),
        ),
        D(2026, 3, 10),
        [],
    ),
    (
        "escalated without an answer",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("dispute_escalated", D(2026, 3, 6))),
        D(2026, 3, 6),
        [],
    ),
    (
        "won: the refund should arrive in 10 working days",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("decision_won", D(2026, 3, 20))),
        D(2026, 3, 20),
        [("refund.expected", D(2026, 4, 3), "refund.expected")],
    ),
    (
        "lost: appeal, Russian Post claim, chargeback",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("decision_lost", D(2026, 3, 20))),
        D(2026, 3, 20),
        [("dispute.appeal", D(2026, 3, 27), "dispute.appeal"), VISA, POST_CLAIM],
    ),
    (
        "lost twice: the one appeal is used",
        {},
        (
            ev("dispute_opened", D(2026, 3, 1)),
            ev("decision_lost", D(2026, 3, 20)),
            ev("decision_lost", D(2026, 3, 30)),
        ),
        D(2026, 3, 30),
        [VISA, POST_CLAIM],
    ),
    (
        "lost, then the appeal won",
        {},
        (ev("decision_lost", D(2026, 3, 20)), ev("decision_won", D(2026, 3, 25))),
        D(2026, 3, 25),
        [("refund.expected", D(2026, 4, 8), "refund.expected")],
    ),
    (
        "lost, Mastercard, expected delivery later than payment",
        {"card_scheme": "mastercard", "expected_delivery": D(2026, 3, 1)},
        (ev("decision_lost", D(2026, 4, 20)),),
        D(2026, 4, 20),
        [
            ("dispute.appeal", D(2026, 4, 27), "dispute.appeal"),
            ("chargeback", D(2026, 6, 29), "chargeback.mastercard"),
            POST_CLAIM,
        ],
    ),
    (
        "lost, chargeback window capped at 540 days from payment",
        {"expected_delivery": D(2027, 6, 1), "protection_end": D(2027, 6, 1)},
        (ev("decision_lost", D(2027, 6, 20)),),
        D(2027, 6, 20),
        [
            ("dispute.appeal", D(2027, 6, 27), "dispute.appeal"),
            ("chargeback", D(2027, 7, 4), "chargeback.cap"),
        ],
    ),
    (
        "lost, Mir: ask the bank at once",
        {"card_scheme": "mir"},
        (ev("decision_lost", D(2026, 3, 20)),),
        D(2026, 3, 20),
        [
            ("chargeback.ask_bank", D(2026, 3, 20), "chargeback.mir"),
            ("dispute.appeal", D(2026, 3, 27), "dispute.appeal"),
            POST_CLAIM,
        ],
    ),
    (
        "lost, no card known: no chargeback",
        {"card_scheme": None},
        (ev("decision_lost", D(2026, 3, 20)),),
        D(2026, 3, 20),
        [("dispute.appeal", D(2026, 3, 27), "dispute.appeal"), POST_CLAIM],
    ),
    (
        "lost, no shipment date: the claim counts from the order (earlier, so safe)",
        {"shipped_on": None, "card_scheme": None},
        (ev("decision_lost", D(2026, 3, 20)),),
        D(2026, 3, 20),
        [
            ("dispute.appeal", D(2026, 3, 27), "dispute.appeal"),
            ("post.claim", D(2026, 7, 10), "post.claim"),
        ],
    ),
    (
        "return agreed during the dispute",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("return_agreed", D(2026, 3, 5))),
        D(2026, 3, 5),
        [
            ("dispute.seller_reply", D(2026, 3, 6), "dispute.seller_reply"),
            ("return.ship", D(2026, 3, 15), "return.ship"),
        ],
    ),
    (
        "return agreed, then a decision: no more return clock",
        {},
        (ev("return_agreed", D(2026, 3, 5)), ev("decision_won", D(2026, 3, 12))),
        D(2026, 3, 12),
        [("refund.expected", D(2026, 3, 26), "refund.expected")],
    ),
    (
        "parcel notice while waiting",
        {},
        (ev("parcel_notice", D(2026, 3, 2)),),
        D(2026, 3, 2),
        [
            EXTEND,
            ("post.pickup", D(2026, 3, 17), "post.pickup"),
            URGENT,
            LAST_SAFE,
            END,
            OPEN_LAST,
            ("post.pickup_max", D(2026, 5, 1), "post.pickup_max"),
        ],
    ),
    (
        "parcel notice, then receipt confirmed: picked up",
        {},
        (ev("parcel_notice", D(2026, 3, 2)), ev("receipt_confirmed", D(2026, 3, 4))),
        D(2026, 3, 4),
        [("dispute.open_last", D(2026, 3, 19), "dispute.open_last_after_receipt")],
    ),
    (
        "parcel notice, then a dispute: picked up (and found wanting)",
        {},
        (ev("parcel_notice", D(2026, 3, 2)), ev("dispute_opened", D(2026, 3, 4))),
        D(2026, 3, 4),
        [("dispute.seller_reply", D(2026, 3, 9), "dispute.seller_reply")],
    ),
    (
        "a dispute, then the parcel turns up",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("parcel_notice", D(2026, 3, 3))),
        D(2026, 3, 3),
        [
            ("dispute.seller_reply", D(2026, 3, 6), "dispute.seller_reply"),
            ("post.pickup", D(2026, 3, 18), "post.pickup"),
            ("post.pickup_max", D(2026, 5, 2), "post.pickup_max"),
        ],
    ),
    (
        "money received: nothing is pending",
        {},
        (
            ev("parcel_notice", D(2026, 3, 2)),
            ev("decision_lost", D(2026, 3, 20)),
            ev("money_received", D(2026, 3, 25)),
        ),
        D(2026, 3, 25),
        [],
    ),
    (
        "window closed without a dispute: chargeback and post claim",
        {},
        (),
        D(2026, 4, 5),
        [VISA, POST_CLAIM],
    ),
    (
        "window after receipt closed without a dispute, Mir",
        {"card_scheme": "mir", "receipt_confirmed_on": D(2026, 2, 10)},
        (),
        D(2026, 3, 1),
        [POST_CLAIM],
    ),
    (
        "aliexpress.ru uses the same numbers",
        {"site": "aliexpress.ru"},
        (ev("dispute_opened", D(2026, 3, 1)),),
        D(2026, 3, 1),
        [("dispute.seller_reply", D(2026, 3, 6), "dispute.seller_reply")],
    ),
]


@pytest.mark.parametrize(
    ("changes", "events", "today", "expected"),
    [row[1:] for row in SCENARIOS],
    ids=[row[0] for row in SCENARIOS],
)
def test_deadlines_from_events(changes, events, today, expected):
    timeline = replace(BASE, events=events, **changes)
    assert kinds_dues(compute_deadlines(timeline, DEFAULT_RULES, today)) == ordered(expected)


def test_deadlines_carry_what_they_count_from_and_their_leads():
    timeline = replace(BASE, card_scheme="mastercard", expected_delivery=D(2026, 3, 1))
    timeline = replace(timeline, events=(ev("decision_lost", D(2026, 4, 20)),))
    found = {d.kind: d for d in compute_deadlines(timeline, DEFAULT_RULES, D(2026, 4, 20))}
    assert found["chargeback"].counts_from == "expected_delivery"
    assert found["chargeback"].leads == (7, 2, 0)
    assert found["post.claim"].counts_from == "posting_date"
    assert found["dispute.appeal"].counts_from == "decision_lost"
    assert found["dispute.appeal"].leads == (2, 0)


def test_the_chargeback_cap_keeps_the_schemes_leads():
    timeline = replace(BASE, expected_delivery=D(2027, 6, 1), protection_end=None)
    timeline = replace(timeline, events=(ev("decision_lost", D(2027, 6, 20)),))
    found = {d.kind: d for d in compute_deadlines(timeline, DEFAULT_RULES, D(2027, 6, 20))}
    assert (found["chargeback"].counts_from, found["chargeback"].leads) == (
        "transaction",
        (7, 2, 0),
    )


WALK = [
    # (event added that day, today, pending kinds)
    (None, D(2026, 2, 1), ["protection.extend", "protection.urgent", "dispute.open_last_safe",
                           "protection.end", "dispute.open_last"]),
    ("dispute_opened", D(2026, 3, 14), ["dispute.seller_reply"]),
    ("seller_answered", D(2026, 3, 17), ["dispute.intervention"]),
    ("dispute_escalated", D(2026, 3, 24), []),
    ("decision_lost", D(2026, 4, 10), ["dispute.appeal", "chargeback", "post.claim"]),
    ("decision_lost", D(2026, 4, 25), ["chargeback", "post.claim"]),
]  # fmt: skip


def test_recomputation_walks_opened_answered_escalated_lost_appeal():
    events: tuple[CaseEvent, ...] = ()
    for kind, today, expected in WALK:
        if kind is not None:
            events = (*events, ev(kind, today))
        timeline = replace(BASE, events=events)
        found = compute_deadlines(timeline, DEFAULT_RULES, today)
        assert [d.kind for d in found] == expected, (kind, today)


def test_the_walk_reaches_the_bank_and_the_post_when_everything_has_passed():
    events = (ev("dispute_opened", D(2026, 3, 14)), ev("decision_lost", D(2026, 4, 10)))
    timeline = replace(BASE, events=events)
    assert compute_deadlines(timeline, DEFAULT_RULES, D(2026, 7, 13)) == []
    after = [p.after for p in past_deadlines(timeline, DEFAULT_RULES, D(2026, 7, 13))]
    assert after == [
        "after.appeal_window_closed",
        "after.chargeback_closed",
        "after.post_claim_closed",
    ]


PAST = [
    ("nothing has passed yet", {}, (), D(2026, 3, 1), []),
    ("protection points passed leave nothing new", {}, (), D(2026, 3, 20), []),
    ("protection ended, 15 days still open", {}, (), D(2026, 3, 21), ["after.protection_expired"]),
    ("the dispute window closed", {}, (), D(2026, 4, 5), ["after.dispute_window_closed"]),
    (
        "the seller kept silent",
        {},
        (ev("dispute_opened", D(2026, 3, 1)),),
        D(2026, 3, 7),
        ["after.seller_silent"],
    ),
    (
        "the platform did not step in",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("seller_answered", D(2026, 3, 2))),
        D(2026, 3, 10),
        ["after.no_intervention"],
    ),
    (
        "the return was not shipped in time",
        {},
        (ev("return_agreed", D(2026, 3, 1)),),
        D(2026, 3, 12),
        ["after.return_window_passed"],
    ),
    (
        "the refund is late",
        {},
        (ev("decision_won", D(2026, 3, 20)),),
        D(2026, 4, 4),
        ["after.refund_late"],
    ),
    (
        "the base storage passed",
        {"protection_end": None},
        (ev("parcel_notice", D(2026, 3, 2)),),
        D(2026, 3, 18),
        ["after.pickup_base_passed"],
    ),
    (
        "the parcel went back",
        {"protection_end": None},
        (ev("parcel_notice", D(2026, 3, 2)),),
        D(2026, 5, 2),
        ["after.parcel_sent_back"],
    ),
    (
        "Mir: the day to ask the bank passed",
        {"card_scheme": "mir"},
        (ev("decision_lost", D(2026, 3, 20)),),
        D(2026, 3, 21),
        ["after.chargeback_ask_bank"],
    ),
    (
        "Mir, the window after receipt closed: ask the bank",
        {"card_scheme": "mir", "receipt_confirmed_on": D(2026, 2, 10)},
        (),
        D(2026, 3, 1),
        ["after.dispute_window_closed", "after.chargeback_ask_bank"],
    ),
    (
        "money received: nothing left to do",
        {},
        (ev("dispute_opened", D(2026, 3, 1)), ev("money_received", D(2026, 3, 3))),
        D(2026, 9, 1),
        [],
    ),
]


@pytest.mark.parametrize(
    ("changes", "events", "today", "expected"), [row[1:] for row in PAST], ids=[r[0] for r in PAST]
)
def test_what_can_still_be_done_after_a_deadline(changes, events, today, expected):
    timeline = replace(BASE, events=events, **changes)
    passed = past_deadlines(timeline, DEFAULT_RULES, today)
    assert [p.after for p in passed] == expected
    assert all(p.deadline.due < today for p in passed)


def test_after_keys_are_stable_strings():
    assert all(key.startswith("after.") for key in AFTER.values())
    assert len(set(AFTER.values())) == len(AFTER)


def test_an_override_moves_the_deadline(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('[sites."aliexpress.ru"."dispute.seller_reply"]\namount = 3\n')
    rules = load_rules(path)
    opened = (ev("dispute_opened", D(2026, 3, 1)),)
    com = compute_deadlines(replace(BASE, events=opened), rules, D(2026, 3, 1))
    ru = compute_deadlines(replace(BASE, events=opened, site="aliexpress.ru"), rules, D(2026, 3, 1))
    assert [d.due for d in com] == [D(2026, 3, 6)]
    assert [d.due for d in ru] == [D(2026, 3, 4)]


@pytest.mark.parametrize(
    ("now", "tz", "days", "hours", "expected"),
    [
        (datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "Europe/Moscow", 5, 0, D(2026, 3, 6)),
        (datetime(2026, 3, 1, 20, 0, tzinfo=UTC), "Europe/Moscow", 5, 2, D(2026, 3, 7)),
        (datetime(2026, 3, 1, 20, 0, tzinfo=UTC), "Asia/Almaty", 0, 3, D(2026, 3, 2)),
        (datetime(2026, 3, 28, 22, 30, tzinfo=UTC), "Europe/Berlin", 1, 0, D(2026, 3, 30)),
    ],
)
def test_protection_end_from_the_countdown(now, tz, days, hours, expected):
    assert protection_end_from_countdown(now, ZoneInfo(tz), days, hours) == expected


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="unknown event kind"):
        CaseEvent("dispute_cancelled", D(2026, 3, 1))
    with pytest.raises(ValueError, match="unknown site"):
        replace(BASE, site="aliexpress.us")
    with pytest.raises(ValueError, match="unknown card scheme"):
        replace(BASE, card_scheme="unionpay")


def test_event_kinds():
    assert {
        "dispute_opened",
        "seller_answered",
        "dispute_escalated",
        "decision_won",
        "decision_lost",
        "money_received",
        "receipt_confirmed",
        "return_agreed",
        "parcel_notice",
    } == EVENT_KINDS
