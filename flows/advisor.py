"""Facts -> the dispute reason to pick, whether the item was received, the resolution, warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flows.rules import DEFAULT_RULES, Rules, site_named

Facts = Mapping[str, Any]
CENT = Decimal("0.01")

# The English labels of the AliExpress dispute form (domain-sources §1.2). UNVERIFIED: they are
# reconstructed from old forms and Russian guides, no live form was seen (§8 item 9); the
# advice.reason.*.why texts tell the user to pick the nearest label if the form words it otherwise.
REASON_LABELS_EN: Mapping[str, str] = {
    "not_received": "I didn't receive the item",
    "not_received.in_transit": "The order is still in transit",
    "not_received.delivered_not_received": "The package was delivered to a wrong address",
    "not_received.returned": "The carrier returned the package to the sender",
    "not_received.customs": "The package is held by customs",
    "not_received.no_info": "No tracking information",
    "not_as_described": "Size, material, function or colour differs from the description",
    "quantity_short": "Quantity smaller than ordered",
    "counterfeit": "Product is fake (counterfeit)",
    "different_item": "Received a different item",
    "damaged": "Item arrived damaged",
    "not_working": "Item does not work",
    "empty_package": "Empty package delivered",
}
REASONS = tuple(REASON_LABELS_EN)
RESOLUTIONS = ("full_refund", "partial_refund", "return")

_NOT_RECEIVED = {
    "stuck": "not_received.in_transit",
    "delivered_not_received": "not_received.delivered_not_received",
    "returned": "not_received.returned",
    "customs": "not_received.customs",
    "no_info": "not_received.no_info",
}
_DIFFERENCE = {
    "size": "not_as_described",
    "colour": "not_as_described",
    "model": "not_as_described",
    "quantity": "quantity_short",
    "counterfeit": "counterfeit",
    "substitute": "different_item",
}
_REPORTS = {"counterfeit": "counterfeit", "substitute": "search_cheating.bait_price"}
REPORT_KINDS = tuple(_REPORTS.values())

WARN_EMPTY_TRAP = "advice.warn.empty_trap"
WARN_EMPTY_ONLY_IF_NOTHING = "advice.warn.empty_only_if_nothing"
WARN_EMPTY_ASK_INSIDE = "advice.warn.empty_ask_inside"
WARN_TOO_EARLY = "advice.warn.too_early"
WARN_WAIT_OR_EXTEND = "advice.warn.wait_or_extend"
WARN_PROTECTION_ENDING = "advice.warn.protection_ending"
WARN_PROTECTION_ENDED = "advice.warn.protection_ended"
WARN_RECEIPT_CONFIRMED = "advice.warn.receipt_confirmed"
WARN_TOO_LATE = "advice.warn.too_late"
WARN_NEVER_CANCEL = "advice.warn.never_cancel"
WARN_DONT_CHANGE_REASON = "advice.warn.dont_change_reason"
WARN_RETURN_CHEAP = "advice.warn.return_cheap"
WARN_PASTE_RUSSIAN = "advice.warn.paste_russian"
WARN_FULL_REFUND_NOT_RECEIVED = "advice.warn.full_refund_not_received"
WARN_PARTIAL_AMOUNT_MISSING = "advice.warn.partial_amount_missing"
WARN_PARTIAL_EXCEEDS = "advice.warn.partial_exceeds"
WARN_QUANTITY_NOT_SHORT = "advice.warn.quantity_not_short"

# Placeholders each warning fills; the catalog test checks both .po files against this.
WARNING_PARAMS: Mapping[str, frozenset[str]] = {
    WARN_EMPTY_TRAP: frozenset(),
    WARN_EMPTY_ONLY_IF_NOTHING: frozenset(),
    WARN_EMPTY_ASK_INSIDE: frozenset(),
    WARN_TOO_EARLY: frozenset({"date"}),
    WARN_WAIT_OR_EXTEND: frozenset({"date", "days"}),
    WARN_PROTECTION_ENDING: frozenset({"date", "days"}),
    WARN_PROTECTION_ENDED: frozenset({"date"}),
    WARN_RECEIPT_CONFIRMED: frozenset({"date"}),
    WARN_TOO_LATE: frozenset({"date"}),
    WARN_NEVER_CANCEL: frozenset(),
    WARN_DONT_CHANGE_REASON: frozenset(),
    WARN_RETURN_CHEAP: frozenset({"amount"}),
    WARN_PASTE_RUSSIAN: frozenset(),
    WARN_FULL_REFUND_NOT_RECEIVED: frozenset(),
    WARN_PARTIAL_AMOUNT_MISSING: frozenset(),
    WARN_PARTIAL_EXCEEDS: frozenset({"amount"}),
    WARN_QUANTITY_NOT_SHORT: frozenset(),
}


# The other catalog keys the advisor's results are shown with, and their placeholders.
OTHER_KEYS: Mapping[str, frozenset[str]] = {
    "advice.reason.label": frozenset({"label"}),
    "advice.reason.unverified": frozenset(),
    "advice.received.yes": frozenset(),
    "advice.received.no": frozenset(),
    "advice.resolution.full_refund": frozenset({"amount"}),
    "advice.resolution.partial_refund": frozenset({"amount"}),
    "advice.resolution.return": frozenset({"amount"}),
    "advice.resolution.no_amount": frozenset(),
}


@dataclass(frozen=True)
class AdvisorRules:
    """The numbers the advisor uses: the dates come from the rules table (`from_rules`)."""

    # Disputes open on the 11th day after shipment (help text, domain-sources §1.1) [S].
    opens_on_day_after_shipment: int = 11
    # Ask the seller to extend 5-7 days before the end; under 48 h open the dispute (§1.3) [W].
    extension_window_days: int = 7
    last_safe_days: int = 2
    # 15 days to open a dispute after protection ends or receipt is confirmed (§1.3) [S].
    after_protection_days: int = 15
    after_receipt_days: int = 15
    # Below these a return costs more than it recovers: postage abroad [G, no source].
    cheap_return_below: Mapping[str, Decimal] = field(
        default_factory=lambda: {
            "USD": Decimal(10),
            "EUR": Decimal(10),
            "RUB": Decimal(1000),
            "BYN": Decimal(30),
            "KZT": Decimal(5000),
        }
    )


@dataclass(frozen=True)
class Money:
    """An amount in one currency (ISO code)."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, value: Any) -> Money | None:
        """Money from a fact `{"amount": "12168.71", "currency": "RUB"}`, or None."""
        if isinstance(value, Money):
            return value
        if not isinstance(value, Mapping):
            return None
        try:
            amount = Decimal(str(value.get("amount")))
        except (InvalidOperation, ValueError):
            return None
        currency = str(value.get("currency") or "").upper()
        if not amount.is_finite() or not currency:
            return None
        return cls(amount.quantize(CENT, ROUND_HALF_UP), currency)


