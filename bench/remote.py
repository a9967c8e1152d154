"""The emulator in its own process (`python -m bot.emulator`), users driven over its control API.

flow_throughput.py --emulator process uses this to check that keeping the emulator inside the
harness does not distort the figures: the same bot and steps, with the emulator, the users and
the bot in three processes. Latency is then the users' view, control round trips included, so
it reads higher; throughput is what compares.
"""

from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
import time
from collections.abc import Sequence

import httpx

from bench.common import ROOT
from bench.driver import Step
from bench.echo_bot import ECHO_DATA
from bench.loadrun import FIRST_USER, RUN_LIMIT_SECONDS, WARM_USER, Figures, Script, Target
from bench.procs import BotProcess, bot_env, cpu_seconds, fresh_database
from bot.emulator import RemoteEmulator, RemoteUser
from tests.images import tiny_jpeg


class EmulatorProcess:
    """`python -m bot.emulator --port 0`; its first output line is the api_url."""

    def __init__(self) -> None:
        command = [sys.executable, "-m", "bot.emulator", "--port", "0"]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.api_url = self.process.stdout.readline().strip()

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(20)


async def perform(user: RemoteUser, step: Step, echo: bool) -> None:
    """One step's update through the control API."""
    if step.action == "text":
        await user.send_text(step.value)
    elif step.action == "tap":
        await (user.press(callback_data=ECHO_DATA) if echo else user.press(step.value))
    elif step.action == "photo":
        await user.send_photo(tiny_jpeg(1))
    else:
        await user.op("send_video", data_b64=base64.b64encode(tiny_jpeg(2)).decode())


async def play(
    user: RemoteUser, steps: Sequence[Step], counts: Sequence[int], echo: bool
) -> list[float]:
    """Every step, waiting for its whole answer; latencies as the user sees them."""
    latencies = []
    for step, expected in zip(steps, counts, strict=True):
        started = time.perf_counter()
        await perform(user, step, echo)
        await user.next_replies(timeout=60, count=expected)
        latencies.append(time.perf_counter() - started)
    return latencies


async def measure_remote(
    target: Target, users: int, script: Script, translator_url: str
) -> Figures:
    """Like loadrun.measure, with the emulator in a process of its own (counts known already)."""
    counts = script.counts_for(target.kind)
    assert counts is not None, "calibrate the flow in-process first"
    echo = target.kind == "echo"
    figures = Figures(target)
    emulator = EmulatorProcess()
    client = httpx.AsyncClient(
        timeout=90, trust_env=False, limits=httpx.Limits(max_connections=users + 20)
    )
    remote = RemoteEmulator(emulator.api_url, client)
    try:
        async with fresh_database(target.backend) as url:
            env = bot_env(emulator.api_url, url, TRANSLATOR_URL=translator_url)
            bot = BotProcess(target.kind, env, target.root, target.args)
            try:
                await play(remote.user(WARM_USER), script.steps, counts, echo)
                before = await remote.stats()
                cpu = (bot.cpu_seconds(), emulator.cpu_seconds(), time.process_time())
                started = time.perf_counter()
                plays = [play(remote.user(FIRST_USER + n), script.steps, counts, echo)
                         for n in range(users)]  # fmt: skip
                played = await asyncio.wait_for(asyncio.gather(*plays), RUN_LIMIT_SECONDS)
                figures.seconds = time.perf_counter() - started
                after = await remote.stats()
                figures.bot_cpu = (bot.cpu_seconds() - cpu[0]) / figures.seconds
                harness = emulator.cpu_seconds() - cpu[1] + time.process_time() - cpu[2]
                figures.harness_cpu = harness / figures.seconds
                figures.peak_rss_mib = bot.peak_rss_mib()
            finally:
                figures.log = await asyncio.to_thread(bot.stop)
    finally:
        await client.aclose()
        await asyncio.to_thread(emulator.stop)
    figures.updates = after["updates_created"] - before["updates_created"]
    figures.messages = after["messages_sent"] - before["messages_sent"]
    figures.latencies = [latency for run in played for latency in run]
    return figures
