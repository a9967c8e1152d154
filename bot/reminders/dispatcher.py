"""Sends what is due: claim a batch with a lease, pace it, commit each before its last byte.

The protocol per reminder (transport.py holds the last byte back, guard.py commits):
1. claim: pending -> claimed, with a lease, in one short transaction (SKIP LOCKED on PostgreSQL);
2. send: the request is written but for its last byte; claimed -> sending is committed only if
   this dispatcher still holds the claim; then the last byte goes out;
3. Telegram answers: sending -> sent; a refusal (429, 5xx, 403) puts the row back or cancels it.
A crash in 1-2 leaves a claim that expires and is sent later; a crash after 2 leaves "sending",
which the sweep counts as sent. Residual windows: a process that dies in the instant between the
commit of 2 and the write of the last byte loses that reminder (never doubles it); a live
dispatcher whose complete request gets no answer (timeout, reset) cannot know whether Telegram
took it and sends it again later, preferring a rare double to a missed deadline.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import uuid
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.i18n import Catalogs
from bot.reminders import store
from bot.reminders.config import ReminderConfig
from bot.reminders.guard import guard_for
from bot.reminders.messages import after_key, reminder_say
from bot.reminders.pacing import Pacer
from bot.reminders.planner import REPLAN, Planning, sync_case
from bot.reminders.timeline import rules_for, timeline_of
from bot.reminders.transport import TICKET, ClaimLostError, Ticket
from bot.storage.models import Case, User
from bot.ui import Say
from flows.deadlines import past_deadlines
from flows.rules import Rules
from flows.schedule import shift_out_of_quiet_hours

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
# Telegram's answers that mean the chat is gone for good.
GONE = ("chat not found", "user is deactivated", "bot was blocked")


class Dispatcher:
    """One per bot process; several may share a PostgreSQL database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bot: Bot,
        catalogs: Catalogs,
        rules: Rules,
        default_zone: str,
        clock: Clock,
        config: ReminderConfig | None = None,
    ) -> None:
        self.sessions = sessions
        self.guard = guard_for(sessions.kw["bind"])
        self.bot = bot
        self.catalogs = catalogs
        self.rules = rules
        self.default_zone = default_zone
        self.clock = clock
        self.config = config or ReminderConfig()
        self.owner = uuid.uuid4().hex
        self.pacer = Pacer(self.config.rate, self.config.chat_interval)
        self.stats: Counter[str] = Counter()
        self.on_next: Callable[[datetime | None], None] = lambda _moment: None
        self.on_poke: Callable[[datetime], None] = lambda _moment: None
        self._lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(self.config.in_flight)
        self._confirmed: list[tuple[int, int]] = []
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._poked: datetime | None = None

    async def run_once(self) -> int:
        """Send everything due now; how many messages Telegram accepted."""
        async with self._lock:
            return await self._drain()

    def poke(self, moment: datetime) -> None:
        """A reminder was planned for `moment` (called after the commit that stored it)."""
        self._poked = moment if self._poked is None else min(self._poked, moment)
        self.on_poke(moment)

    def planning(self) -> Planning:
        """What a handler needs to plan a case now, with this dispatcher woken afterwards."""
        return Planning(self.rules, self.default_zone, self.clock(), self.poke)

    def kick(self) -> None:
        """Start a pass in the background (or another one after the current)."""
        if self._stopping:
            return
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._background())

    async def settled(self) -> None:
        """Wait for the background pass in progress, if any (benchmarks, tests)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def stop(self) -> None:
        """Finish the messages in flight, give unsent claims back."""
        self._stopping = True
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        self.guard.close()

    async def next_moment(self) -> datetime | None:
        """When the next reminder falls due or a lease runs out."""
        async with self.sessions() as session:
            return await store.next_moment(session)

    async def _background(self) -> None:
        while True:
            self._again = False
            try:
                await self.run_once()
            except Exception:  # the safety wake-up retries; the rows are the truth
                log.exception("reminder dispatch pass failed")
            if self._stopping or not self._again:
                break
        if not self._stopping:
            self.on_next(await self._next_moment_with_pokes())

    async def _next_moment_with_pokes(self) -> datetime | None:
        """The next moment, counting reminders planned while the query ran.

        Their commit may be newer than what the query read, and their poke has already armed
        the wake-up: arming the query's later moment (or none) would drop it.
        """
        self._poked = None
        moment = await self.next_moment()
        poked, self._poked = self._poked, None
        if poked is None:
            return moment
        return poked if moment is None else min(moment, poked)

    async def _drain(self) -> int:
        sent = 0
        await self._sweep()
        while not self._stopping:
            batch = await self._claim()
            if batch is None:
                break
            sent += await self._send_batch(batch)
            await self._flush()
        return sent

    async def _sweep(self) -> None:
        async with self.sessions() as session, session.begin():
            released, settled = await store.sweep(session, self.clock())
        if released or settled:
            log.warning(
                "expired leases: %d claims released, %d unconfirmed sends", released, settled
            )
        self.stats["unconfirmed"] += settled

    async def _claim(self) -> list[store.Due] | None:
        """The next batch to send; None when nothing is due."""
        now = self.clock()
        lease = now + timedelta(seconds=self.config.lease_seconds)
        async with self.sessions() as session, session.begin():
            claimed = await store.claim(session, self.owner, now, lease, self.config.batch_size())
            if not claimed:
                return None
            batch = await self._triage(session, claimed, now)
        await self._replan([d for d in claimed if d.kind == REPLAN])
        return batch

    async def _triage(
        self, session: AsyncSession, claimed: list[store.Due], now: datetime
    ) -> list[store.Due]:
        """Keep what may go now; blocked users' reminders end, quiet hours wait for morning."""
        stale = _superseded(claimed)
        gone = [d.id for d in claimed if d.id in stale or (d.blocked and d.kind != REPLAN)]
        await store.cancel(session, gone)
        ready: list[store.Due] = []
        later: dict[datetime, list[int]] = {}
        for due in claimed:
            if due.blocked or due.kind == REPLAN or due.id in stale:
                continue
            morning = self._out_of_quiet(due, now)
            if morning > now:
                later.setdefault(morning, []).append(due.id)
            else:
                ready.append(due)
        for moment, ids in later.items():
            await store.defer(session, ids, self.owner, moment)
        self.stats["deferred"] += sum(len(ids) for ids in later.values())
        return ready

    def _out_of_quiet(self, due: store.Due, now: datetime) -> datetime:
        rules = rules_for(_user_view(due), self.rules)
        return shift_out_of_quiet_hours(now, self._zone(due), rules)

    def _zone(self, due: store.Due) -> ZoneInfo:
        try:
            return ZoneInfo(due.timezone or self.default_zone)
        except (ValueError, KeyError):
            return ZoneInfo(self.default_zone)

    async def _replan(self, rows: list[store.Due]) -> None:
        """Silent rows: plan their case again (a deadline has passed since the last plan)."""
        for due in rows:
            async with self.sessions() as session, session.begin():
                case = await session.get(Case, due.case_id)
                user = await session.get(User, due.user_id)
                if case is None or user is None:
                    continue
                planning = Planning(self.rules, self.default_zone, self.clock())
                await sync_case(session, case, user, planning)
            self.stats["replanned"] += 1

    async def _send_batch(self, batch: list[store.Due]) -> int:
        """Send in order of readiness: each chat at most once per chat_interval."""
        heap = [(0.0, position, due) for position, due in enumerate(batch)]
        tasks: list[asyncio.Task[int]] = []
        while heap and not self._stopping:
            at, position, due = heap[0]
            free = self.pacer.chat_free_at(due.chat_id)
            if free > at:
                heapq.heapreplace(heap, (free, position, due))
                continue
            heapq.heappop(heap)
            await self.pacer.acquire(due.chat_id, at)
            await self._slots.acquire()
            task = asyncio.get_running_loop().create_task(self._send(due))
            task.add_done_callback(lambda _task: self._slots.release())
            tasks.append(task)
        results = await asyncio.gather(*tasks)
        if heap:
            async with self.sessions() as session, session.begin():
                await store.release(session, [due.id for _, _, due in heap], self.owner)
        return sum(results)

    async def _send(self, due: store.Due) -> int:
        """One reminder through the guarded transport; 1 if Telegram took it."""
        now = self.clock()
        lease = now + timedelta(seconds=self.config.lease_seconds + self.config.request_timeout)
        marker = self.guard.marker(due.id, self.owner, now, lease)
        try:
            say = await self._render(due)
            TICKET.set(Ticket(marker.commit, marker.close))
            message = await self.bot.send_message(due.chat_id, say.text, reply_markup=say.markup())
        except Exception as error:  # every failure is sorted below; none may stop the batch
            await marker.close()
            await self._failed(due, error, TICKET.get())
            return 0
        self._confirmed.append((due.id, message.message_id))
        self.stats["sent"] += 1
        if len(self._confirmed) >= 50:
            await self._flush()
        return 1

    async def _render(self, due: store.Due) -> Say:
        texts = self.catalogs.for_language(due.language)
        today = self.clock().astimezone(self._zone(due)).date()
        assert due.deadline_kind is not None and due.deadline is not None
        after = await self._after(due, today) if due.deadline < today else None
        return reminder_say(
            texts, due.id, due.case_id, due.deadline_kind, due.deadline, today, after
        )

    async def _after(self, due: store.Due, today: date) -> str | None:
        """The "what can still be done" key for a deadline that has passed."""
        async with self.sessions() as session:
            case = await session.get(Case, due.case_id)
            timeline = await timeline_of(session, case) if case is not None else None
        passed = past_deadlines(timeline, self.rules, today) if timeline else []
        assert due.deadline_kind is not None
        return after_key(due.deadline_kind, passed)

    async def _failed(self, due: store.Due, error: Exception, ticket: Ticket | None) -> None:
        if isinstance(error.__cause__, ClaimLostError) or isinstance(error, ClaimLostError):
            self.stats["lost_claims"] += 1
            return
        now = self.clock()
        async with self.sessions() as session, session.begin():
            if isinstance(error, RetryAfter):
                seconds = _seconds(error)
                self.pacer.pause(seconds)
                self.stats["retry_after"] += 1
                await store.retry(
                    session, due.id, self.owner, now + timedelta(seconds=seconds), failed=False
                )
            elif isinstance(error, Forbidden) or _gone(error):
                self.stats["blocked"] += 1
                await store.block_user(session, due.user_id, due.id)
            else:
                self.stats["failed"] += 1
                unknown = ticket is not None and ticket.completed
                log.warning(
                    "reminder %s failed (attempt %d%s): %r",
                    due.id,
                    due.attempts + 1,
                    ", outcome unknown" if unknown else "",
                    error,
                )
                await store.retry(
                    session, due.id, self.owner, now + self._backoff(due), failed=True
                )

    def _backoff(self, due: store.Due) -> timedelta:
        seconds = self.config.backoff_seconds * 2 ** min(due.attempts, 20)
        return timedelta(seconds=min(seconds, self.config.backoff_max_seconds))

    async def _flush(self) -> None:
        """Record Telegram's acceptances (a crash before this only leaves rows "sending")."""
        confirmed, self._confirmed = self._confirmed, []
        if confirmed:
            async with self.sessions() as session, session.begin():
                await store.confirm(session, confirmed)


def _superseded(claimed: list[store.Due]) -> set[int]:
    """Several overdue reminders of one deadline: only the latest is worth sending."""
    latest: dict[tuple[int, str | None, object], store.Due] = {}
    for due in claimed:
        if due.kind != REPLAN:
            latest[(due.case_id, due.deadline_kind, due.deadline)] = due
    keep = {due.id for due in latest.values()}
    return {d.id for d in claimed if d.kind != REPLAN and d.id not in keep}


def _seconds(error: RetryAfter) -> float:
    """retry_after in seconds, int today and timedelta in PTB's next major version."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        retry_after = error.retry_after
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)


def _gone(error: Exception) -> bool:
    return isinstance(error, BadRequest) and any(g in str(error).lower() for g in GONE)


def _user_view(due: store.Due) -> User:
    return User(quiet_start=due.quiet_start, quiet_end=due.quiet_end)