@dataclass(frozen=True)
class Notice:
    """A warning for the user: a catalog key and its parameters (dates, ints, Money)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Advice:
    """What to pick in the dispute form and what to watch out for."""

    reason: str
    reason_en: str
    received: bool
    resolution: str
    amount: Money | None
    warnings: tuple[Notice, ...]

    def warning_keys(self) -> tuple[str, ...]:
        """The warnings' catalog keys, in order."""
        return tuple(w.key for w in self.warnings)


def message_keys() -> dict[str, frozenset[str]]:
    """Every catalog key the advisor's results need, with its placeholders."""
    keys: dict[str, frozenset[str]] = {**WARNING_PARAMS, **OTHER_KEYS}
    for reason in REASONS:
        keys[f"advice.reason.{reason}.title"] = frozenset()
        keys[f"advice.reason.{reason}.why"] = frozenset()
    for report in REPORT_KINDS:
        keys[f"advice.report.{report}"] = frozenset()
    return keys


def reason_for(facts: Facts) -> str:
    """The stable reason key for these facts; raises ValueError without a known problem."""
    problem = facts.get("problem")
    if problem == "not_arrived":
        return _NOT_RECEIVED.get(str(facts.get("tracking_status")), "not_received")
    if problem == "not_as_described":
        return _DIFFERENCE.get(str(facts.get("difference")), "not_as_described")
    if problem == "damaged":
        return "not_working" if facts.get("damage") == "not_working" else "damaged"
    if problem == "empty":
        # THE TRAP: anything at all inside makes it a different item, never an empty parcel.
        return "different_item" if facts.get("anything_inside") is True else "empty_package"
    raise ValueError(f"unknown problem: {problem!r}")


