"""Case facts and events -> the deadlines that apply now, and what is left once one has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from flows.rules import SITES, Rules

EVENT_KINDS = frozenset(
    {
        "dispute_opened",
        "seller_answered",
        "dispute_escalated",
        "decision_won",
        "decision_lost",
        "money_received",
        "receipt_confirmed",
        "return_agreed",
        "parcel_notice",
    }
)
DISPUTE_EVENTS = EVENT_KINDS - {"money_received", "receipt_confirmed", "parcel_notice"}
CARD_SCHEMES = ("visa", "mastercard", "mir")

# What the bot can still suggest once a deadline has passed, by deadline kind.
AFTER = MappingProxyType(
    {
        "protection.end": "after.protection_expired",
        "dispute.open_last": "after.dispute_window_closed",
        "dispute.seller_reply": "after.seller_silent",
        "dispute.intervention": "after.no_intervention",
        "return.ship": "after.return_window_passed",
        "dispute.appeal": "after.appeal_window_closed",
        "refund.expected": "after.refund_late",
        "post.pickup": "after.pickup_base_passed",
        "post.pickup_max": "after.parcel_sent_back",
        "post.claim": "after.post_claim_closed",
        "chargeback": "after.chargeback_closed",
        "chargeback.ask_bank": "after.chargeback_ask_bank",
    }
)
_SUPERSEDED_BY = {"protection.end": "dispute.open_last", "post.pickup": "post.pickup_max"}
_PROTECTION_POINTS = (
    "protection.extend",
    "protection.urgent",
    "dispute.open_last_safe",
    "protection.end",
)


@dataclass(frozen=True)
class CaseEvent:
    """Something that happened to the case, on a local date."""

    kind: str
    on: date

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")


@dataclass(frozen=True)
class CaseTimeline:
    """The dates a case knows and the events it has been through."""

    site: str
    order_date: date
    shipped_on: date | None = None
    protection_end: date | None = None
    receipt_confirmed_on: date | None = None
    expected_delivery: date | None = None
    card_scheme: str | None = None
    events: tuple[CaseEvent, ...] = ()

    def __post_init__(self) -> None:
        if self.site not in SITES:
            raise ValueError(f"unknown site {self.site!r}")
        if self.card_scheme is not None and self.card_scheme not in CARD_SCHEMES:
            raise ValueError(f"unknown card scheme {self.card_scheme!r}")


@dataclass(frozen=True)
class Deadline:
    """A date by which something must be done (or happens), the rule behind it and its leads."""

    kind: str
    due: date
    rule_key: str
    counts_from: str
    leads: tuple[int, ...] = ()


@dataclass(frozen=True)
class PassedDeadline:
    """A deadline that has passed and the key of what can still be done."""

    deadline: Deadline
    after: str


@dataclass(frozen=True)
class _Facts:
    """The events reduced to the dates the rules count from."""

    disputed: bool
    opened: date | None
    answered: date | None
    escalated: date | None
    decision: CaseEvent | None
    losses: int
    money: date | None
    receipt: date | None
    return_agreed: date | None
    notice: date | None


def compute_deadlines(timeline: CaseTimeline, rules: Rules, today: date) -> list[Deadline]:
    """The deadlines that apply to the case and fall today or later, soonest first."""
    return [d for d in _applicable(timeline, rules, today) if d.due >= today]


def past_deadlines(timeline: CaseTimeline, rules: Rules, today: date) -> list[PassedDeadline]:
    """Passed deadlines that leave something to do, each with its "after.*" key, oldest first."""
    passed = [d for d in _applicable(timeline, rules, today) if d.due < today and d.kind in AFTER]
    kinds = {d.kind for d in passed}
    return [
        PassedDeadline(d, AFTER[d.kind]) for d in passed if _SUPERSEDED_BY.get(d.kind) not in kinds
    ]


def protection_end_from_countdown(now: datetime, tz: ZoneInfo, days: int, hours: int = 0) -> date:
    """The local date on which an order page's "N days M hours left" countdown runs out."""
    runs_out = now.astimezone(UTC) + timedelta(days=days, hours=hours)
    return runs_out.astimezone(tz).date()


def _applicable(timeline: CaseTimeline, rules: Rules, today: date) -> list[Deadline]:
    """Every deadline the case's facts and events make apply, passed or not."""
    facts = _facts(timeline)
    if facts.money is not None:
        return []
    make = _Maker(timeline, rules)
    found = _in_dispute(facts, make) if facts.disputed else _before_dispute(timeline, facts, make)
    found += _pickup(facts, make)
    failed = _route_failed(facts, found, today)
    if failed is not None:
        found += _outside_aliexpress(timeline, make, failed)
    return sorted(found, key=lambda d: (d.due, d.kind))


