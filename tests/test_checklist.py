"""The evidence checklist: per problem, strongest first, ticked from what was sent."""

from __future__ import annotations

from typing import Any

import pytest

from flows.checklist import SLOTS, ChecklistItem, checklist, missing_required, present_labels

ACT = {"kind": "opening", "number": "1", "date": "2024-08-19", "office": "x"}
PROBLEMS = [
    {"problem": "not_arrived", "tracking_status": "stuck"},
    {"problem": "not_arrived", "tracking_status": "delivered_not_received"},
    {"problem": "not_arrived", "tracking_status": "customs"},
    {"problem": "not_as_described", "difference": "size"},
    {"problem": "not_as_described", "difference": "quantity"},
    {"problem": "not_as_described", "difference": "counterfeit"},
    {"problem": "not_as_described", "difference": "substitute"},
    {"problem": "damaged", "damage": "broken", "packaging_damaged": True},
    {"problem": "damaged", "damage": "broken", "packaging_damaged": False},
    {"problem": "damaged", "damage": "not_working"},
    {"problem": "empty", "anything_inside": True},
    {"problem": "empty", "anything_inside": False},
]


def ev(media: str, label: str | None = None) -> dict[str, Any]:
    return {"media": media, "label": label}


def labels(items: list[ChecklistItem]) -> list[str]:
    return [item.label for item in items]


def required(items: list[ChecklistItem]) -> set[str]:
    return {item.label for item in items if item.required}


@pytest.mark.parametrize("facts", PROBLEMS)
def test_strongest_first_and_nothing_present_without_evidence(facts: dict[str, Any]) -> None:
    items = checklist(facts, [])
    order = [SLOTS.index(label) for label in labels(items)]
    assert order == sorted(order)
    assert not any(item.present for item in items)
    assert missing_required(items) == [item for item in items if item.required]
    assert all(item.why_key.startswith(f"advice.evidence.{item.label}.") for item in items)


@pytest.mark.parametrize("facts", PROBLEMS)
def test_everything_tagged_ticks_everything(facts: dict[str, Any]) -> None:
    evidence = [ev("photo", slot) for slot in SLOTS]
    evidence.append(ev("video"))  # the fault video has no tag of its own
    items = checklist(facts, evidence)
    assert all(item.present for item in items)
    assert missing_required(items) == []


@pytest.mark.parametrize(
    ("facts", "expected", "needed"),
    [
        (PROBLEMS[0], ["tracking", "seller_chat"], {"tracking"}),
        (PROBLEMS[1], ["act", "tracking", "seller_chat"], {"tracking"}),
        (
            PROBLEMS[3],
            ["unpacking_video", "label", "item", "listing", "tracking", "seller_chat"],
            {"item", "listing"},
        ),
        (
            PROBLEMS[7],
            ["act", "unpacking_video", "label", "item", "listing", "seller_chat"],
            {"act", "item"},
        ),
        (
            PROBLEMS[8],
            ["act", "unpacking_video", "label", "item", "listing", "seller_chat"],
            {"item"},
        ),
        (PROBLEMS[9], ["fault_video", "item", "listing", "seller_chat"], {"fault_video"}),
        (
            PROBLEMS[10],
            ["act", "unpacking_video", "label", "item", "listing", "tracking", "seller_chat"],
            {"act", "unpacking_video", "label", "item", "listing"},
        ),
        (
            PROBLEMS[11],
            ["act", "unpacking_video", "label", "item", "tracking", "seller_chat"],
            {"act", "unpacking_video", "label", "item"},
        ),
    ],
)
def test_items_per_problem(facts: dict[str, Any], expected: list[str], needed: set[str]) -> None:
    items = checklist(facts, [])
    assert labels(items) == expected
    assert required(items) == needed


