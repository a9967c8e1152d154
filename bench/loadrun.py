"""One measured load run: a bot process on a fresh database, the emulator and users in this one.

The bot (`yabeda run`, or bench/echo_bot.py) polls the emulator from its own process, as it
would poll Telegram. The emulator and the simulated users share this process: the users are
cheap next to the emulator's HTTP work, and the CPU time of both processes is reported so that
a saturated emulator (which would cap the figures) would show.
"""

from __future__ import annotations

import asyncio
import gc
import random
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT
from bench.driver import (
    EMPTY_PARCEL,
    FLOW_DONE_MARK,
    Arrivals,
    Played,
    Step,
    calibrate,
    perform,
    play,
)
from bench.procs import BotProcess, bot_env, echo_args, fresh_database
from bot.emulator import BotApiEmulator, SimUser

FIRST_USER = 5_000_000
WARM_USER = 4_999_999
RUN_LIMIT_SECONDS = 600.0
WARM_UP = 2.0
# Users act through these; a load shape decides when each one starts a step.
Load = Callable[[BotApiEmulator, Arrivals, Sequence[int]], Awaitable[list[Played]]]


@dataclass(frozen=True)
class Target:
    """The bot to measure: the flow bot of a checkout on a backend, or the echo bot."""

    kind: str
    backend: str = "sqlite"
    root: Path = ROOT
    name: str = ""
    stack: str = ""  # the echo bot's HTTP client and loop ("aiohttp+uvloop"); "": PTB's defaults

    @property
    def label(self) -> str:
        if self.kind == "echo":
            return f"echo bot ({self.stack})" if self.stack else "echo bot"
        return f"flow{' ' + self.name if self.name else ''}, {self.backend}"

    @property
    def args(self) -> list[str]:
        """The bot's command-line options."""
        return echo_args(self.stack) if self.kind == "echo" else []


