"""Injected failures: error answers, slow answers and answers that never come."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import ApiError, api_error

_ids = itertools.count(1)


@dataclass(slots=True)
class Fault:
    """One rule: which calls it hits, how often, and what it does to them."""

    method: str | None = None
    chat_id: int | None = None
    times: int | None = 1
    status: int | None = None
    retry_after: int | None = None
    description: str | None = None
    delay: float = 0.0
    hang: bool = False
    hits: int = 0
    id: int = field(default_factory=lambda: next(_ids))

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this rule applies to a call of `method` for `chat_id`."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError | None:
        """The error this rule answers with, if it is an error rule."""
        if self.status is None:
            return None
        if self.description is not None:
            return ApiError(self.status, self.description, self.retry_after)
        return api_error(self.status, retry_after=self.retry_after)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form for the control API."""
        return {
            "id": self.id,
            "method": self.method,
            "chat_id": self.chat_id,
            "times": self.times,
            "status": self.status,
            "retry_after": self.retry_after,
            "description": self.description,
            "delay": self.delay,
            "hang": self.hang,
            "hits": self.hits,
        }


@dataclass(slots=True)
class Verdict:
    """What the matching rules do to one call: wait, then hang, fail or proceed."""

    delay: float = 0.0
    hang: bool = False
    error: ApiError | None = None


class Faults:
    """The fault rules of one emulator; method None means every method."""

    def __init__(self) -> None:
        self.rules: list[Fault] = []

    def add(
        self,
        method: str | None = None,
        status: int = 500,
        *,
        retry_after: int | None = None,
        times: int | None = 1,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> Fault:
        """Answer the next `times` matching calls with an error (429 carries retry_after)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        fault = Fault(method, chat_id, times, status, retry_after, description)
        self.rules.append(fault)
        return fault

    def slow(
        self,
        method: str | None = None,
        seconds: float = 1.0,
        *,
        times: int | None = None,
        chat_id: int | None = None,
    ) -> Fault:
        """Delay matching calls by `seconds` before handling them."""
        fault = Fault(method, chat_id, times, delay=seconds)
        self.rules.append(fault)
        return fault

    def hang(
        self, method: str | None = None, *, times: int | None = 1, chat_id: int | None = None
    ) -> Fault:
        """Never answer matching calls (until the client gives up or the emulator stops)."""
        fault = Fault(method, chat_id, times, hang=True)
        self.rules.append(fault)
        return fault

    def remove(self, fault: Fault | int) -> None:
        """Drop one rule, given it or its id."""
        fault_id = fault if isinstance(fault, int) else fault.id
        self.rules = [rule for rule in self.rules if rule.id != fault_id]

    def clear(self) -> None:
        """Drop every rule."""
        self.rules.clear()

    def judge(self, method: str, chat_id: int | None) -> Verdict | None:
        """Consume one use of each matching rule and say what happens; None when none match."""
        if not self.rules:
            return None
        verdict: Verdict | None = None
        for rule in self.rules:
            if not rule.matches(method, chat_id):
                continue
            rule.hits += 1
            verdict = verdict or Verdict()
            verdict.delay += rule.delay
            verdict.hang = verdict.hang or rule.hang
            verdict.error = verdict.error or rule.error()
        return verdict
