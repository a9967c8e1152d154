"""The engine that walks any flow for a stored case: ask, accept, store, ask the next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checklist_view import checklist_text
from bot.i18n import Texts
from bot.storage import cases as store
from bot.storage.models import Case
from bot.ui import Button, Say, data
from flows.errors import ParseError
from flows.questions import (
    Flow,
    Kind,
    Position,
    Question,
    applicable_facts,
    next_position,
    previous_key,
)
from flows.registry import CHECKLISTS, flow_named

DONE = "_done"


@dataclass
class Walk:
    """One case within one unit of work."""

    session: AsyncSession
    case: Case
    texts: Texts
    today: date

    @property
    def flow(self) -> Flow:
        return flow_named(self.case.flow)

    def answers(self) -> dict[str, Any]:
        """The case's answers as they stand in this unit of work (writes included)."""
        return store.answers_of(self.case)

    def position(self) -> Position | None:
        return next_position(self.flow, self.answers())

    async def accept_text(self, text: str) -> list[Say]:
        """Parse a typed answer to the current question; on error re-ask with the cause."""
        position = self.position()
        if position is None:
            return []
        try:
            value = position.question.accept_text(text, self.today)
        except ParseError as error:
            return [self.refusal(position, error)]
        return await self.store(position, value)

    async def accept_choice(self, key: str, value: str) -> list[Say]:
        position = self.position()
        if position is None or position.question.key != key:
            return [Say(self.texts("conversation.stale_button")), *await self.ask()]
        if position.question.kind is Kind.MULTI:
            return await self.toggle(position, value)
        if position.question.kind in (Kind.EVIDENCE, Kind.REVIEW) and value == DONE:
            return await self.store(position, True)
        try:
            parsed = position.question.accept_choice(value)
        except ParseError as error:
            return [self.refusal(position, error)]
        return await self.store(position, parsed)

    async def toggle(self, position: Position, value: str) -> list[Say]:
        """A multiple choice: each press flips one option; "done" stores the selection."""
        question = position.question
        draft_field = question.field + "~"
        item = position.item if position.item is not None else 0
        picked = list(((self.answers()).get("acts") or [{}])[item].get(draft_field) or [])
        if value == DONE:
            store.delete_item_field(self.case, item, draft_field)
            return await self.store(position, picked)
        picked = [v for v in picked if v != value] if value in picked else [*picked, value]
        question.accept_choice(",".join(picked))
        store.save_item_field(self.case, item, draft_field, picked)
        return await self.ask()

    async def store(self, position: Position, value: Any) -> list[Say]:
        """Commit-ready write of one answer; the replies are the note and the next question."""
        question = position.question
        if position.item is not None:
            store.save_item_field(self.case, position.item, question.field, value)
        elif question.key == "acts_more" and value is True:
            items = (self.answers()).get("acts") or []
            store.save_item_field(self.case, len(items), "_started", True)
        else:
            store.save_answer(self.case, question.key, value)
        note = question.notes.get(value) if isinstance(value, str | bool) else None
        says = [Say(self.texts(note))] if note else []
        return says + await self.ask()

    async def skip(self, key: str) -> list[Say]:
        position = self.position()
        if position is None or position.question.key != key or not position.question.optional:
            return [Say(self.texts("conversation.stale_button")), *await self.ask()]
        return await self.store(position, None)

    async def back(self) -> list[Say]:
        """Forget the previous answer so that its question is asked again."""
        answers = self.answers()
        position = next_position(self.flow, answers)
        if position is not None and position.item is not None:
            item = answers["acts"][position.item]
            filled = [q.field for q in _group_questions(self.flow) if q.field in item]
            if filled:
                store.delete_item_field(self.case, position.item, filled[-1])
                return await self.ask()
        current = position.question.key if position else None
        key = previous_key(self.flow, answers, current)
        if key is None:
            return [Say(self.texts("conversation.nothing_back")), *await self.ask()]
        store.delete_answer(self.case, key)
        return await self.ask()

    async def ask(self) -> list[Say]:
        position = self.position()
        if position is None:
            return []
        answers = self.answers()
        says = [self.prompt(position.question, answers)]
        if position.question.kind is Kind.EVIDENCE and self.case.flow in CHECKLISTS:
            evidence = [
                {"media": e.media, "label": e.label}
                for e in await store.case_evidence(self.session, self.case)
            ]
            items = CHECKLISTS[self.case.flow](applicable_facts(self.flow, answers), evidence)
            says.insert(0, Say(checklist_text(self.texts, items)))
        return says

    async def reopen(self, key: str) -> None:
        """Forget one answer from the review card; the flow asks it again, then returns here."""
        if key == "acts":
            store.delete_acts(self.case)
            store.delete_answer(self.case, "acts_more")
        elif self.flow.question(key) is not None:
            store.delete_answer(self.case, key)

    def prompt(self, question: Question, answers: dict[str, Any]) -> Say:
        if question.kind is Kind.REVIEW:
            return review_card(self, question, answers)
        text = self.texts(question.prompt)
        hint_key = question.prompt + ".hint"
        if self.texts.has(hint_key):
            text += "\n\n" + self.texts(hint_key)
        return Say(text, self.buttons(question, answers))

    def buttons(self, question: Question, answers: dict[str, Any]) -> list[list[Button]]:
        case_id = self.case.id
        rows: list[list[Button]] = []
        if question.kind is Kind.YES_NO:
            rows.append(
                [
                    (self.texts("conversation.yes"), data("q", case_id, question.key, "yes")),
                    (self.texts("conversation.no"), data("q", case_id, question.key, "no")),
                ]
            )
        elif question.kind is Kind.CHOICE:
            rows.extend(
                [(self.texts(choice.label), data("q", case_id, question.key, choice.value))]
                for choice in question.choices
            )
        elif question.kind is Kind.MULTI:
            rows.extend(self._multi_rows(question, answers))
        elif question.kind in (Kind.EVIDENCE, Kind.REVIEW):
            label = self.texts(f"conversation.done.{question.kind}")
            rows.append([(label, data("q", case_id, question.key, DONE))])
        nav: list[Button] = []
        if question.optional:
            nav.append(
                (self.texts("conversation.skip"), data("nav", case_id, "skip", question.key))
            )
        if answers:
            nav.append((self.texts("conversation.back"), data("nav", case_id, "back")))
        if nav:
            rows.append(nav)
        return rows

    def _multi_rows(self, question: Question, answers: dict[str, Any]) -> list[list[Button]]:
        items = answers.get("acts") or [{}]
        picked = items[-1].get(question.field + "~") or []
        rows = [
            [
                (
                    ("✅ " if choice.value in picked else "") + self.texts(choice.label),
                    data("q", self.case.id, question.key, choice.value),
                )
            ]
            for choice in question.choices
        ]
        rows.append(
            [(self.texts("conversation.done.multi"), data("q", self.case.id, question.key, DONE))]
        )
        return rows

    def refusal(self, position: Position, error: ParseError) -> Say:
        """The cause of the refusal, then the question again with an example."""
        question = position.question
        text = self.texts(error.code, **error.params)
        example_key = question.example or question.prompt + ".example"
        if self.texts.has(example_key):
            text += "\n" + self.texts("conversation.example", example=self.texts(example_key))
        return Say(text + "\n\n" + self.texts(question.prompt), self.buttons(question, {"_": 1}))


def _group_questions(flow: Flow) -> tuple[Question, ...]:
    from flows.questions import Group

    for step in flow.steps:
        if isinstance(step, Group):
            return step.questions
    return ()


def review_card(walk: Walk, question: Question, answers: dict[str, Any]) -> Say:
    """Every answer on one card, each with a button to change it, and one to confirm."""
    from bot.review import describe

    facts = applicable_facts(walk.flow, answers)
    lines = [walk.texts(question.prompt)]
    rows: list[list[Button]] = []
    for key, value in facts.items():
        if key in ("review", "acts_more", "evidence"):
            continue
        label = walk.texts(f"review.field.{key}")
        lines.append(f"• {label}: {describe(walk.texts, walk.flow, key, value)}")
        rows.append(
            [(walk.texts("review.change", field=label), data("rv", walk.case.id, "chg", key))]
        )
    rows.append([(walk.texts("conversation.done.review"), data("q", walk.case.id, "review", DONE))])
    return Say("\n".join(lines), rows)
