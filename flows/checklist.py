"""Facts + evidence sent -> the evidence checklist for the case, strongest first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flows.advisor import Facts, reason_for

# Strongest first (domain-sources §0.3): the act, an uncut video, the label with its weight,
# photos of the item, the listing, the tracking, the chat with the seller.
SLOTS = (
    "act",
    "fault_video",
    "unpacking_video",
    "label",
    "item",
    "listing",
    "tracking",
    "seller_chat",
)
VIDEO_MEDIA = frozenset({"video", "video_note"})
_SEND_ACT_PHOTO = "advice.evidence.act.send_photo"
# Shown with the checklist: what is still missing ({items}: the missing titles), or all is in.
MISSING_KEY = "advice.checklist.missing"
COMPLETE_KEY = "advice.checklist.complete"


@dataclass(frozen=True)
class ChecklistItem:
    """One kind of evidence: whether the case needs it, whether it was sent, and why it matters."""

    label: str
    required: bool
    present: bool
    why_key: str

    @property
    def title_key(self) -> str:
        """The catalog key of this evidence's name."""
        return f"advice.evidence.{self.label}.title"


@dataclass(frozen=True)
class _Need:
    label: str
    required: bool
    why: str = ""

    @property
    def why_key(self) -> str:
        return f"advice.evidence.{self.label}.{self.why or 'why'}"


_R, _O = True, False  # required, optional
_NOT_RECEIVED = (_Need("tracking", _R, "not_received"), _Need("seller_chat", _O, "not_received"))
_DESCRIBED = (
    _Need("unpacking_video", _O),
    _Need("label", _O),
    _Need("item", _R, "differences"),
    _Need("listing", _R),
    _Need("tracking", _O),
    _Need("seller_chat", _O),
)
_PARCEL = (
    _Need("act", _R),
    _Need("unpacking_video", _R),
    _Need("label", _R, "weight"),
)
NEEDS: Mapping[str, tuple[_Need, ...]] = {
    "not_received": _NOT_RECEIVED,
    "not_received.in_transit": _NOT_RECEIVED,
    "not_received.delivered_not_received": (
        _Need("act", _O, "post_statement"),
        *_NOT_RECEIVED,
    ),
    "not_received.returned": _NOT_RECEIVED,
    "not_received.customs": (_Need("act", _O, "customs"), *_NOT_RECEIVED),
    "not_received.no_info": _NOT_RECEIVED,
    "not_as_described": _DESCRIBED,
    "quantity_short": (
        _Need("unpacking_video", _O),
        _Need("label", _O, "weight"),
        _Need("item", _R, "quantity"),
        _Need("listing", _R, "quantity"),
        _Need("tracking", _O, "weight"),
        _Need("seller_chat", _O),
    ),
    "counterfeit": (
        _Need("unpacking_video", _O),
        _Need("item", _R, "counterfeit"),
        _Need("listing", _R, "counterfeit"),
        _Need("seller_chat", _O),
    ),
    "different_item": (
        _Need("act", _O),
        _Need("unpacking_video", _R),
        _Need("label", _O, "weight"),
        _Need("item", _R, "different"),
        _Need("listing", _R),
        _Need("tracking", _O, "weight"),
        _Need("seller_chat", _O),
    ),
    "damaged": (
        _Need("act", _O, "damage"),
        _Need("unpacking_video", _O),
        _Need("label", _O, "packaging"),
        _Need("item", _R, "damage"),
        _Need("listing", _O),
        _Need("seller_chat", _O),
    ),
    "not_working": (
        _Need("fault_video", _R),
        _Need("item", _O),
        _Need("listing", _O),
        _Need("seller_chat", _O),
    ),
    "empty_package": (
        *_PARCEL,
        _Need("item", _R, "empty_box"),
        _Need("tracking", _O, "weight"),
        _Need("seller_chat", _O),
    ),
}