def is_received(reason: str) -> bool:
    """The form's "Have you received the item?" for a reason."""
    return not reason.startswith("not_received")


def advisor_rules(rules: Rules, site: str | None) -> AdvisorRules:
    """The advisor's day counts as the rules table (and the operator's overrides) has them."""
    on = site_named(site)
    urgent = rules.rule("protection.urgent", on)
    return AdvisorRules(
        opens_on_day_after_shipment=rules.rule("dispute.open_earliest", on).amount,
        extension_window_days=rules.rule("protection.extend", on).amount,
        last_safe_days=urgent.amount // 24 if urgent.unit == "hours" else urgent.amount,
        after_protection_days=rules.rule("dispute.open_last_after_protection", on).amount,
        after_receipt_days=rules.rule("dispute.open_last_after_receipt", on).amount,
    )


def advise(facts: Facts, *, today: date, rules: AdvisorRules | None = None) -> Advice:
    """The reason, resolution and warnings for a case's facts as of `today`."""
    rules = rules or advisor_rules(DEFAULT_RULES, facts.get("site"))
    reason = reason_for(facts)
    received = is_received(reason)
    resolution, amount, money_notes = _resolution(facts, reason, received, rules)
    warnings = (
        *_problem_notices(facts, reason),
        *money_notes,
        *_date_notices(facts, reason, today, rules),
        *_standing_notices(facts),
    )
    return Advice(reason, REASON_LABELS_EN[reason], received, resolution, amount, warnings)


def suggest_report(facts: Facts) -> str | None:
    """A complaint-centre report worth filing about the listing, if the facts show one."""
    if facts.get("problem") != "not_as_described":
        return None
    return _REPORTS.get(str(facts.get("difference")))


def missing_qty(facts: Facts) -> int | None:
    """How many pieces are missing, when both quantities are known."""
    ordered, received = facts.get("ordered_qty"), facts.get("received_qty")
    if not isinstance(ordered, int) or not isinstance(received, int):
        return None
    return ordered - received


