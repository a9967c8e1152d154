"""Two `yabeda run` instances in webhook mode on one PostgreSQL, each user's updates spread.

The emulator posts every update to the next instance in turn (bot/emulator/fanout.py), so a
user's consecutive answers are handled by different processes. With realistic pacing (a user
waits for the reply before answering) every flow must end exactly as on one instance, nothing
lost or doubled, and due reminders go out once between the two dispatchers. Bursts (an album,
two answers typed without waiting) put two updates of one user in flight at once.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import func, select

from bot.emulator import BotApiEmulator, SimUser
from bot.emulator.fanout import RoundRobin, spread_webhook
from bot.storage.models import EvidenceItem, Reminder
from bot.storage.session import create_engine, session_factory
from tests.conftest import (
    TOKEN,
    _create_pg_database,
    _drop_pg_database,
    _pg_available,
    free_port,
)
from tests.dialog import Dialog, not_arrived_until_review
from tests.fakes.translation_server import FakeTranslationServer, Mode
from tests.images import tiny_jpeg
from tests.test_reliability_helpers import (
    TEXTS,
    Sessions,
    Walker,
    active_view,
    case_view,
    shown_question,
)
from tests.test_reminders_crash import reminder_ids, seed_due

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[1]
SECRET = "scale-out-secret"
INSTANCES = 2
REMINDERS = 200
FIRST_REMINDER_USER = 780_000


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    if not await _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running at 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")
    name = await _create_pg_database()
    yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    await _drop_pg_database(name)


def _env(emulator: BotApiEmulator, url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))}
    return env | {
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": url,
        "TELEGRAM_API_URL": emulator.api_url,
        "TELEGRAM_FILE_URL": emulator.file_url,
        "TRANSLATOR_URL": "http://127.0.0.1:9/",
        "REMINDERS_RATE": "500",
        "REMINDERS_CHAT_INTERVAL": "0",
        **extra,
    }


class Instance:
    """One `yabeda run` listening for webhooks on its own port."""

    def __init__(self, emulator: BotApiEmulator, url: str, port: int, **extra: str) -> None:
        self.url = f"http://127.0.0.1:{port}/telegram"
        env = _env(
            emulator,
            url,
            **extra,
            WEBHOOK_URL=self.url,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=SECRET,
            LOG_LEVEL="INFO",
        )
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    async def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(self.process.wait, 30)
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        self.log.close()
        return text


@dataclass
class Cluster:
    """The running instances, the spread of deliveries, and the shared database."""

    router: RoundRobin
    sessions: Sessions
    logs: list[str]


@pytest.fixture
async def cluster(emulator: BotApiEmulator, pg_url: str) -> AsyncIterator[Cluster]:
    """Migrated once (`yabeda migrate`), due reminders seeded, then both instances started."""
    async with running_cluster(emulator, pg_url, reminders=REMINDERS) as cluster:
        yield cluster


@pytest.fixture
async def translating_cluster(
    emulator: BotApiEmulator, pg_url: str, translation_server: FakeTranslationServer
) -> AsyncIterator[Cluster]:
    """Both instances on the fake translator, no reminders seeded."""
    async with running_cluster(emulator, pg_url, TRANSLATOR_URL=translation_server.url) as cluster:
        yield cluster


@asynccontextmanager
async def running_cluster(
    emulator: BotApiEmulator, pg_url: str, reminders: int = 0, **extra: str
) -> AsyncIterator[Cluster]:
    """The instances on a migrated database with `reminders` due; on the way out, no token and
    no error in a log."""
    migrate = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "migrate", cwd=ROOT, env=_env(emulator, pg_url),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert await asyncio.wait_for(migrate.wait(), 60) == 0
    if reminders:
        await seed_due(pg_url, reminders, first_user=FIRST_REMINDER_USER)
    instances = [Instance(emulator, pg_url, free_port(), **extra) for _ in range(INSTANCES)]
    router = spread_webhook(emulator, [instance.url for instance in instances])
    engine = create_engine(pg_url)
    cluster = Cluster(router, session_factory(engine), [])
    try:
        yield cluster
    finally:
        cluster.logs += [await instance.stop() for instance in instances]
        await engine.dispose()
    secret = TOKEN.split(":", 1)[1]
    for log in cluster.logs:
        assert TOKEN not in log and secret not in log
        assert [line for line in log.splitlines() if " ERROR " in line] == []


def signature(user: SimUser) -> list[str]:
    """The user's chat with numbers blanked: equal for users who did the same things."""
    return [re.sub(r"\d+", "#", reply.text[:60]) for reply in user.replies]


