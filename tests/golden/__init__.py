"""Golden cases and texts: one case per dispute reason, data in cases.toml."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@dataclass(frozen=True)
class GoldenCase:
    """A case's facts, the translations of its free texts and the evidence sent."""

    reason: str
    facts: dict[str, Any]
    english: dict[str, str] = field(default_factory=dict)
    pending: frozenset[str] = frozenset()
    evidence: list[dict[str, Any]] = field(default_factory=list)


def load_cases() -> tuple[date, dict[str, GoldenCase]]:
    """The fixed `today` and every golden case by reason."""
    data = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))
    cases = {
        reason: GoldenCase(
            reason=reason,
            facts=spec["facts"],
            english=spec.get("english", {}),
            pending=frozenset(spec.get("pending", [])),
            evidence=[{**e, "label": e.get("label") or None} for e in spec.get("evidence", [])],
        )
        for reason, spec in data["case"].items()
    }
    return date.fromisoformat(data["today"]), cases


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = HERE / name
    if UPDATE or not path.exists():
        path.write_text(actual + "\n", encoding="utf-8")
        if not UPDATE:
            raise AssertionError(f"{name} was missing and has been written: review and rerun")
        return
    assert actual + "\n" == path.read_text(encoding="utf-8"), f"{name} differs (UPDATE_GOLDEN=1)"
