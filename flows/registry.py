"""Every flow by its stored name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flows.checklist import ChecklistItem, checklist
from flows.complaint import COMPLAINT
from flows.questions import Facts, Flow
from flows.report import REPORT

FLOWS: dict[str, Flow] = {COMPLAINT.name: COMPLAINT, REPORT.name: REPORT}
# Flows whose evidence step shows what is there and what is still missing.
CHECKLISTS: dict[str, Callable[[Facts, list[dict[str, Any]]], list[ChecklistItem]]] = {
    COMPLAINT.name: checklist,
}


def flow_named(name: str) -> Flow:
    return FLOWS[name]
