"""Every flow by its stored name."""

from __future__ import annotations

from flows.complaint import COMPLAINT
from flows.questions import Flow
from flows.report import REPORT

FLOWS: dict[str, Flow] = {COMPLAINT.name: COMPLAINT, REPORT.name: REPORT}


def flow_named(name: str) -> Flow:
    return FLOWS[name]
