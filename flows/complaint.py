"""The complaint flow as data: triage, the questions that decide the reason, then the facts."""

from __future__ import annotations

from typing import Any

from flows import answers as parse
from flows.conditions import AnyOf, is_
from flows.questions import Choice, Flow, Group, Kind, Question

PROBLEMS = ("not_arrived", "not_as_described", "damaged", "empty")
TRACKING_STATUSES = ("stuck", "delivered_not_received", "returned", "customs", "no_info")
DIFFERENCES = ("size", "colour", "model", "quantity", "counterfeit", "substitute")
RESOLUTIONS = ("full_refund", "partial_refund", "return")
ACT_KINDS = ("opening", "packaging_damage", "shortage", "weight_mismatch")
ACT_RECORDS = (
    "packaging_broken",
    "access_to_contents",
    "weight_difference",
    "item_missing",
    "item_replaced",
)


def _choices(key: str, values: tuple[str, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(value, f"complaint.{key}.{value}") for value in values)


_is = is_
# Acts matter when the parcel itself tells the story: empty, swapped, damaged, short.
_parcel_state_matters = AnyOf(
    (is_("problem", "empty", "damaged"), is_("difference", "quantity", "substitute"))
)


def _ask(key: str, kind: Kind = Kind.TEXT, **options: Any) -> Question:
    return Question(key=key, prompt=f"complaint.ask.{key}", kind=kind, **options)


def _act(field: str, kind: Kind = Kind.TEXT, **options: Any) -> Question:
    return Question(key=f"act.{field}", prompt=f"complaint.ask.act.{field}", kind=kind, **options)


TRIAGE = (
    _ask("problem", Kind.CHOICE, choices=_choices("problem", PROBLEMS)),
    _ask(
        "tracking_status",
        Kind.CHOICE,
        choices=_choices("tracking_status", TRACKING_STATUSES),
        when=_is("problem", "not_arrived"),
    ),
    _ask(
        "difference",
        Kind.CHOICE,
        choices=_choices("difference", DIFFERENCES),
        when=_is("problem", "not_as_described"),
    ),
    _ask("ordered_qty", parse=parse.quantity, when=_is("difference", "quantity")),
    _ask("received_qty", parse=parse.quantity_received, when=_is("difference", "quantity")),
    _ask(
        "damage",
        Kind.CHOICE,
        choices=_choices("damage", ("broken", "not_working")),
        when=_is("problem", "damaged"),
    ),
    _ask("packaging_damaged", Kind.YES_NO, when=_is("problem", "damaged")),
    _ask(
        "anything_inside",
        Kind.YES_NO,
        when=_is("problem", "empty"),
        notes={True: "complaint.note.empty_trap", False: "complaint.note.empty_confirmed"},
    ),
    _ask("inside_what", parse=parse.free_text_short, when=_is("anything_inside", True)),
)

FACTS = (
    _ask("site", Kind.CHOICE, choices=_choices("site", ("com", "ru"))),
    _ask("item_name", parse=parse.item_name),
    _ask("order_number", parse=parse.order_number),
    _ask("tracking", parse=parse.tracking),
    _ask("order_date", parse=parse.past_date),
    _ask("shipped_on", parse=parse.past_date, optional=True),
    _ask("amount", parse=parse.money),
    _ask("store", parse=parse.store, optional=True),
    _ask("receipt_confirmed", Kind.YES_NO),
    _ask("receipt_confirmed_on", parse=parse.past_date, when=_is("receipt_confirmed", True)),
    _ask("protection_end", parse=parse.protection_end, when=_is("receipt_confirmed", False)),
    _ask("resolution", Kind.CHOICE, choices=_choices("resolution", RESOLUTIONS)),
    _ask("partial_amount", parse=parse.money, when=_is("resolution", "partial_refund")),
)

ACTS = (
    _ask("has_act", Kind.YES_NO, when=_parcel_state_matters),
    Group(
        key="acts",
        when=_is("has_act", True),
        questions=(
            _act("kind", Kind.CHOICE, choices=_choices("act.kind", ACT_KINDS)),
            _act("number", parse=parse.act_number),
            _act("date", parse=parse.past_date),
            _act("office", parse=parse.office),
            _act("declared_g", parse=parse.weight, optional=True),
            _act("actual_g", parse=parse.weight, optional=True),
            _act("records", Kind.MULTI, choices=_choices("act.records", ACT_RECORDS)),
            _act("refused", Kind.YES_NO),
            _act("returned_on", parse=parse.past_date, optional=True, when=_is("refused", True)),
            _act("photo", Kind.PHOTO, optional=True),
        ),
        more=_ask("acts_more", Kind.YES_NO),
    ),
)

CLOSING = (
    _ask("evidence", Kind.EVIDENCE),
    _ask("description", parse=parse.description),
    _ask("review", Kind.REVIEW),
)

COMPLAINT = Flow(name="complaint", steps=(*TRIAGE, *FACTS, *ACTS, *CLOSING))
