"""The update queue, kept in the database from receipt until each update is handled.

python-telegram-bot tells Telegram an update arrived as soon as it is queued in memory: polling
confirms a batch with its next getUpdates call, a webhook with its answer. A crash, or a stop,
with updates still queued lost them, and their senders heard nothing. Here each update of a user
is written (`received_updates`) before Telegram is told: the next getUpdates waits for the
batch before it to be written (ConfirmingRequest), a webhook's answer waits in `put`. Writes are
grouped: one transaction for what arrived meanwhile, and the updates handled meanwhile are
deleted in it. A start takes up what is left, oldest first, before any new update.

An update taken up again may have been applied before the stop (its replies perhaps not sent):
the handlers recognise it (handled_updates) and show the user where they are.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, Update
from telegram.error import NetworkError
from telegram.request import BaseRequest

from bot.storage import received
from bot.transport import AiohttpRequest
from bot.updates import owner_of

log = logging.getLogger(__name__)

UnitOfWork = Callable[[], AbstractAsyncContextManager[AsyncSession]]
# Handled updates are deleted in batches: at most this long after they finish.
FORGET_AFTER = 0.5
# Ids of updates this process queued lately, so that Telegram sending one again (it did not
# see the confirmation) is not handled twice.
REMEMBERED = 4096
# Webhook instances share the table: a row unhandled this long belongs to no live instance.
ORPHANED_AFTER = timedelta(seconds=60)


class Inbox(asyncio.Queue[object]):
    """The Application's update queue (ApplicationBuilder.update_queue)."""

    def __init__(self) -> None:
        super().__init__()
        self._unit_of_work: UnitOfWork | None = None
        self._write_rows: received.Write | None = None
        self._wait_in_put = False
        self._received: list[dict[str, Any]] = []
        self._handled: list[int] = []
        self._queued: OrderedDict[int, bool] = OrderedDict()  # id -> still to be handled
        self._next: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._forget_soon: asyncio.TimerHandle | None = None
        # Updates as getUpdates returned them, by id, until queued: storing them as they are
        # costs nothing, where rebuilding them (Update.to_dict) was 4% of the bot's CPU.
        self._as_sent: dict[int, dict[str, Any]] = {}

    def attach(self, unit_of_work: UnitOfWork, write: received.Write, *, webhook: bool) -> None:
        """Start writing: a webhook's answer waits for the write; polling's next call does."""
        self._unit_of_work = unit_of_work
        self._write_rows = write
        self._wait_in_put = webhook

    async def put(self, item: object) -> None:
        owner = owner_of(item)
        if self._unit_of_work is None or owner is None:
            await super().put(item)
            return
        assert isinstance(item, Update)
        as_sent = self._as_sent.pop(item.update_id, None)
        if item.update_id in self._queued:
            log.info("update %s: sent again while queued here, skipped", item.update_id)
            return
        self._remember(item.update_id)
        when = datetime.now(UTC)
        payload = as_sent if as_sent is not None else item.to_dict()
        row = {"update_id": item.update_id, "user_id": owner, "payload": payload}
        self._received.append(row | {"received_at": when})
        written = self._write_soon()
        super().put_nowait(item)
        if self._wait_in_put:
            try:
                await written
            except Exception:  # queued in memory all the same; the next write retries it
                log.warning("update %s: not written to the inbox yet", item.update_id)

    def keep_as_sent(self, updates: list[dict[str, Any]]) -> None:
        """getUpdates' result, decoded: what `put` stores for each of these updates."""
        if len(self._as_sent) > REMEMBERED:  # updates never queued (a stop): let them go
            self._as_sent.clear()
        for update in updates:
            self._as_sent[update["update_id"]] = update

    def finished(self, update: object) -> None:
        """The update's handlers are done (PerUserOrder): its row goes with the next write."""
        if not isinstance(update, Update) or not self._queued.get(update.update_id):
            return
        self._queued[update.update_id] = False
        self._handled.append(update.update_id)
        if self._forget_soon is None and self._next is None:
            loop = asyncio.get_running_loop()
            self._forget_soon = loop.call_later(FORGET_AFTER, self._write_soon)

    async def written(self) -> None:
        """Everything received so far is in the database (raises NetworkError if it is not)."""
        if not self._received and (self._writer is None or self._writer.done()):
            return
        try:
            await self._write_soon()
        except Exception as error:
            raise NetworkError(f"received updates could not be written: {error!r}") from error

    async def close(self) -> None:
        """At shutdown: forget what was handled. What is still queued stays for the next start."""
        if self._forget_soon is not None:
            self._forget_soon.cancel()
        if self._unit_of_work is not None and (self._handled or self._received):
            try:
                await self._write_soon()
            except Exception:
                log.warning("handled updates not forgotten; the next start shows where they are")

    async def take_up(self, bot: Bot, received_before: datetime) -> int:
        """Queue the unhandled updates received before a moment, oldest first; how many."""
        assert self._unit_of_work is not None
        async with self._unit_of_work() as session:
            rows, given_up = await received.take_up(session, received_before, datetime.now(UTC))
        for update_id in given_up:
            log.error(
                "update %s: never finished after %s starts, given up",
                update_id,
                received.MAX_RECOVERIES,
            )
        count = 0
        for update_id, payload in rows:
            if update_id in self._queued:
                continue
            update = Update.de_json(payload, bot)
            self._remember(update_id)
            super().put_nowait(update)
            count += 1
        if count:
            log.info("%s updates received before a stop and not handled: taken up", count)
        return count

    def _remember(self, update_id: int) -> None:
        self._queued[update_id] = True
        while len(self._queued) > REMEMBERED:
            oldest, pending = next(iter(self._queued.items()))
            if pending:  # a backlog this long: keep every id still to be handled
                break
            del self._queued[oldest]

    def _write_soon(self) -> asyncio.Future[None]:
        """The future of the write that will include everything received and handled so far."""
        if self._forget_soon is not None:
            self._forget_soon.cancel()
            self._forget_soon = None
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            if self._writer is None or self._writer.done():
                self._writer = asyncio.create_task(self._write_all())
        return self._next

    async def _write_all(self) -> None:
        """One write after another, each taking what arrived while the one before ran."""
        while self._next is not None:
            future, self._next = self._next, None
            rows, self._received = self._received, []
            handled, self._handled = self._handled, []
            try:
                await self._write(rows, handled)
            except Exception as error:
                self._received[:0], self._handled[:0] = rows, handled
                log.warning("the inbox could not be written: %r", error)
                future.set_exception(error)
                future.exception()  # nobody may be waiting: not an unretrieved error
            else:
                future.set_result(None)

    async def _write(self, rows: list[dict[str, Any]], handled: list[int]) -> None:
        assert self._write_rows is not None
        if rows or handled:
            await self._write_rows(rows, handled)


class ConfirmingRequest(AiohttpRequest):
    """The getUpdates transport: a call confirms the batch before it, so it waits until that
    batch is written."""

    __slots__ = ("_inbox",)

    def __init__(self, inbox: Inbox) -> None:
        super().__init__(connection_pool_size=1)
        self._inbox = inbox

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        await self._inbox.written()
        return await super().do_request(*args, **kwargs)

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        """Decoded once, as python-telegram-bot does; the updates are also kept for the inbox."""
        data = BaseRequest.parse_json_payload(payload)
        result = data.get("result")
        if isinstance(result, list):
            self._inbox.keep_as_sent(result)
        return data
