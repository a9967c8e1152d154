"""A user who answers whatever the bot asks, and the database's view of that user's case.

Shared by the reliability tests (kill -9, scale-out, fuzzing). The Walker reads the question
from the prompt text of the bot's last message, as a person would, answers it from a table, and
keeps what the bot acknowledged: an answer counts as accepted once a reply to it arrived (the
bot commits before it replies) and that reply is not the same question asked again (a refusal).
The tests at the bottom check the walker's own assumptions against the flow and the catalogs.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.emulator import Reply, SimUser
from bot.i18n import Catalogs
from bot.storage import cases as store
from bot.storage.models import Case, EvidenceItem, User
from flows.complaint import COMPLAINT
from flows.evidence import LABELS
from flows.questions import Group, Question, next_position
from tests.conftest import TOKEN
from tests.images import tiny_jpeg

TEXTS = Catalogs.load().for_language("ru")
Sessions = async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class Act:
    """How to answer one question: text, tap (a label's key), photo, multi, evidence."""

    kind: str
    value: str = ""
    options: tuple[str, ...] = ()


def text(value: str) -> Act:
    return Act("text", value)


def tap(label_key: str) -> Act:
    return Act("tap", label_key)


YES, NO, SKIP = tap("conversation.yes"), tap("conversation.no"), tap("conversation.skip")

# tests/test_complaint_e2e.py's empty parcel with soap inside, one act, a labelled video.
EMPTY_PARCEL: dict[str, Act] = {
    "problem": tap("complaint.problem.empty"),
    "anything_inside": YES,
    "inside_what": text("кусок мыла"),
    "site": tap("complaint.site.com"),
    "item_name": text("Xiaomi Redmi Note 12 Pro"),
    "order_number": text("8123456789012345"),
    "tracking": text("RA123456785CN"),
    "order_date": text("27.07.2024"),
    "shipped_on": text("30 июля 2024"),
    "amount": text("12 168,71 руб"),
    "store": SKIP,
    "receipt_confirmed": NO,
    "protection_end": text("12 дней"),
    "resolution": tap("complaint.resolution.full_refund"),
    "has_act": YES,
    "act.kind": tap("complaint.act.kind.opening"),
    "act.number": text("№ 123"),
    "act.date": text("19.08.2024"),
    "act.office": text("ММПО Внуково"),
    "act.declared_g": text("520 г"),
    "act.actual_g": text("0,31 кг"),
    "act.records": Act("multi", options=("packaging_broken", "item_replaced")),
    "act.refused": NO,
    "act.photo": Act("photo"),
    "acts_more": NO,
    "evidence": Act("evidence"),
    "description": text("Заказывала телефон, пришёл кусок мыла в пакете."),
    "review": tap("conversation.done.review"),
}
# Other branches, so that every question of the flow is asked by one of them.
VARIANTS: dict[str, dict[str, Act]] = {
    "empty": EMPTY_PARCEL,
    "not_arrived": EMPTY_PARCEL
    | {
        "problem": tap("complaint.problem.not_arrived"),
        "tracking_status": tap("complaint.tracking_status.stuck"),
        "receipt_confirmed": YES,
        "receipt_confirmed_on": text("20.08.2024"),
        "resolution": tap("complaint.resolution.partial_refund"),
        "partial_amount": text("$10"),
    },
    "quantity": EMPTY_PARCEL
    | {
        "problem": tap("complaint.problem.not_as_described"),
        "difference": tap("complaint.difference.quantity"),
        "ordered_qty": text("3"),
        "received_qty": text("1"),
    },
    "damaged": EMPTY_PARCEL
    | {
        "problem": tap("complaint.problem.damaged"),
        "damage": tap("complaint.damage.broken"),
        "packaging_damaged": YES,
        "act.refused": YES,
        "act.returned_on": text("21.08.2024"),
    },
}
# Walker actions that are not answers to a question.
NEW, LOOK, VIDEO, LABEL = "_new", "_look", "_video", "_label"


def questions() -> list[Question]:
    """Every question of the complaint flow, group questions included."""
    found: list[Question] = []
    for step in COMPLAINT.steps:
        found += [*step.questions, step.more] if isinstance(step, Group) else [step]
    return found


PROMPTS = {TEXTS(question.prompt): question.key for question in questions()}
LABEL_TEXTS = frozenset(TEXTS(f"evidence.label.{label}") for label in LABELS)
_OPENED = re.compile(re.escape(TEXTS("complaint.opened", case_id="@")).replace("@", r"(\d+)"))
# Replies after which the walker decides at once; others may be followed by a question.
ENDS = (TEXTS("results.next_steps"), TEXTS("conversation.case_complete"))


def question_in(message: str) -> str | None:
    """The key of the question a message asks (the longest prompt it contains)."""
    found = [(len(prompt), key) for prompt, key in PROMPTS.items() if prompt in message]
    return max(found)[1] if found else None


def shown_question(replies: list[Reply]) -> str | None:
    """The question the latest of these replies asks, if any."""
    for reply in reversed(replies):
        key = question_in(reply.text)
        if key is not None:
            return key
    return None


def is_answer(key: str) -> bool:
    """Whether a walker action answers a question (not /new, a look, a toggle, a video)."""
    return not key.startswith("_") and not key.endswith("~")


def _labels_shown(reply: Reply) -> bool:
    return any(label in LABEL_TEXTS for row in reply.buttons for label, _ in row)


def _conclusive(replies: list[Reply]) -> bool:
    last = replies[-1]
    return (
        question_in(last.text) is not None
        or _labels_shown(last)
        or any(end in last.text for end in ENDS)
    )


@dataclass
class Walker:
    """A user who answers the question on screen from `answers` and remembers what was accepted."""

    user: SimUser
    answers: dict[str, Act] = field(default_factory=lambda: EMPTY_PARCEL)
    within: float = 15.0
    case_id: int | None = None
    accepted: list[str] = field(default_factory=list)
    pending: str | None = None
    since: list[Reply] = field(default_factory=list)
    video_accepted: bool = False
    completed: list[int] = field(default_factory=list)
    looks: int = 0

    async def step(self) -> None:
        """One action chosen from the screen, then the bot's whole answer to it."""
        self.since += self.user.unread()  # late messages: a person reads them before acting
        key, act = self.next_action()
        self.pending, self.since = key, []
        await self.perform(act)
        await self.collect()
        self.settle()

    async def walk(self, steps: int) -> None:
        """Up to `steps` actions (bounded: a broken bot fails the test, it does not hang it)."""
        for _ in range(steps):
            await self.step()

    async def finish_case(self, limit: int = 80) -> int:
        """Act until the current case hands its texts back; the id of the finished case."""
        done = len(self.completed)
        for _ in range(limit):
            await self.step()
            if len(self.completed) > done:
                return self.completed[-1]
        raise AssertionError(f"user {self.user.id}: no texts after {limit} actions")

    def next_action(self) -> tuple[str, Act]:
        """What a user does next, looking at the bot's last answer."""
        replies = self.since
        if not replies and self.case_id is None:
            return NEW, text("/new")  # a new user starts a complaint
        if replies and _labels_shown(replies[-1]):
            return LABEL, tap("evidence.label.unpacking_video")
        key = shown_question(replies)
        if key is not None:
            return self._answer(key, replies)
        if (replies and any(end in replies[-1].text for end in ENDS)) or self.looks >= 2:
            return NEW, text("/new")
        return LOOK, Act("sticker")

    def _answer(self, key: str, replies: list[Reply]) -> tuple[str, Act]:
        act = self.answers[key]
        if act.kind == "evidence" and not self.video_accepted:
            return VIDEO, Act("video")
        if act.kind == "evidence":
            return key, tap("conversation.done.evidence")
        if act.kind != "multi":
            return key, act
        buttons = {label for reply in replies[-1:] for row in reply.buttons for label, _ in row}
        for option in act.options:
            label = TEXTS(f"complaint.act.records.{option}")
            if f"✅ {label}" not in buttons:
                return f"{key}~", Act("tap", f"complaint.act.records.{option}")
        return key, tap("conversation.done.multi")

    async def perform(self, act: Act) -> None:
        """Send the update that act stands for."""
        user = self.user
        if act.kind == "text":
            await user.send_text(act.value)
        elif act.kind == "tap":
            await user.press(TEXTS(act.value))
        elif act.kind == "photo":
            await user.send_photo(tiny_jpeg(user.id % 200 + 1))
        elif act.kind == "video":
            await user.send_video(tiny_jpeg(user.id % 200 + 2))
        elif act.kind == "sticker":
            await user.send_sticker()
        else:
            raise ValueError(act.kind)

    async def look(self) -> None:
        """A sticker: the bot says it cannot use it and shows the current question again.

        Messages of updates sent before (answered only now, after a restart) may come first;
        the screen is what follows the bot's answer to this sticker.
        """
        self.pending, self.since = LOOK, []
        await self.perform(Act("sticker"))
        unexpected = TEXTS("conversation.unexpected")
        replies: list[Reply] = []
        while not any(unexpected in reply.text for reply in replies):
            replies += await self.user.next_replies(timeout=self.within)
        last = max(i for i, reply in enumerate(replies) if unexpected in reply.text)
        self.since = replies[last:]
        await self.collect(first=False)
        self.settle()

    async def collect(self, grace: float = 0.3, *, first: bool = True) -> None:
        """Replies until one says what to do next; a note alone waits `grace` for more."""
        if first:
            self.since += await self.user.next_replies(timeout=self.within)
        while not _conclusive(self.since):
            try:
                self.since += await self.user.next_replies(timeout=grace)
            except TimeoutError:
                return

    def settle(self) -> None:
        """The pending action got its answer: record what the bot accepted."""
        key, self.pending = self.pending, None
        assert key is not None
        self.looks = self.looks + 1 if key == LOOK else 0
        if key == NEW:
            opened = next((m for r in self.since if (m := _OPENED.search(r.text))), None)
            if opened:
                self.adopt(int(opened.group(1)))
        elif key == VIDEO:
            self.video_accepted = True
        elif is_answer(key) and shown_question(self.since) != key:
            self.accepted.append(key)
        if key == "review" and self.case_id is not None:
            self.completed.append(self.case_id)

    def adopt(self, case_id: int) -> None:
        """A new case is the active one: nothing of it is accepted yet."""
        self.case_id, self.accepted, self.video_accepted = case_id, [], False

    def acknowledged(self) -> set[str]:
        """Answers the bot acknowledged, the pending one too if a non-refusal reply came."""
        seen = set(self.accepted)
        key = self.pending
        if key and self.since and is_answer(key) and shown_question(self.since) != key:
            seen.add(key)
        return seen


@dataclass
class CaseView:
    """One case as the database holds it: answers (acts flattened to act.<field>), evidence."""

    case_id: int
    status: str
    nested: dict[str, Any]
    answers: dict[str, Any]
    media: list[str]

    @property
    def next_key(self) -> str | None:
        position = next_position(COMPLAINT, self.nested)
        return position.question.key if position else None


def flatten(nested: dict[str, Any]) -> dict[str, Any]:
    """Answers with the first act's fields as act.<field>; drafts and markers left out."""
    # Keys outside the flow ("_album_ack:...") are the bot's bookkeeping, not answers.
    flat = {key: value for key, value in nested.items() if key != "acts" and key[0] != "_"}
    for field_name, value in (nested.get("acts") or [{}])[0].items():
        if not field_name.endswith("~") and not field_name.startswith("_"):
            flat[f"act.{field_name}"] = value
    return flat


async def case_view(sessions: Sessions, case_id: int) -> CaseView:
    """The case with that id."""
    async with sessions() as session:
        case = await session.get(Case, case_id)
        assert case is not None, case_id
        nested = store.answers_of(case)
        media = [item.media for item in await store.case_evidence(session, case)]
    return CaseView(case_id, case.status, nested, flatten(nested), media)


async def active_view(sessions: Sessions, user_id: int) -> CaseView | None:
    """The user's active case, or None."""
    async with sessions() as session:
        user = await session.get(User, user_id)
        case_id = user.active_case_id if user else None
    return await case_view(sessions, case_id) if case_id else None


def problems_of(walker: Walker, view: CaseView | None, reference: dict[str, Any]) -> list[str]:
    """What the database lost or invented, compared with what the bot acknowledged."""
    who = f"user {walker.user.id}"
    active = view.case_id if view is not None else None
    if active != walker.case_id:
        if walker.pending == NEW and (view is None or not view.answers):
            return []  # /new committed, its reply not seen yet
        return [f"{who}: active case {active}, acknowledged {walker.case_id}"]
    if view is None:
        return []
    problems = []
    acknowledged = walker.acknowledged()
    for key in sorted(acknowledged):
        if key not in view.answers:
            problems.append(f"{who}: acknowledged {key!r} is not in case {view.case_id}")
        elif key != "act.photo" and view.answers[key] != reference[key]:
            problems.append(f"{who}: {key!r} = {view.answers[key]!r}, sent {reference[key]!r}")
    invented = set(view.answers) - acknowledged - {walker.pending}
    if invented:
        problems.append(f"{who}: stored but never acknowledged or sent: {sorted(invented)}")
    if walker.video_accepted and "video" not in view.media:
        problems.append(f"{who}: the acknowledged video is not in case {view.case_id}")
    return problems


async def seed_at(
    sessions: Sessions, user_id: int, nested: dict[str, Any], order: list[str], key: str
) -> int:
    """A user whose case has every answer given before `key` (in `order`); the case id."""
    before = order[: order.index(key)]
    act = (nested.get("acts") or [{}])[0]
    act_fields = {k[4:]: act[k[4:]] for k in before if k.startswith("act.")}
    if "photo" in act_fields:
        act_fields["photo"] = None  # the template's evidence id means nothing here
    async with sessions.begin() as session:
        session.add(User(id=user_id, chat_id=user_id, language="ru", blocked=False))
        await session.flush()
        answers = {k: nested[k] for k in before if not k.startswith("act.")}
        if act_fields:
            answers["acts"] = [act_fields]
        case = Case(user_id=user_id, flow="complaint", status="open", answers=answers)
        session.add(case)
        await session.flush()
        (await session.get(User, user_id)).active_case_id = case.id  # type: ignore[union-attr]
        return case.id


async def evidence_count(sessions: Sessions, case_id: int) -> int:
    async with sessions() as session:
        rows = await session.scalars(select(EvidenceItem.id).where(EvidenceItem.case_id == case_id))
        return len(list(rows))


class LogCapture(logging.Handler):
    """Every record at DEBUG and up, the token looked for in each, failures kept."""

    # Chatty at DEBUG and never near the token: kept at INFO so that the capture stays cheap.
    QUIET = ("aiosqlite", "sqlalchemy", "asyncio", "hpack", "tornado")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.errors: list[str] = []
        self.token_seen: list[str] = []
        self._levels: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += "\n" + (
                record.exc_text or logging.Formatter().formatException(record.exc_info)
            )
        if TOKEN in message or TOKEN.split(":", 1)[1] in message:
            self.token_seen.append(message[:300])
        if record.levelno >= logging.ERROR:
            self.errors.append(message)

    def __enter__(self) -> LogCapture:
        root = logging.getLogger()
        self._levels = {"": root.level} | {n: logging.getLogger(n).level for n in self.QUIET}
        root.addHandler(self)
        root.setLevel(logging.DEBUG)
        for name in self.QUIET:
            logging.getLogger(name).setLevel(logging.INFO)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger().removeHandler(self)
        for name, level in self._levels.items():
            logging.getLogger(name or None).setLevel(level)


def cause(error: str) -> str:
    """The exception line of a logged failure (its last meaningful line)."""
    lines = [line for line in error.strip().splitlines() if not line.startswith("(Background")]
    return lines[-1] if lines else error


# The walker's own assumptions.


def test_every_question_is_recognised_by_its_prompt() -> None:
    for question in questions():
        shown = TEXTS(question.prompt) + "\n\n" + TEXTS("conversation.example", example="x")
        assert question_in(shown) == question.key


def test_the_variants_answer_every_question_of_the_flow() -> None:
    keys = {question.key for question in questions()}
    answered = set().union(*(variant.keys() for variant in VARIANTS.values()))
    assert keys <= answered, keys - answered


def test_the_opened_message_gives_the_case_id() -> None:
    match = _OPENED.search(TEXTS("complaint.opened", case_id=42))
    assert match is not None and match.group(1) == "42"


async def test_settle_tells_a_refusal_from_an_accepted_answer() -> None:
    walker = Walker(user=None)  # type: ignore[arg-type]
    walker.case_id, walker.pending = 1, "order_number"
    walker.since = [
        _reply(TEXTS("parse.order.too_short") + "\n\n" + TEXTS("complaint.ask.order_number"))
    ]
    walker.settle()
    assert walker.accepted == []
    walker.pending = "order_number"
    walker.since = [_reply(TEXTS("complaint.ask.tracking"))]
    walker.settle()
    assert walker.accepted == ["order_number"]
    await asyncio.sleep(0)


def _reply(message: str) -> Reply:
    return Reply("sendMessage", 1, {"message_id": 1, "text": message})
