"""kill -9 at random moments while users answer: nothing acknowledged is lost, none invented.

The bot runs as `yabeda run` in a child process against the emulator in this process; three
users answer the empty-parcel flow as fast as the bot replies. Each round: start the bot, each
user sends a sticker (the bot answers it with the current question: it must be the first
question the database has no answer to), the users answer for a random moment, SIGKILL.
With the bot down, every answer the bot acknowledged in the chat must be in the database with
the value sent, and nothing may be stored that the users did not send. At the end every user
finishes; each finished case must hold exactly the reference answers.
bench/kill_rounds.py runs the same with 100 rounds.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import select

from bot.emulator import BotApiEmulator
from bot.storage.models import Case
from bot.storage.session import create_engine, session_factory
from tests.conftest import TOKEN
from tests.dialog import Dialog, not_arrived_until_review
from tests.fakes.translation_server import FakeTranslationServer, Mode
from tests.test_reliability_helpers import (
    CaseView,
    Sessions,
    Walker,
    active_view,
    case_view,
    problems_of,
    shown_question,
)

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 20
USERS = 3
FIRST_USER = 710_000
REFERENCE_USER = 709_999


class BotProcess:
    """`yabeda run` in a child process, logging at DEBUG into a temporary file."""

    def __init__(self, emulator: BotApiEmulator, url: str, **extra: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_"))}
        env |= {
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": url,
            "TELEGRAM_API_URL": emulator.api_url,
            "TELEGRAM_FILE_URL": emulator.file_url,
            "TRANSLATOR_URL": "http://127.0.0.1:9/",
            "LOG_LEVEL": "DEBUG",
            **extra,
        }
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in output()
        command = [sys.executable, "-m", "bot.cli", "run"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    async def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert await asyncio.to_thread(self.process.wait, 30) == -signal.SIGKILL

    async def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(self.process.wait, 30)

    def output(self) -> str:
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        self.log.close()
        return text


@dataclass
class KillSummary:
    """What the rounds saw; problems must stay empty."""

    rounds: int = 0
    problems: list[str] = field(default_factory=list)
    at_kill: Counter[str] = field(default_factory=Counter)
    # The action each user was waiting on at the kill: which steps of the flow were hit.
    actions: Counter[str] = field(default_factory=Counter)
    finished_cases: int = 0
    logs: list[str] = field(default_factory=list)


async def kill_rounds(
    emulator: BotApiEmulator, url: str, rounds: int, rng: random.Random
) -> KillSummary:
    """`rounds` kills at random moments; every check's failures collected in the summary."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    summary = KillSummary()
    walkers = [Walker(emulator.user(FIRST_USER + n)) for n in range(USERS)]
    try:
        reference = await _reference(emulator, url, sessions, summary)
        for _ in range(rounds):
            await _one_round(emulator, url, sessions, walkers, reference, rng, summary)
        await _finish_all(emulator, url, sessions, walkers, reference, summary)
    finally:
        await engine.dispose()
    return summary


async def _reference(
    emulator: BotApiEmulator, url: str, sessions: Sessions, summary: KillSummary
) -> dict[str, Any]:
    """The answers an undisturbed run stores: what every finished case must hold."""
    bot = BotProcess(emulator, url)
    try:
        walker = Walker(emulator.user(REFERENCE_USER), within=60)
        case_id = await walker.finish_case()
    finally:
        await bot.terminate()
        summary.logs.append(bot.output())
    return (await case_view(sessions, case_id)).answers


async def _one_round(
    emulator: BotApiEmulator,
    url: str,
    sessions: Sessions,
    walkers: list[Walker],
    reference: dict[str, Any],
    rng: random.Random,
    summary: KillSummary,
) -> None:
    bot = BotProcess(emulator, url)
    try:
        for walker in walkers:
            summary.problems += await _resume(walker, sessions, reference)
        tasks = [asyncio.create_task(walker.walk(10_000)) for walker in walkers]
        await asyncio.sleep(rng.uniform(0.02, 0.5))
        await bot.kill()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await bot.terminate()
        summary.logs.append(bot.output())
    summary.rounds += 1
    for walker in walkers:
        view = await active_view(sessions, walker.user.id)
        summary.at_kill[_moment(walker)] += 1
        summary.actions[walker.pending or "-"] += 1
        summary.problems += problems_of(walker, view, reference)