def _facts(timeline: CaseTimeline) -> _Facts:
    """The latest date of each event kind, the latest decision and the number of losses."""
    events = sorted(timeline.events, key=lambda e: e.on)
    last = {e.kind: e.on for e in events}
    decisions = [e for e in events if e.kind in ("decision_won", "decision_lost")]
    receipts = [d for d in (timeline.receipt_confirmed_on, last.get("receipt_confirmed")) if d]
    return _Facts(
        disputed=any(e.kind in DISPUTE_EVENTS for e in events),
        opened=last.get("dispute_opened"),
        answered=last.get("seller_answered"),
        escalated=last.get("dispute_escalated"),
        decision=decisions[-1] if decisions else None,
        losses=sum(e.kind == "decision_lost" for e in events),
        money=last.get("money_received"),
        receipt=min(receipts) if receipts else None,
        return_agreed=last.get("return_agreed"),
        notice=last.get("parcel_notice"),
    )


class _Maker:
    """Builds deadlines from rule keys for one case's site."""

    def __init__(self, timeline: CaseTimeline, rules: Rules) -> None:
        self.site = timeline.site
        self.rules = rules

    def __call__(self, kind: str, rule_key: str, anchor: date, counts_from: str = "") -> Deadline:
        """The deadline `kind` that rule `rule_key` gives from `anchor`."""
        rule = self.rules.rule(rule_key, self.site)
        due = rule.due_from(anchor)
        return Deadline(kind, due, rule_key, counts_from or rule.counts_from, rule.leads)


def _before_dispute(timeline: CaseTimeline, facts: _Facts, make: _Maker) -> list[Deadline]:
    """Opening a dispute: from when, the protection points, and until when."""
    found = []
    if timeline.shipped_on is not None:
        found.append(make("dispute.open_earliest", "dispute.open_earliest", timeline.shipped_on))
    if facts.receipt is not None:
        found.append(make("dispute.open_last", "dispute.open_last_after_receipt", facts.receipt))
    elif timeline.protection_end is not None:
        end = timeline.protection_end
        found += [make(key, key, end) for key in _PROTECTION_POINTS]
        found.append(make("dispute.open_last", "dispute.open_last_after_protection", end))
    return found


def _in_dispute(facts: _Facts, make: _Maker) -> list[Deadline]:
    """An open or decided dispute: the seller's and platform's clocks, return, appeal, refund."""
    found = []
    decision = facts.decision
    if decision is None:
        found += _negotiation(facts, make)
    elif decision.kind == "decision_won":
        found.append(make("refund.expected", "refund.expected", decision.on))
    elif facts.losses == 1:
        found.append(make("dispute.appeal", "dispute.appeal", decision.on))
    agreed = facts.return_agreed
    if agreed is not None and (decision is None or decision.on < agreed):
        found.append(make("return.ship", "return.ship", agreed))
    return found


def _negotiation(facts: _Facts, make: _Maker) -> list[Deadline]:
    """Before a decision: the seller's reply, then the platform stepping in, until escalation."""
    if facts.escalated is not None:
        return []
    answered = facts.answered
    if answered is not None and (facts.opened is None or answered >= facts.opened):
        return [make("dispute.intervention", "dispute.intervention", answered)]
    if facts.opened is not None:
        return [make("dispute.seller_reply", "dispute.seller_reply", facts.opened)]
    return []


def _pickup(facts: _Facts, make: _Maker) -> list[Deadline]:
    """Fetching a parcel from the post office, unless a later event shows it was fetched."""
    notice = facts.notice
    if notice is None:
        return []
    later = (facts.receipt, facts.opened)
    if any(day is not None and day >= notice for day in later):
        return []
    return [
        make("post.pickup", "post.pickup", notice),
        make("post.pickup_max", "post.pickup_max", notice),
    ]


def _route_failed(facts: _Facts, found: list[Deadline], today: date) -> date | None:
    """The day AliExpress stopped being a way to the money: a lost decision or a missed window."""
    if facts.decision is not None and facts.decision.kind == "decision_lost":
        return facts.decision.on
    if facts.disputed:
        return None
    closing = [d.due for d in found if d.kind == "dispute.open_last" and d.due < today]
    return closing[0] + timedelta(days=1) if closing else None


def _outside_aliexpress(timeline: CaseTimeline, make: _Maker, failed: date) -> list[Deadline]:
    """Russian Post's claim window and the card's chargeback window."""
    if timeline.shipped_on is not None:
        found = [make("post.claim", "post.claim", timeline.shipped_on)]
    else:
        found = [make("post.claim", "post.claim", timeline.order_date, "order_date")]
    scheme = timeline.card_scheme
    if scheme == "mir":
        found.append(make("chargeback.ask_bank", "chargeback.mir", failed))
    elif scheme is not None:
        found.append(_chargeback(timeline, make, f"chargeback.{scheme}"))
    return found


def _chargeback(timeline: CaseTimeline, make: _Maker, rule_key: str) -> Deadline:
    """Visa or Mastercard: from the later of payment and expected delivery, within the cap."""
    paid = timeline.order_date
    expected = timeline.expected_delivery
    if expected is not None and expected > paid:
        window = make("chargeback", rule_key, expected, "expected_delivery")
    else:
        window = make("chargeback", rule_key, paid, "transaction")
    cap = make("chargeback", "chargeback.cap", paid, "transaction")
    return (
        window
        if window.due <= cap.due
        else Deadline(cap.kind, cap.due, cap.rule_key, cap.counts_from, window.leads)
    )
