"""When a question applies, as data: readable in diagrams, testable, composable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Is:
    """The answer to `key` is one of `values`."""

    key: str
    values: tuple[Any, ...]

    def __call__(self, facts: Mapping[str, Any]) -> bool:
        return facts.get(self.key) in self.values

    def __str__(self) -> str:
        shown = " or ".join(str(value).lower() for value in self.values)
        return f"{self.key} = {shown}"


@dataclass(frozen=True)
class AnyOf:
    """At least one of the conditions holds."""

    conditions: tuple[Is, ...]

    def __call__(self, facts: Mapping[str, Any]) -> bool:
        return any(condition(facts) for condition in self.conditions)

    def __str__(self) -> str:
        return " or ".join(str(condition) for condition in self.conditions)


def is_(key: str, *values: Any) -> Is:
    return Is(key, values)