def _moment(walker: Walker) -> str:
    """Where the kill caught this user: idle, update sent, or answer half received."""
    if walker.pending is None:
        return "between actions"
    return "answer partly received" if walker.since else "update sent, no reply yet"


async def _resume(walker: Walker, sessions: Sessions, reference: dict[str, Any]) -> list[str]:
    """A sticker after the restart: the bot must show the first unanswered question."""
    in_flight = walker.pending
    await walker.look()
    view = await active_view(sessions, walker.user.id)
    who = f"user {walker.user.id}"
    problems = []
    shown = shown_question(walker.since)
    expected = view.next_key if view is not None else None
    if shown != expected:
        problems.append(f"{who}: after the restart the bot asks {shown!r}, not {expected!r}")
    if view is not None and view.case_id == walker.case_id:
        invented = set(view.answers) - set(walker.accepted) - {in_flight}
        lost = set(walker.accepted) - set(view.answers)
        if invented or lost:
            problems.append(f"{who}: after the restart lost {lost}, invented {invented}")
    _sync(walker, view, reference)
    return problems


def _sync(walker: Walker, view: CaseView | None, reference: dict[str, Any]) -> None:
    """The walker takes the database's word (checked just before) for what it holds."""
    if view is None:
        walker.case_id, walker.accepted, walker.video_accepted = None, [], False
        return
    walker.case_id = view.case_id
    walker.accepted = [key for key in reference if key in view.answers]
    walker.video_accepted = "video" in view.media


async def _finish_all(
    emulator: BotApiEmulator,
    url: str,
    sessions: Sessions,
    walkers: list[Walker],
    reference: dict[str, Any],
    summary: KillSummary,
) -> None:
    """Everyone finishes the case in hand; every finished case holds the reference answers."""
    bot = BotProcess(emulator, url)
    try:
        for walker in walkers:
            summary.problems += await _resume(walker, sessions, reference)
        await asyncio.gather(*(walker.finish_case() for walker in walkers))
    finally:
        await bot.terminate()
        summary.logs.append(bot.output())
    for walker in walkers:
        async with sessions() as session:
            ready = list(
                await session.scalars(
                    select(Case.id).where(Case.user_id == walker.user.id, Case.status == "ready")
                )
            )
        summary.finished_cases += len(ready)
        for case_id in ready:
            answers = (await case_view(sessions, case_id)).answers
            differ = {
                key: (answers.get(key), reference[key])
                for key in set(answers) | set(reference)
                if key != "act.photo" and answers.get(key) != reference.get(key)
            }
            if differ:
                summary.problems.append(f"finished case {case_id} differs: {differ}")


def log_problems(logs: list[str]) -> list[str]:
    """The token anywhere, or a handler's failure, in the bots' logs."""
    secret = TOKEN.split(":", 1)[1]
    found = []
    for number, log in enumerate(logs):
        if TOKEN in log or secret in log:
            found.append(f"run {number}: the token is in the log")
        found += [
            f"run {number}: {line}"
            for line in log.splitlines()
            if " ERROR " in line and "failed" in line
        ]
    return found


@pytest.mark.slow
async def test_sigkill_at_random_moments_loses_nothing_acknowledged(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'kill.sqlite3'}"
    summary = await asyncio.wait_for(
        kill_rounds(emulator, url, ROUNDS, random.Random()), timeout=150
    )
    assert summary.problems == []
    assert log_problems(summary.logs) == []
    assert summary.rounds == ROUNDS
    assert summary.finished_cases >= USERS


# The item, the order number and the tracking number, typed one after another without waiting.
BURST = ("Xiaomi Redmi Note 12 Pro", "8123456789012345", "RA123456785CN")


