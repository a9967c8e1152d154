"""Fixtures: databases (SQLite and PostgreSQL), the Bot API emulator, and the real bot on it."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_application
from bot.emulator import BotApiEmulator
from bot.runner import Webhook, start, stop
from bot.settings import Settings
from tests.fakes.translation_server import FakeTranslationServer

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TOKEN = "123456789:TEST-token-never-logged"


async def _pg_available() -> bool:
    try:
        import asyncpg

        connection = await asyncpg.connect(PG_ADMIN, timeout=2)
    except (OSError, Exception):
        return False
    await connection.close()
    return True


async def _create_pg_database() -> str:
    import asyncpg

    name = f"yabeda_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(PG_ADMIN)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    return name


async def _drop_pg_database(name: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_ADMIN)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on each backend; PostgreSQL gets a fresh database per test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'yabeda.sqlite3'}"
        return
    async with _fresh_pg_database() as url:
        yield url


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database, for what only PostgreSQL deployments do."""
    async with _fresh_pg_database() as url:
        yield url


@asynccontextmanager
async def _fresh_pg_database() -> AsyncIterator[str]:
    if not await _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running at 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")
    name = await _create_pg_database()
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        await _drop_pg_database(name)


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'yabeda.sqlite3'}"


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    emu = BotApiEmulator()
    await emu.start()
    yield emu
    await emu.stop()


@pytest.fixture(scope="session")
def translation_server() -> Iterator[FakeTranslationServer]:
    """One local translation server for the session; tests that break it restore it."""
    with FakeTranslationServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _translation_up(translation_server: FakeTranslationServer) -> Iterator[None]:
    translation_server.reset()
    yield
    translation_server.reset()
    if not translation_server.listening:
        translation_server.start()


def make_settings(
    emu: BotApiEmulator, database_url: str, translator_url: str | None = None, **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "database_url": database_url,
        "telegram_api_url": emu.api_url,
        "telegram_file_url": emu.file_url,
        # No test may reach a real translator: without a fake, an unreachable address.
        "translator_url": translator_url or "http://127.0.0.1:9/",
        "translator_deadline": 5.0,
        "translation_retry_seconds": 0.5,
    }
    return Settings(_env_file=None, **{**values, **extra})  # type: ignore[call-arg]


BotStarter = Callable[..., Awaitable[App]]


@pytest.fixture
async def start_bot(
    emulator: BotApiEmulator, translation_server: FakeTranslationServer
) -> AsyncIterator[BotStarter]:
    """Start the real Application on the emulator; every bot started is stopped afterwards."""
    running: list[App] = []

    async def _start(database_url: str, webhook: Webhook | None = None, **extra: Any) -> App:
        if webhook is not None:  # as `yabeda run` is configured for a webhook
            extra.setdefault("webhook_url", webhook.url)
        settings = make_settings(emulator, database_url, translation_server.url, **extra)
        application = build_application(settings)
        await start(application, webhook)
        running.append(application)
        return application

    yield _start
    for application in running:
        await stop(application)
    await asyncio.sleep(0)


async def stop_bot(application: App) -> None:
    await stop(application)