@dataclass
class Figures:
    """What one run measured."""

    target: Target
    updates: int = 0
    messages: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    firsts: list[float] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    skipped: int = 0
    peak_rss_mib: float = 0.0
    bot_cpu: float = 0.0
    harness_cpu: float = 0.0
    failures: int = 0
    log_errors: list[str] = field(default_factory=list)
    log: str = ""

    @property
    def updates_per_s(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    @property
    def kind(self) -> str:
        return self.target.kind

    @property
    def label(self) -> str:
        return self.target.label


class Script:
    """The steps, and how many messages answer each (learnt once from the real bot)."""

    def __init__(self, steps: Sequence[Step] = EMPTY_PARCEL) -> None:
        self.steps = list(steps)
        self.counts: list[int] | None = None

    def counts_for(self, kind: str) -> list[int] | None:
        """Messages per step: one each for the echo bot; None until the flow bot is calibrated."""
        return [1] * len(self.steps) if kind == "echo" else self.counts


async def warm_up(emulator: BotApiEmulator, arrivals: Arrivals, script: Script, kind: str) -> None:
    """Wait for the bot to answer (start-up, migration), and calibrate the flow's answers."""
    user = emulator.user(WARM_USER)
    counts = script.counts_for(kind)
    if counts is None:
        script.counts, replies = await calibrate(user, script.steps)
        if not any(FLOW_DONE_MARK in reply.text for reply in replies):
            raise RuntimeError("calibration: the flow did not end with the dispute texts")
        return
    await play(user, script.steps, counts, arrivals, echo=kind == "echo", within=120)


def closed_loop(script: Script, kind: str) -> Load:
    """Every user plays the whole script at once, each waiting for each answer."""

    async def load(
        emulator: BotApiEmulator, arrivals: Arrivals, user_ids: Sequence[int]
    ) -> list[Played]:
        counts = script.counts_for(kind)
        assert counts is not None
        plays = [
            play(emulator.user(uid), script.steps, counts, arrivals, echo=kind == "echo")
            for uid in user_ids
        ]
        return list(await asyncio.gather(*plays))

    return load


def open_loop(script: Script, kind: str, rate: float, seconds: float, seed: int = 7) -> Load:
    """Steps start at random moments (Poisson, `rate` a second), each by an idle user.

    A user waits for the answer before it can be picked again; a start with no idle user is
    counted as skipped. Latencies of the first WARM_UP seconds are left out.

    Users start spread evenly over the flow, as independent users are (user i of n at step
    i * steps / n, reached before the clock starts). Started together, the round-robin picking
    would keep them in step, and their hand-backs would come as one burst each round.
    """

    async def load(
        emulator: BotApiEmulator, arrivals: Arrivals, user_ids: Sequence[int]
    ) -> list[Played]:
        counts = script.counts_for(kind)
        assert counts is not None
        rng = random.Random(seed)
        position = {uid: i * len(script.steps) // len(user_ids) for i, uid in enumerate(user_ids)}
        await asyncio.gather(
            *(_advance(emulator.user(uid), script, counts, kind, position[uid]) for uid in user_ids)
        )
        idle = deque(user_ids)
        kept = Played([], [])
        started = time.perf_counter()

        async def one(uid: int) -> None:
            step = position[uid]
            user = emulator.user(uid)
            arrivals.expect(uid)
            began = time.perf_counter()
            await perform(user, script.steps[step], kind == "echo")
            await user.next_replies(timeout=60, count=counts[step])
            if began - started >= WARM_UP:
                kept.latencies.append(arrivals.last[uid] - began)
                kept.firsts.append(arrivals.first[uid] - began)
                kept.steps.append(step)
            position[uid] = (step + 1) % len(script.steps)
            idle.append(uid)

        tasks: set[asyncio.Task[None]] = set()
        due = started
        while due - started < seconds:
            due += rng.expovariate(rate)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if not idle:
                kept.skipped += 1
                continue
            task = asyncio.create_task(one(idle.popleft()))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
        return [kept]

    return load


async def _advance(
    user: SimUser, script: Script, counts: Sequence[int], kind: str, steps: int
) -> None:
    """Play the first `steps` steps, untimed."""
    for step in range(steps):
        await perform(user, script.steps[step], kind == "echo")
        await user.next_replies(timeout=60, count=counts[step])


async def measure(
    target: Target,
    users: int,
    script: Script,
    load: Load,
    translator_url: str,
    profile: Path | None = None,
) -> Figures:
    """Start a bot on a fresh database, warm it up, run the load (under py-spy), stop it."""
    figures = Figures(target)
    kind = target.kind
    emulator = BotApiEmulator()
    await emulator.start()
    arrivals = Arrivals(emulator)
    try:
        async with fresh_database(target.backend) as url:
            env = bot_env(emulator.api_url, url, TRANSLATOR_URL=translator_url)
            bot = BotProcess(kind, env, target.root, target.args)
            try:
                await warm_up(emulator, arrivals, script, kind)
                spy = start_profiler(bot, profile) if profile else None
                try:
                    await _run(emulator, arrivals, bot, load, users, figures)
                finally:
                    if spy is not None:
                        await asyncio.to_thread(stop_profiler, spy)
                figures.peak_rss_mib = bot.peak_rss_mib()
            finally:
                log = await asyncio.to_thread(bot.stop)
            figures.log_errors = [
                line for line in log.splitlines() if " ERROR " in line or "Traceback" in line
            ]
            figures.log = log
    finally:
        await emulator.stop()
    return figures


def start_profiler(bot: BotProcess, output: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the bot (collapsed stacks), if it is installed next to this Python."""
    spy = Path(sys.executable).with_name("py-spy")
    command = [str(spy), "record", "--pid", str(bot.pid), "--format", "raw", "--rate", "250"]
    # --gil: only samples of Python work; idle waits (epoll, the aiosqlite queue) would blur it.
    command += ["--gil", "--output", str(output)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # py-spy attaches before the load starts
    return process


def stop_profiler(spy: subprocess.Popen[bytes]) -> None:
    """SIGINT makes py-spy write its file."""
    spy.send_signal(signal.SIGINT)
    spy.wait(30)


async def _run(
    emulator: BotApiEmulator,
    arrivals: Arrivals,
    bot: BotProcess,
    load: Load,
    users: int,
    figures: Figures,
) -> None:
    user_ids = [FIRST_USER + n for n in range(users)]
    sent_before = len(emulator.state.sent)
    updates_before = emulator.stats.updates_created
    bot_cpu, own_cpu = bot.cpu_seconds(), time.process_time()
    started = time.perf_counter()
    with collector_paused():
        played = await asyncio.wait_for(load(emulator, arrivals, user_ids), RUN_LIMIT_SECONDS)
    figures.seconds = max(arrivals.last.get(uid, started) for uid in user_ids) - started
    figures.bot_cpu = (bot.cpu_seconds() - bot_cpu) / figures.seconds
    figures.harness_cpu = (time.process_time() - own_cpu) / figures.seconds
    figures.updates = emulator.stats.updates_created - updates_before
    figures.messages = len(emulator.state.sent) - sent_before
    figures.latencies = [latency for run in played for latency in run.latencies]
    figures.firsts = [latency for run in played for latency in run.firsts]
    figures.steps = [step for run in played for step in run.steps]
    figures.skipped = sum(run.skipped for run in played)
    if figures.kind == "flow":
        figures.failures = sum(
            not any(FLOW_DONE_MARK in reply.text for reply in run.last) for run in played
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection in this process while the load runs.

    A full collection of the harness (the emulator's state, the users) took tens of ms on a slow
    VM; the emulator answered nobody meanwhile, and the pause counted as the bot's latency.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()
