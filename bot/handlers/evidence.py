"""Evidence (photos, albums, files, videos), its labels, the review card and stray input."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.context import BotContext
from bot.conversation import Walk
from bot.handlers.common import Turn, case_button, send, text_reply, turn, walk_of
from bot.storage import cases as store
from bot.storage.models import Case, EvidenceItem
from bot.storage.users import lock_user
from bot.ui import Say, data, send_says
from bot.updates import user_turn
from flows.evidence import LABELS
from flows.questions import Kind, Position

# Telegram delivers an album as separate messages within about a second.
ALBUM_SETTLE_SECONDS = 1.5
ALBUM_ACK = "_album_ack:"


def _media(message: Message) -> dict[str, Any] | None:
    """The stored description of a message's file, or None when it carries none."""
    if message.photo:
        size = message.photo[-1]
        return {"media": "photo", "file_id": size.file_id, "file_unique_id": size.file_unique_id}
    for kind in ("video", "video_note", "document"):
        item = getattr(message, kind)
        if item is not None:
            return {
                "media": kind,
                "file_id": item.file_id,
                "file_unique_id": item.file_unique_id,
                "file_name": getattr(item, "file_name", None),
                "mime_type": getattr(item, "mime_type", None),
            }
    return None


async def on_media(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    media = _media(message)
    if media is None:
        return
    async with turn(update, context) as t:
        case = await store.active_case(t.session, t.user)
        opened = case is None
        if case is None:
            case = await store.open_case(t.session, t.user, "complaint")
        walk = walk_of(t, case, context)
        position = walk.position()
        item = await store.add_evidence(
            t.session,
            case,
            **media,
            label="act" if _answers_act_photo(position, message) else None,
            media_group_id=message.media_group_id,
            message_id=message.message_id,
            forwarded=message.forward_origin is not None,
            caption=message.caption,
        )
        says = await _after_media(t, walk, position, item, context, opened)
    await send(update, context, says)


def _answers_act_photo(position: Position | None, message: Message) -> bool:
    """A single photo sent when the act's photo is asked for is that photo."""
    return (
        position is not None and position.question.kind is Kind.PHOTO and not message.media_group_id
    )


async def _after_media(
    t: Turn,
    walk: Walk,
    position: Position | None,
    item: EvidenceItem,
    context: BotContext,
    opened: bool,
) -> list[Say]:
    if item.label == "act" and position is not None:
        return [Say(t.texts("evidence.act_photo_saved")), *await walk.store(position, item.id)]
    if item.media_group_id:
        _schedule_album_ack(context, t, walk.case.id, item.media_group_id)
        return []
    says = [Say(t.texts("evidence.opened_for_it"))] if opened else []
    count = len(await store.case_evidence(t.session, walk.case))
    says.append(
        Say(t.texts("evidence.saved", number=count), _label_rows(t, walk.case.id, str(item.id)))
    )
    return says


def _label_rows(t: Turn, case_id: int, target: str) -> list[list[tuple[str, str]]]:
    labels = [
        (t.texts(f"evidence.label.{label}"), data("ev", case_id, target, label)) for label in LABELS
    ]
    return [labels[i : i + 2] for i in range(0, len(labels), 2)]


def _schedule_album_ack(context: BotContext, t: Turn, case_id: int, group: str) -> None:
    name = f"album:{group}"
    if context.job_queue is None or context.job_queue.get_jobs_by_name(name):
        return
    context.job_queue.run_once(
        _album_ack,  # type: ignore[arg-type]  # PTB types job callbacks by the default context
        ALBUM_SETTLE_SECONDS,
        name=name,
        data={"case_id": case_id, "group": group, "user_id": t.user.id},
        chat_id=t.user.chat_id,
    )


async def _album_ack(context: BotContext) -> None:
    """One acknowledgement for a whole album, once its photos have all arrived."""
    job = context.job
    assert job is not None and job.chat_id is not None
    info: dict[str, Any] = job.data  # type: ignore[assignment]
    async with user_turn(context.application, info["user_id"]), context.db() as session:
        await lock_user(session, info["user_id"])
        user = await store.user_of(session, info["user_id"])
        case = await store.owned_case(session, user, info["case_id"]) if user else None
        acknowledged = ALBUM_ACK + info["group"]
        # Each instance that got a photo of the album schedules this job; the first one answers.
        if user is None or case is None or acknowledged in store.answers_of(case):
            return
        store.save_answer(case, acknowledged, True)
        texts = context.texts_for(user)
        t = Turn(session, user, texts)
        count = len(await store.album_items(session, case, info["group"]))
        say = Say(
            texts("evidence.album_saved", count=count), _label_rows(t, case.id, "g" + info["group"])
        )
    await send_says(context.bot, job.chat_id, [say])


async def _label(t: Turn, case: Case, parts: list[str], context: BotContext) -> list[Say]:
    """`ev:case:item|gGROUP:label`: one tap labels an item or a whole album."""
    if len(parts) != 4 or parts[3] not in LABELS:
        return [Say(t.texts("conversation.stale_button"))]
    await store.label_evidence(t.session, case, parts[2], parts[3])
    walk = walk_of(t, case, context)
    note = t.texts("evidence.labelled", label=t.texts(f"evidence.label.{parts[3]}"))
    return [Say(note), *await walk.ask()]


async def _review(t: Turn, case: Case, parts: list[str], context: BotContext) -> list[Say]:
    """`rv:case:edit` shows the review card again; `rv:case:chg:key` reopens one answer."""
    t.user.active_case_id = case.id
    walk = walk_of(t, case, context)
    store.delete_answer(case, "review")
    if len(parts) == 4 and parts[2] == "chg":
        await walk.reopen(parts[3])
    return await walk.ask()


label_chosen = case_button(_label)
review_action = case_button(_review)


unknown_button = text_reply("conversation.stale_button")
unknown_command = text_reply("conversation.unknown_command")


async def unexpected_message(update: Update, context: BotContext) -> None:
    """Stickers, locations, contacts, edits: say what is expected and ask the question again."""
    edited = update.edited_message is not None
    async with turn(update, context) as t:
        case = await store.active_case(t.session, t.user)
        says = [Say(t.texts("conversation.edited" if edited else "conversation.unexpected"))]
        if case is not None:
            says += await walk_of(t, case, context).ask()
    await send(update, context, says)