class TestUntaggedEvidence:
    def test_untagged_video_is_the_unpacking_video(self) -> None:
        items = checklist({"problem": "empty", "anything_inside": False}, [ev("video")])
        assert present_labels(items) == ("unpacking_video",)

    def test_untagged_video_note_counts_too(self) -> None:
        items = checklist({"problem": "empty", "anything_inside": True}, [ev("video_note")])
        assert present_labels(items) == ("unpacking_video",)

    def test_untagged_video_is_the_fault_video_when_the_item_does_not_work(self) -> None:
        items = checklist({"problem": "damaged", "damage": "not_working"}, [ev("video")])
        assert present_labels(items) == ("fault_video",)

    def test_video_of_the_item_is_the_fault_video(self) -> None:
        items = checklist({"problem": "damaged", "damage": "not_working"}, [ev("video", "item")])
        assert present_labels(items) == ("fault_video",)

    def test_untagged_photos_and_files_are_item_photos(self) -> None:
        facts = {"problem": "not_as_described", "difference": "size"}
        assert present_labels(checklist(facts, [ev("photo")])) == ("item",)
        # Photos sent as files keep their quality: Telegram users do it on purpose.
        assert present_labels(checklist(facts, [ev("document")])) == ("item",)

    def test_untagged_photo_is_the_tracking_when_nothing_arrived(self) -> None:
        items = checklist({"problem": "not_arrived", "tracking_status": "stuck"}, [ev("photo")])
        assert present_labels(items) == ("tracking",)

    def test_second_untagged_video_shows_the_item(self) -> None:
        items = checklist({"problem": "empty", "anything_inside": True}, [ev("video"), ev("video")])
        assert present_labels(items) == ("unpacking_video", "item")

    def test_untagged_photo_is_never_the_act(self) -> None:
        items = checklist(
            {"problem": "empty", "anything_inside": False, "acts": [ACT]}, [ev("photo")]
        )
        assert "act" not in present_labels(items)

    def test_a_tag_the_case_does_not_need_is_read_as_untagged(self) -> None:
        facts = {"problem": "not_arrived", "tracking_status": "stuck"}
        assert present_labels(checklist(facts, [ev("photo", "listing")])) == ("tracking",)

    def test_objects_with_attributes_are_read_too(self) -> None:
        class Row:
            media, label = "photo", "listing"

        facts = {"problem": "not_as_described", "difference": "size"}
        assert present_labels(checklist(facts, [Row()])) == ("listing",)


class TestActs:
    def test_entered_act_without_photo_asks_for_the_photo(self) -> None:
        facts = {"problem": "not_as_described", "difference": "size", "acts": [ACT]}
        act = checklist(facts, [])[0]
        assert act == ChecklistItem("act", True, False, "advice.evidence.act.send_photo")

    def test_photo_of_the_act_ticks_it(self) -> None:
        facts = {"problem": "empty", "anything_inside": True, "acts": [ACT]}
        act = checklist(facts, [ev("photo", "act")])[0]
        assert act.present
        assert act.why_key == "advice.evidence.act.why"

    def test_photo_stored_with_the_act_ticks_it(self) -> None:
        facts = {"problem": "empty", "anything_inside": True, "acts": [{**ACT, "photo": "file-id"}]}
        assert checklist(facts, [])[0].present

    def test_act_expected_when_the_packaging_was_damaged(self) -> None:
        items = checklist({"problem": "damaged", "damage": "broken", "packaging_damaged": True}, [])
        assert items[0] == ChecklistItem("act", True, False, "advice.evidence.act.damage")

    def test_act_optional_when_the_packaging_was_intact(self) -> None:
        items = checklist(
            {"problem": "damaged", "damage": "broken", "packaging_damaged": False}, []
        )
        assert items[0].label == "act"
        assert not items[0].required

    def test_no_act_for_a_plain_size_problem(self) -> None:
        items = checklist({"problem": "not_as_described", "difference": "size"}, [])
        assert "act" not in labels(items)


def test_title_keys() -> None:
    item = ChecklistItem("listing", True, False, "advice.evidence.listing.why")
    assert item.title_key == "advice.evidence.listing.title"
