"""Queries about cases: answers, post-office acts and evidence, read and written per update."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ids import parse_id
from bot.storage.models import Answer, Case, EvidenceItem, GeneratedText, PostOfficeAct, User

GROUP_KEY = "acts"


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


async def load_answers(session: AsyncSession, case: Case) -> dict[str, Any]:
    """The case's answers with its acts as the `acts` list, as the flow engine reads them."""
    rows = await session.scalars(select(Answer).where(Answer.case_id == case.id))
    answers: dict[str, Any] = {row.key: row.value for row in rows}
    acts = await session.scalars(
        select(PostOfficeAct)
        .where(PostOfficeAct.case_id == case.id)
        .order_by(PostOfficeAct.position)
    )
    items = [dict(act.fields) for act in acts]
    if items:
        answers[GROUP_KEY] = items
    return answers


async def save_answer(session: AsyncSession, case: Case, key: str, value: Any) -> None:
    row = await session.scalar(select(Answer).where(Answer.case_id == case.id, Answer.key == key))
    if row is None:
        session.add(Answer(user_id=case.user_id, case_id=case.id, key=key, value=value))
    else:
        row.value = value
    await session.flush()


async def delete_answer(session: AsyncSession, case: Case, key: str) -> None:
    await session.execute(delete(Answer).where(Answer.case_id == case.id, Answer.key == key))


async def save_item_field(
    session: AsyncSession, case: Case, item: int, field: str, value: Any
) -> None:
    """Set one field of the act at `item`, creating the act when it is the next one."""
    act = await session.scalar(
        select(PostOfficeAct).where(
            PostOfficeAct.case_id == case.id, PostOfficeAct.position == item
        )
    )
    if act is None:
        act = PostOfficeAct(user_id=case.user_id, case_id=case.id, position=item, fields={})
        session.add(act)
    # A new dict, so that SQLAlchemy sees the JSON column change.
    act.fields = {**act.fields, field: value}
    await session.flush()


async def delete_item_field(session: AsyncSession, case: Case, item: int, field: str) -> None:
    act = await session.scalar(
        select(PostOfficeAct).where(
            PostOfficeAct.case_id == case.id, PostOfficeAct.position == item
        )
    )
    if act is None:
        return
    fields = {k: v for k, v in act.fields.items() if k != field}
    if fields:
        act.fields = fields
    else:
        await session.delete(act)
    await session.flush()


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


async def generated_texts(session: AsyncSession, case: Case) -> list[GeneratedText]:
    rows = await session.scalars(select(GeneratedText).where(GeneratedText.case_id == case.id))
    return list(rows)


async def user_of(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def label_evidence(session: AsyncSession, case: Case, target: str, label: str) -> None:
    """Label one item (`target` is its id) or a whole album (`g` + media_group_id)."""
    if target.startswith("g"):
        items = await album_items(session, case, target[1:])
    elif (item_id := parse_id(target)) is not None:
        item = await session.get(EvidenceItem, item_id)
        items = [item] if item is not None and item.case_id == case.id else []
    else:
        items = []
    for item in items:
        item.label = label


async def delete_acts(session: AsyncSession, case: Case) -> None:
    await session.execute(delete(PostOfficeAct).where(PostOfficeAct.case_id == case.id))
