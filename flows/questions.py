"""Flows as data: questions, their parsers and when they apply, and the walk over them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flows.errors import ParseError
from flows.parsers.choices import parse_yes_no

Facts = Mapping[str, Any]
Parser = Callable[[str, date], Any]


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes_no"
    MULTI = "multi"
    EVIDENCE = "evidence"
    PHOTO = "photo"
    REVIEW = "review"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str  # a message key


def always(_facts: Facts) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    """One question: a stable key (stored), a prompt key (shown) and how an answer is read."""

    key: str
    prompt: str
    kind: Kind = Kind.TEXT
    parse: Parser | None = None
    choices: tuple[Choice, ...] = ()
    optional: bool = False
    when: Callable[[Facts], bool] = always
    example: str | None = None
    notes: Mapping[Any, str] = field(default_factory=dict)

    @property
    def field(self) -> str:
        """The name inside a group item ("act.number" -> "number")."""
        return self.key.split(".", 1)[-1]

    def accept_text(self, text: str, today: date) -> Any:
        """The stored value for a typed answer, or ParseError with the cause."""
        if self.kind is Kind.CHOICE:
            return _match_choice(self.choices, text)
        if self.kind is Kind.YES_NO:
            return parse_yes_no(text)
        if self.parse is None:
            raise ParseError("parse.use_buttons")
        return self.parse(text, today)

    def accept_choice(self, value: str) -> Any:
        if self.kind is Kind.YES_NO and value in ("yes", "no"):
            return value == "yes"
        if self.kind is Kind.MULTI:
            picked = [v for v in value.split(",") if v]
            if all(any(c.value == v for c in self.choices) for v in picked):
                return picked
        elif any(choice.value == value for choice in self.choices):
            return value
        raise ParseError("parse.use_buttons")


@dataclass(frozen=True)
class Group:
    """Questions asked again for each item (post-office acts); `more` asks for another."""

    key: str
    questions: tuple[Question, ...]
    more: Question
    when: Callable[[Facts], bool] = always


Step = Question | Group


@dataclass(frozen=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    _by_key: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for step in self.steps:
            questions = (*step.questions, step.more) if isinstance(step, Group) else (step,)
            for question in questions:
                self._by_key[question.key] = question

    def question(self, key: str) -> Question | None:
        return self._by_key.get(key)


@dataclass(frozen=True)
class Position:
    """Where the walk stands: the question to ask and, inside a group, which item."""

    question: Question
    item: int | None = None


def _match_choice(choices: tuple[Choice, ...], text: str) -> str:
    wanted = text.strip().lower()
    for index, choice in enumerate(choices, start=1):
        if wanted in (choice.value, str(index)):
            return choice.value
    raise ParseError("parse.use_buttons")


def applicable_facts(flow: Flow, answers: Facts) -> dict[str, Any]:
    """The answers that still apply: a question's `when` sees only the facts before it."""
    facts: dict[str, Any] = {}
    for step in flow.steps:
        if not step.when(facts):
            continue
        if isinstance(step, Group):
            if step.key in answers:
                facts[step.key] = answers[step.key]
            if step.more.key in answers:
                facts[step.more.key] = answers[step.more.key]
        elif step.key in answers:
            facts[step.key] = answers[step.key]
    return facts


def next_position(flow: Flow, answers: Facts) -> Position | None:
    """The first question that applies and has no answer; None when the flow is complete."""
    facts: dict[str, Any] = {}
    for step in flow.steps:
        if not step.when(facts):
            continue
        if isinstance(step, Group):
            position = _group_position(step, answers, facts)
            if position is not None:
                return position
            continue
        if step.key not in answers:
            return Position(step)
        facts[step.key] = answers[step.key]
    return None


def _group_position(group: Group, answers: Facts, facts: dict[str, Any]) -> Position | None:
    items: list[dict[str, Any]] = list(answers.get(group.key) or [])
    facts[group.key] = items
    for index, item in enumerate(items):
        scope = {**facts, **item}
        for question in group.questions:
            if question.when(scope) and question.field not in item:
                return Position(question, index)
    if not items:
        return Position(group.questions[0], 0)
    if group.more.key not in answers:
        return Position(group.more)
    facts[group.more.key] = answers.get(group.more.key)
    return None


def answered_keys(flow: Flow, answers: Facts) -> list[str]:
    """Keys of the top-level questions that apply and are answered, in flow order."""
    facts = applicable_facts(flow, answers)
    return [
        step.key
        for step in flow.steps
        if isinstance(step, Question) and step.key in facts and step.kind is not Kind.REVIEW
    ]


def previous_key(flow: Flow, answers: Facts, current: str | None) -> str | None:
    """The answered question just before `current` (for "Back")."""
    keys = answered_keys(flow, answers)
    if current is None or current not in {s.key for s in flow.steps}:
        return keys[-1] if keys else None
    order = [step.key for step in flow.steps]
    before = [key for key in keys if order.index(key) < order.index(current)]
    return before[-1] if before else None
