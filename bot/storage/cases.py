"""Cases, their answers (acts included, in the case's own row) and evidence, per update."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ids import parse_id
from bot.storage.models import Case, EvidenceItem, GeneratedText, User
from bot.storage.session import insert_or_update

GROUP_KEY = "acts"
_SAVE_TEXT = insert_or_update(
    cast(Table, GeneratedText.__table__),
    "user_id",
    "case_id",
    "kind",
    "body",
    key=("case_id", "kind"),
    update="body",
)


async def open_case(session: AsyncSession, user: User, flow: str) -> Case:
    case = Case(user_id=user.id, flow=flow, status="open")
    session.add(case)
    await session.flush()
    user.active_case_id = case.id
    return case


async def active_case(session: AsyncSession, user: User) -> Case | None:
    if user.active_case_id is None:
        return None
    case = await session.get(Case, user.active_case_id)
    return case if case is not None and case.user_id == user.id else None


async def owned_case(session: AsyncSession, user: User, case_id: int) -> Case | None:
    """The case if it belongs to this user; forged ids from callback data get None."""
    case = await session.get(Case, case_id)
    return case if case is not None and case.user_id == user.id else None


async def user_cases(session: AsyncSession, user: User) -> list[Case]:
    rows = await session.scalars(
        select(Case).where(Case.user_id == user.id).order_by(Case.created_at.desc(), Case.id.desc())
    )
    return list(rows)


def answers_of(case: Case) -> dict[str, Any]:
    """The case's answers with its acts as the `acts` list, as the flow engine reads them.

    Read-only: every write below replaces the value, so that the ORM sees the change.
    """
    return case.answers


def save_answer(case: Case, key: str, value: Any) -> None:
    case.answers = {**case.answers, key: value}


def delete_answer(case: Case, key: str) -> None:
    if key in case.answers:
        case.answers = {k: v for k, v in case.answers.items() if k != key}


def save_item_field(case: Case, item: int, field: str, value: Any) -> None:
    """Set one field of the act at `item`, creating the act when it is the next one."""
    acts = [dict(act) for act in case.answers.get(GROUP_KEY) or []]
    if item == len(acts):
        acts.append({})
    acts[item][field] = value
    case.answers = {**case.answers, GROUP_KEY: acts}


def delete_item_field(case: Case, item: int, field: str) -> None:
    """Remove one field of the act at `item`; an act left with no field goes too."""
    acts = [dict(act) for act in case.answers.get(GROUP_KEY) or []]
    if item >= len(acts) or field not in acts[item]:
        return
    del acts[item][field]
    if not acts[item]:
        del acts[item]
    if acts:
        case.answers = {**case.answers, GROUP_KEY: acts}
    else:
        delete_answer(case, GROUP_KEY)


async def add_evidence(session: AsyncSession, case: Case, **values: Any) -> EvidenceItem:
    item = EvidenceItem(user_id=case.user_id, case_id=case.id, **values)
    session.add(item)
    await session.flush()
    return item


async def case_evidence(session: AsyncSession, case: Case) -> list[EvidenceItem]:
    rows = await session.scalars(
        select(EvidenceItem).where(EvidenceItem.case_id == case.id).order_by(EvidenceItem.id)
    )
    return list(rows)


async def album_items(session: AsyncSession, case: Case, group: str) -> list[EvidenceItem]:
    rows = await session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.case_id == case.id, EvidenceItem.media_group_id == group)
        .order_by(EvidenceItem.id)
    )
    return list(rows)


async def count_cases(session: AsyncSession, user: User) -> int:
    return int(await session.scalar(select(func.count()).where(Case.user_id == user.id)) or 0)


async def save_texts(session: AsyncSession, case: Case, bodies: dict[str, str]) -> None:
    """The case's latest text of each kind: existing rows updated, the others inserted."""
    rows = [
        {"user_id": case.user_id, "case_id": case.id, "kind": kind, "body": body}
        for kind, body in bodies.items()
    ]
    if rows:
        await session.execute(_SAVE_TEXT, rows)


async def user_of(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def label_evidence(session: AsyncSession, case: Case, target: str, label: str) -> None:
    """Label one item (`target` is its id) or a whole album (`g` + media_group_id), in one
    UPDATE; an id or album that is not this case's changes nothing."""
    if target.startswith("g"):
        which = EvidenceItem.media_group_id == target[1:]
    elif (item_id := parse_id(target)) is not None:
        which = EvidenceItem.id == item_id
    else:
        return
    await session.execute(
        update(EvidenceItem).where(EvidenceItem.case_id == case.id, which).values(label=label)
    )


def delete_acts(case: Case) -> None:
    delete_answer(case, GROUP_KEY)