async def test_a_kill_with_confirmed_updates_still_queued_loses_none_of_them(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    """Telegram was told the answers arrived; the bot died before handling them: the next
    start handles them, in order, and the buyer hears the question after the last."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'queued.sqlite3'}"
    dialog = Dialog(emulator.user(712_001, language_code="ru"))
    bot = BotProcess(emulator, url)
    try:
        await dialog.say("/new")
        await dialog.tap("Посылка не пришла")
        await dialog.tap("Статус давно не меняется")
        await dialog.tap("aliexpress.com (глобальный)")
        # The first answer's reply never comes back: the others wait behind it, confirmed.
        emulator.faults.hang("sendMessage", chat_id=dialog.user.id)
        for text in BURST:
            await dialog.user.send_text(text)
        for _ in range(100):
            if len(emulator.state.updates) == 0:
                break
            await asyncio.sleep(0.05)
        assert len(emulator.state.updates) == 0, "Telegram was told every answer arrived"
        await bot.kill()
    finally:
        await bot.terminate()
        bot.output()
    emulator.faults.clear()
    bot = BotProcess(emulator, url)
    try:
        await dialog._collect()
    finally:
        await bot.terminate()
        log = bot.output()
    engine = create_engine(url)
    try:
        view = await active_view(session_factory(engine), dialog.user.id)
    finally:
        await engine.dispose()
    assert view is not None
    assert (view.answers["item_name"], view.answers["order_number"]) == BURST[:2]
    assert view.answers["tracking"]["number"] == BURST[2]
    assert shown_question(dialog.last) == view.next_key == "order_date", dialog.text
    assert "taken up" in log


async def test_a_kill_before_the_texts_went_out_hands_them_back_on_the_next_message(
    emulator: BotApiEmulator,
    tmp_path: Path,
    translation_server: FakeTranslationServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last answer is stored, the texts are not: the buyer's next tap or text gets them."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'handback.sqlite3'}"
    monkeypatch.setattr(translation_server, "slow_delay", 10.0)
    bot = BotProcess(emulator, url, TRANSLATOR_URL=translation_server.url)
    taps, types = (Dialog(emulator.user(uid, language_code="ru")) for uid in (711_001, 711_002))
    try:
        translation_server.set_mode(Mode.SLOW)
        for dialog in (taps, types):
            await not_arrived_until_review(dialog)
        bot = await _killed_while_translating(emulator, bot, url, translation_server, taps, types)
        await taps.tap("Всё верно — получить тексты")
        await types.say("Где мои тексты?")
    finally:
        await bot.terminate()
        bot.output()
    for dialog in (taps, types):
        assert "Короткий текст на английском" in dialog.text
        assert "Эта жалоба уже готова" not in dialog.text


async def test_a_kill_while_edited_texts_were_translated_hands_the_new_texts_back(
    emulator: BotApiEmulator,
    tmp_path: Path,
    translation_server: FakeTranslationServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Texts went out, the buyer changed the description, the bot died before the new texts."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'edited.sqlite3'}"
    monkeypatch.setattr(translation_server, "slow_delay", 10.0)
    bot = BotProcess(emulator, url, TRANSLATOR_URL=translation_server.url)
    dialog = Dialog(emulator.user(711_003, language_code="ru"))
    try:
        await not_arrived_until_review(dialog)
        await dialog.tap("Всё верно — получить тексты")
        assert "Короткий текст на английском" in dialog.text
        await dialog.tap("Изменить ответы")
        await dialog.tap("Изменить: Описание")
        translation_server.set_mode(Mode.SLOW)
        await dialog.say("Трек не обновляется с сентября, продавец молчит.")
        bot = await _killed_while_translating(emulator, bot, url, translation_server, dialog)
        await dialog.tap("Всё верно — получить тексты")
    finally:
        await bot.terminate()
        bot.output()
    assert "Короткий текст на английском" in dialog.text
    assert "September" in dialog.text or "sentyabrya" in dialog.text, dialog.text


async def _killed_while_translating(
    emulator: BotApiEmulator,
    bot: BotProcess,
    url: str,
    translation_server: FakeTranslationServer,
    *dialogs: Dialog,
) -> BotProcess:
    """Each buyer, whose words the (slow) translator has had since the review card, asks for
    the texts; the bot is killed while the translator works, and starts again; no texts went
    out."""
    for dialog in dialogs:
        await dialog.user.press("Всё верно — получить тексты")
    await asyncio.sleep(2)  # the hand-backs now wait for the translator
    await bot.kill()
    translation_server.reset()
    assert not [r for d in dialogs for r in d.user.unread() if "Order" in r.text]
    return BotProcess(emulator, url, TRANSLATOR_URL=translation_server.url)
