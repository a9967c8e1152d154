"""The bot under test in its own process, a fresh database for it, and what the OS saw it use."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

from bench.common import ROOT

TOKEN = "123456789:BENCH-token-never-logged"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
BOTS = {
    "flow": [sys.executable, "-m", "bot.cli", "run"],
    "echo": [sys.executable, str(ROOT / "bench" / "echo_bot.py")],
}
# The echo bot's option for each part of a stack such as "aiohttp+uvloop" (bench/echo_bot.py).
STACK_PARTS = {
    "httpx": ("--request", "httpx"),
    "aiohttp": ("--request", "aiohttp"),
    "asyncio": ("--loop", "asyncio"),
    "uvloop": ("--loop", "uvloop"),
}


def echo_args(stack: str) -> list[str]:
    """The echo bot's options for a stack such as "aiohttp+uvloop"; "" is PTB's defaults."""
    return [arg for part in stack.split("+") if part for arg in STACK_PARTS[part]]


class BotProcess:
    """A bot in a child process; stderr goes to a temporary log file."""

    def __init__(
        self, kind: str, env: dict[str, str], root: Path = ROOT, args: Sequence[str] = ()
    ) -> None:
        """Start `kind` ("flow" or "echo") with `args`; the flow bot is imported from `root`."""
        # Closed in stop(): the file lives as long as the process writes to it.
        self.log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [*BOTS[kind], *args], cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.pid = self.process.pid

    def peak_rss_mib(self) -> float:
        """The process's peak resident memory so far (VmHWM), in MiB."""
        return peak_rss_mib(self.pid)

    def cpu_seconds(self) -> float:
        """User plus system CPU time the process has used so far."""
        return cpu_seconds(self.pid)

    def stop(self, timeout: float = 20.0) -> str:
        """SIGTERM, then SIGKILL if it lingers; the log it wrote."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        self.log.close()
        return text


def peak_rss_mib(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bot_env(api_url: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of `yabeda run` (or the echo bot) against a local Bot API."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "WEBHOOK_", "DATABASE_", "TELEGRAM_", "TRANSLATOR"))
    }
    env |= {
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": database_url,
        "TELEGRAM_API_URL": api_url,
        "LOG_LEVEL": "WARNING",
        # No benchmark may reach a real translator.
        "TRANSLATOR_URL": "http://127.0.0.1:9/",
    }
    return env | extra


@asynccontextmanager
async def fresh_database(backend: str) -> AsyncIterator[str]:
    """An empty database: a SQLite file in a temporary folder, or a new PostgreSQL database."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="yabeda-bench-") as folder:
            yield f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    import asyncpg

    name = f"yabeda_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_ADMIN, timeout=5)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