def as_date(value: Any) -> date | None:
    """A date from a fact ("2024-07-27" or a date), or None."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _problem_notices(facts: Facts, reason: str) -> list[Notice]:
    if facts.get("problem") == "empty":
        inside = facts.get("anything_inside")
        if inside is True:
            return [Notice(WARN_EMPTY_TRAP)]
        return [Notice(WARN_EMPTY_ONLY_IF_NOTHING if inside is False else WARN_EMPTY_ASK_INSIDE)]
    missing = missing_qty(facts)
    if reason == "quantity_short" and missing is not None and missing <= 0:
        return [Notice(WARN_QUANTITY_NOT_SHORT)]
    return []


def _resolution(
    facts: Facts, reason: str, received: bool, rules: AdvisorRules
) -> tuple[str, Money | None, list[Notice]]:
    total = Money.of(facts.get("amount"))
    wanted = facts.get("resolution")
    if not received:
        # Nothing to return and nothing kept: only a full refund makes sense.
        changed = wanted not in (None, "full_refund")
        return "full_refund", total, [Notice(WARN_FULL_REFUND_NOT_RECEIVED)] if changed else []
    if wanted not in RESOLUTIONS:
        wanted = "partial_refund" if reason == "quantity_short" else "full_refund"
    if wanted == "partial_refund":
        return _partial(facts, total)
    notes = []
    if wanted == "return" and total is not None and _cheap(total, rules):
        notes.append(Notice(WARN_RETURN_CHEAP, {"amount": total}))
    return str(wanted), total, notes


def _partial(facts: Facts, total: Money | None) -> tuple[str, Money | None, list[Notice]]:
    asked = Money.of(facts.get("partial_amount")) or _pro_rata(facts, total)
    if asked is None:
        return "partial_refund", None, [Notice(WARN_PARTIAL_AMOUNT_MISSING)]
    if total is not None and asked.currency == total.currency and asked.amount > total.amount:
        return "partial_refund", total, [Notice(WARN_PARTIAL_EXCEEDS, {"amount": total})]
    return "partial_refund", asked, []


def _pro_rata(facts: Facts, total: Money | None) -> Money | None:
    """The share of the price for the missing pieces (quantity short)."""
    missing, ordered = missing_qty(facts), facts.get("ordered_qty")
    if total is None or missing is None or missing <= 0 or not ordered:
        return None
    share = (total.amount * missing / Decimal(ordered)).quantize(CENT, ROUND_HALF_UP)
    return Money(share, total.currency)


def _cheap(total: Money, rules: AdvisorRules) -> bool:
    limit = rules.cheap_return_below.get(total.currency)
    return limit is not None and total.amount < limit


def _date_notices(facts: Facts, reason: str, today: date, rules: AdvisorRules) -> list[Notice]:
    notes = _too_early(facts, today, rules)
    last_day = _last_day(facts, rules)
    if last_day is not None and today > last_day:
        return [*notes, Notice(WARN_TOO_LATE, {"date": last_day})]
    if facts.get("receipt_confirmed") is True and last_day is not None:
        return [*notes, Notice(WARN_RECEIPT_CONFIRMED, {"date": last_day})]
    end = as_date(facts.get("protection_end"))
    if end is None:
        return notes
    days = (end - today).days
    if days < 0:
        return [*notes, Notice(WARN_PROTECTION_ENDED, {"date": last_day or end})]
    if days <= rules.last_safe_days:
        return [*notes, Notice(WARN_PROTECTION_ENDING, {"date": end, "days": days})]
    if not is_received(reason) and days > rules.extension_window_days and not notes:
        # Opened now, a not-received dispute is often answered by the seller extending protection.
        wait_until = end - timedelta(days=rules.extension_window_days)
        return [Notice(WARN_WAIT_OR_EXTEND, {"date": wait_until, "days": days})]
    return notes


def _too_early(facts: Facts, today: date, rules: AdvisorRules) -> list[Notice]:
    shipped = as_date(facts.get("shipped_on"))
    if shipped is None:
        return []
    opens = shipped + timedelta(days=rules.opens_on_day_after_shipment)
    return [Notice(WARN_TOO_EARLY, {"date": opens})] if today < opens else []


def _last_day(facts: Facts, rules: AdvisorRules) -> date | None:
    """The last day a dispute can still be opened, when the facts tell it."""
    confirmed = as_date(facts.get("receipt_confirmed_on"))
    if facts.get("receipt_confirmed") is True and confirmed is not None:
        return confirmed + timedelta(days=rules.after_receipt_days)
    end = as_date(facts.get("protection_end"))
    return end + timedelta(days=rules.after_protection_days) if end is not None else None


def _standing_notices(facts: Facts) -> list[Notice]:
    notes = [Notice(WARN_NEVER_CANCEL), Notice(WARN_DONT_CHANGE_REASON)]
    if facts.get("site") == "ru":
        notes.append(Notice(WARN_PASTE_RUSSIAN))
    return notes