async def test_flows_spread_over_two_instances_end_as_on_one(
    emulator: BotApiEmulator, cluster: Cluster
) -> None:
    walkers = [Walker(emulator.user(790_000 + n), within=30) for n in range(8)]
    cases = await asyncio.wait_for(
        asyncio.gather(*(walker.finish_case() for walker in walkers)), 120
    )
    answers = [(await case_view(cluster.sessions, case)).answers for case in cases]
    reference = {k: v for k, v in answers[0].items() if k != "act.photo"}
    assert reference["order_number"] == "8123456789012345"
    assert reference["act.records"] == ["packaging_broken", "item_replaced"]
    for found in answers:
        assert {k: v for k, v in found.items() if k != "act.photo"} == reference
    first = signature(walkers[0].user)
    for walker in walkers[1:]:
        assert signature(walker.user) == first, "a reply lost, doubled or out of order"
    assert min(cluster.router.sent.values()) > 100, cluster.router.sent

    for _ in range(100):
        if len(reminder_ids(emulator)) >= REMINDERS:
            break
        await asyncio.sleep(0.1)
    seen = reminder_ids(emulator)
    assert {r: n for r, n in seen.items() if n > 1} == {}
    assert len(seen) == REMINDERS
    seeded = Reminder.user_id.between(FIRST_REMINDER_USER, FIRST_REMINDER_USER + REMINDERS)
    async with cluster.sessions() as session:
        statuses = set(await session.scalars(select(Reminder.status).where(seeded)))
    assert statuses <= {"sent", "sending"}


async def _at(walker: Walker, key: str) -> None:
    for _ in range(60):
        if shown_question(walker.since) == key:
            return
        await walker.step()
    raise AssertionError(f"never asked {key!r}")


async def _quiet(user: SimUser, quiet: float = 1.0, limit: float = 10.0) -> list[str]:
    """Every reply until the bot has been silent for `quiet` seconds."""
    texts: list[str] = []
    deadline = asyncio.get_running_loop().time() + limit
    while asyncio.get_running_loop().time() < deadline:
        try:
            texts += [r.text for r in await user.next_replies(timeout=quiet)]
        except TimeoutError:
            return texts
    return texts


@dataclass
class Bursts:
    """What bursts of one user's updates over two instances came to, counted per user."""

    weights: Counter[str] = field(default_factory=Counter)
    album_acks: Counter[int] = field(default_factory=Counter)
    album_items: Counter[int] = field(default_factory=Counter)


async def run_bursts(emulator: BotApiEmulator, cluster: Cluster, users: int) -> Bursts:
    """Each user types the two weights without waiting, then sends an album of three photos."""
    result = Bursts()

    async def one(n: int) -> None:
        walker = Walker(emulator.user(795_000 + n), within=30)
        await _at(walker, "act.declared_g")
        await walker.user.send_text("520 г")
        await walker.user.send_text("0,31 кг")
        await _quiet(walker.user)
        view = await active_view(cluster.sessions, walker.user.id)
        assert view is not None
        got = (view.answers.get("act.declared_g"), view.answers.get("act.actual_g"))
        outcome = {(520, 310): "in order", (310, 520): "swapped"}.get(got, f"other {got}")
        result.weights[outcome] += 1
        await walker.look()
        await _at(walker, "evidence")
        await walker.user.send_album([tiny_jpeg(n + 10), tiny_jpeg(n + 11), tiny_jpeg(n + 12)])
        texts = await _quiet(walker.user, quiet=2.5)
        ack = TEXTS("evidence.album_saved", count=3)
        result.album_acks[sum(t == ack for t in texts)] += 1
        async with cluster.sessions() as session:
            items = await session.scalar(
                select(func.count()).where(
                    EvidenceItem.user_id == walker.user.id, EvidenceItem.media_group_id.is_not(None)
                )
            )
        result.album_items[int(items or 0)] += 1

    await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(users))), 120)
    return result


async def test_bursts_of_one_user_over_two_instances_lose_and_double_nothing(
    emulator: BotApiEmulator, cluster: Cluster
) -> None:
    bursts = await run_bursts(emulator, cluster, users=10)
    print(f"\nbursts over two instances: {bursts}")
    assert bursts.album_items == Counter({3: 10}), "every photo of every album is kept"
    assert bursts.album_acks == Counter({1: 10}), "one acknowledgement per album"
    # Each typed weight is stored once, whichever instance took it first.
    assert set(bursts.weights) <= {"in order", "swapped"}, bursts.weights
    if bursts.weights["swapped"]:
        pytest.xfail(
            f"reported to the lead: {bursts.weights['swapped']} of 10 two-message bursts were "
            "taken in the wrong order; the per-user lock serialises a burst, it does not order it"
        )


async def test_a_tap_while_the_other_instance_translates_gets_the_texts_once(
    emulator: BotApiEmulator,
    translating_cluster: Cluster,
    translation_server: FakeTranslationServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The buyer taps "get the texts" twice; the instances take one tap each."""
    monkeypatch.setattr(translation_server, "slow_delay", 4.0)
    dialog = Dialog(emulator.user(796_001, language_code="ru"))
    translation_server.set_mode(Mode.SLOW)  # from the review card on, when the words go to it
    await not_arrived_until_review(dialog)
    await dialog.user.press("Всё верно — получить тексты")
    await asyncio.sleep(1)  # the first instance now waits for the translator
    await dialog.user.press("Всё верно — получить тексты")
    texts = await _quiet(dialog.user, quiet=6.0, limit=40)
    assert sum("Короткий текст на английском" in text for text in texts) == 1, texts
