"""Reminder dispatch under Telegram's limits, and start-up cost with a million pending rows.

    .venv/bin/python bench/reminders_bench.py [--count 10000] [--chats 2500] [--pending 1000000]
                                              [--startup-only]

1. `count` due reminders over `chats` chats, sent by the real bot to an emulator that enforces
   30 messages/s per bot and 1/s per chat: the rate, the peak second and the 429 answers.
2. Start-up (build the app, start it, finish the first dispatch pass) and peak memory, each in a
   fresh process, with 0 and with `pending` reminders due next year.
The figures are printed and appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from bot.emulator import BotApiEmulator  # noqa: E402
from bot.runner import start, stop  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.session import create_engine  # noqa: E402

TOKEN = "123456789:BENCH-token"
RESULTS = ROOT / "bench" / "RESULTS.md"
KINDS_PER_CASE = 10
CASES_PER_USER = 10
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def settings(emulator: BotApiEmulator, url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        database_url=url,
        telegram_api_url=emulator.api_url,
        telegram_file_url=emulator.file_url,
        log_level="WARNING",
    )


async def migrate(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()


def seed(path: Path, reminders: int, chats: int, due: datetime) -> None:
    """Users, cases and reminders straight through sqlite3: a million rows in seconds."""
    per_chat = max(1, -(-reminders // chats))
    cases = -(-reminders // min(per_chat, KINDS_PER_CASE))
    kinds = [f"bench.k{i}.due_today" for i in range(KINDS_PER_CASE)]
    stamp = due.astimezone(UTC).strftime(SQLITE_TIME)
    day = due.date().isoformat()
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO users (id, chat_id, language, blocked, timezone, quiet_start, quiet_end,"
            " created_at) VALUES (?, ?, 'ru', 0, 'UTC', 0, 0, CURRENT_TIMESTAMP)",
            ((1_000_000 + u, 1_000_000 + u) for u in range(chats)),
        )
        connection.executemany(
            "INSERT INTO cases (id, user_id, flow, status, created_at, updated_at)"
            " VALUES (?, ?, 'complaint', 'ready', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            ((c + 1, 1_000_000 + c % chats) for c in range(cases)),
        )
        connection.executemany(
            "INSERT INTO reminders (user_id, case_id, kind, deadline_kind, due_at, deadline,"
            " status, attempts, created_at)"
            " VALUES (?, ?, ?, 'dispute.open_last', ?, ?, 'pending', 0, CURRENT_TIMESTAMP)",
            (
                (1_000_000 + (r % cases) % chats, r % cases + 1, kinds[r // cases], stamp, day)
                for r in range(reminders)
            ),
        )
    connection.close()


async def dispatch_rate(count: int, chats: int) -> dict[str, float]:
    """Send `count` due reminders through the real bot; the emulator enforces the limits."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rate.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        await migrate(url)
        seed(path, count, chats, datetime.now(UTC) - timedelta(minutes=1))
        async with BotApiEmulator(enforce_limits=True) as emulator:
            application = build_application(settings(emulator, url))
            await start(application)
            began = time.monotonic()
            while emulator.stats.messages_sent < count:
                await asyncio.sleep(0.5)
                if time.monotonic() - began > count / 5 + 60:
                    break
            elapsed = time.monotonic() - began
            await stop(application)
            stats = emulator.stats
            return {
                "reminders": count,
                "chats": chats,
                "sent": stats.messages_sent,
                "seconds": round(elapsed, 1),
                "rate": round(stats.rate(), 2),
                "peak_second": stats.peak_rate(),
                "too_many_requests": stats.too_many_requests,
            }


async def startup_child(url: str) -> None:
    """In a fresh process: start the bot, wait for its first dispatch pass, report."""
    async with BotApiEmulator() as emulator:
        began = time.perf_counter()
        application = build_application(settings(emulator, url))
        await start(application)
        await application.bot_data["reminders"].settled()
        elapsed = time.perf_counter() - began
        await stop(application)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"startup_s": round(elapsed, 3), "peak_mib": round(peak_kib / 1024, 1)}))


def startup(url: str, runs: int = 3) -> dict[str, float]:
    """The best of `runs` fresh processes (start-up time is noisy; memory is not)."""
    figures = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, __file__, "--startup-child", url],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout  # fmt: skip
        figures.append(json.loads(output.strip().splitlines()[-1]))
    return {
        "startup_s": min(f["startup_s"] for f in figures),
        "peak_mib": max(f["peak_mib"] for f in figures),
    }


async def startup_costs(pending: int) -> dict[str, dict[str, float]]:
    """Start-up with no reminders and with `pending` reminders due next year."""
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        for count in (0, pending):
            path = Path(folder) / f"startup-{count}.sqlite3"
            url = f"sqlite+aiosqlite:///{path}"
            await migrate(url)
            began = time.monotonic()
            if count:
                later = datetime.now(UTC) + timedelta(days=365)
                seed(path, count, min(count, 10_000), later)
            inserted = time.monotonic() - began
            found[str(count)] = startup(url) | {"insert_s": round(inserted, 1)}
    return found


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = os.cpu_count()
    return f"{platform.node()}, {cpu}, {cores} cores, Python {platform.python_version()}"


def report(rate: dict[str, float] | None, costs: dict[str, dict[str, float]]) -> str:
    zero, many = costs["0"], next(v for k, v in costs.items() if k != "0")
    pending = next(k for k in costs if k != "0")
    lines = [f"## Reminders, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}", ""]
    if rate is not None:
        lines.append(
            f"- dispatch: {rate['sent']}/{rate['reminders']} reminders over {rate['chats']} "
            f"chats in {rate['seconds']} s: {rate['rate']} messages/s (peak "
            f"{rate['peak_second']} in one second), {rate['too_many_requests']} answers 429 "
            "(emulator enforcing 30/s per bot, 1/s per chat)"
        )
    lines += [
        f"- start-up with 0 pending: {zero['startup_s']} s, peak memory {zero['peak_mib']} MiB",
        f"- start-up with {int(pending):,} pending: {many['startup_s']} s, peak memory "
        f"{many['peak_mib']} MiB (rows inserted in {many['insert_s']} s)",
        f"- difference: start-up {_percent(many['startup_s'], zero['startup_s'])}, "
        f"memory {_percent(many['peak_mib'], zero['peak_mib'])}",
        "",
    ]
    return "\n".join(lines)


def _percent(value: float, base: float) -> str:
    return f"{(value - base) / base * 100:+.1f}%"


def append(text: str) -> None:
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by the scripts in bench/.\n\n")
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(text + "\n")


async def main(args: argparse.Namespace) -> None:
    rate = None if args.startup_only else await dispatch_rate(args.count, args.chats)
    print(json.dumps(rate))
    costs = await startup_costs(args.pending)
    print(json.dumps(costs))
    text = report(rate, costs)
    print(text)
    append(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=2_500)
    parser.add_argument("--pending", type=int, default=1_000_000)
    parser.add_argument("--startup-only", action="store_true", help="skip the dispatch rate")
    parser.add_argument("--startup-child", metavar="URL")
    parsed = parser.parse_args()
    if parsed.startup_child:
        asyncio.run(startup_child(parsed.startup_child))
    else:
        asyncio.run(main(parsed))