def checklist(facts: Facts, evidence: Iterable[Any]) -> list[ChecklistItem]:
    """The checklist for the case's reason, strongest evidence first, ticked from what was sent."""
    reason = reason_for(facts)
    needs = _needs(facts, reason)
    have = _assign(evidence, [n.label for n in needs], reason)
    if _act_photo_in_facts(facts):
        have.add("act")
    return [_item(need, need.label in have, facts) for need in needs]


def missing_required(items: Sequence[ChecklistItem]) -> list[ChecklistItem]:
    """The required items not sent yet."""
    return [item for item in items if item.required and not item.present]


def present_labels(items: Sequence[ChecklistItem]) -> tuple[str, ...]:
    """The labels of the evidence that was sent, strongest first."""
    return tuple(item.label for item in items if item.present)


def message_keys() -> dict[str, frozenset[str]]:
    """Every catalog key the checklist needs, with its placeholders."""
    keys = {need.why_key for needs in NEEDS.values() for need in needs}
    keys |= {f"advice.evidence.{slot}.title" for slot in SLOTS}
    keys |= {_SEND_ACT_PHOTO, _Need("act", _R).why_key, COMPLETE_KEY}
    return {**dict.fromkeys(keys, frozenset()), MISSING_KEY: frozenset({"items"})}


def _needs(facts: Facts, reason: str) -> list[_Need]:
    """The reason's needs, with the act made required when acts were recorded or are expected."""
    needs = list(NEEDS[reason])
    act_expected = bool(_acts(facts)) or _act_expected(facts, reason)
    labels = [n.label for n in needs]
    if act_expected and "act" not in labels:
        needs.insert(0, _Need("act", _R))
    elif act_expected:
        needs[0] = _Need("act", _R, needs[0].why)
    if facts.get("problem") == "empty":
        # An "empty" parcel is argued by its weight: the label's printed weight is then required.
        needs = [_Need(n.label, _R, n.why) if n.label == "label" else n for n in needs]
    return needs


def _act_expected(facts: Facts, reason: str) -> bool:
    """An act should exist when the post office saw the parcel's state (§3.1)."""
    if facts.get("problem") == "empty":
        return True
    return reason == "damaged" and facts.get("packaging_damaged") is True


def _item(need: _Need, present: bool, facts: Facts) -> ChecklistItem:
    why = need.why_key
    if need.label == "act" and _acts(facts) and not present:
        # An act typed in as facts is not evidence for AliExpress until its photo is attached.
        why = _SEND_ACT_PHOTO
    return ChecklistItem(need.label, need.required, present, why)


def _assign(evidence: Iterable[Any], slots: list[str], reason: str) -> set[str]:
    """Which slots the evidence fills: tags first, then untagged items where they most likely go."""
    have: set[str] = set()
    untagged: list[str] = []
    for entry in evidence:
        media, label = _field(entry, "media"), _field(entry, "label")
        if label == "item" and media in VIDEO_MEDIA and "fault_video" in slots:
            # The bot has no "fault video" tag: a video of the item is the one showing the fault.
            label = "fault_video"
        if label in slots:
            have.add(label)
        else:
            untagged.append(str(media))
    for media in untagged:
        slot = _untagged_slot(media, slots, have, reason)
        if slot is not None:
            have.add(slot)
    return have


def _untagged_slot(media: str, slots: list[str], have: set[str], reason: str) -> str | None:
    """An untagged video is the unpacking (or fault) video; other files are item photos."""
    order = ["fault_video", "unpacking_video"] if media in VIDEO_MEDIA else []
    # Without an item to show, an untagged picture in a not-received case is the tracking.
    order += ["item", "tracking"] if reason.startswith("not_received") else ["item"]
    for slot in order:
        if slot in slots and (slot not in have or slot == "item"):
            return slot
    return None


def _acts(facts: Facts) -> list[Mapping[str, Any]]:
    acts = facts.get("acts") or []
    return [act for act in acts if isinstance(act, Mapping)]


def _act_photo_in_facts(facts: Facts) -> bool:
    """The complaint flow may store the act's photo with the act itself."""
    return any(act.get("photo") for act in _acts(facts))


def _field(entry: Any, name: str) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(name)
    return getattr(entry, name, None)
