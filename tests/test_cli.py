"""The `yabeda` command as an operator meets it: help, config errors, run, shell."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from bot.emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[1]
YABEDA = [sys.executable, "-m", "bot.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "WEBHOOK_", "DATABASE_"))
    }
    env.update({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"}, **extra)
    return env


def _run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*YABEDA, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = _run(["--help"], _env(tmp_path))
    assert result.returncode == 0
    for command in ("run", "migrate", "shell"):
        assert command in result.stdout


def test_run_without_token_says_how_to_get_one(tmp_path: Path) -> None:
    result = _run(["run"], _env(tmp_path))
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "yabeda shell" in result.stderr


def test_malformed_setting_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = _run(["run"], _env(tmp_path, BOT_TOKEN="1:x", WEBHOOK_PORT="eighty"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "WEBHOOK_PORT" in lines[0]


def test_migrate_creates_the_database(tmp_path: Path) -> None:
    result = _run(["migrate"], _env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cli.sqlite3").exists()


def test_shell_shows_the_greeting_and_ends_with_stdin(tmp_path: Path) -> None:
    result = _run(["shell"], _env(tmp_path), stdin="/start\n1\n")
    assert result.returncode == 0, result.stderr
    assert "Здравствуйте! Я Ябеда" in result.stdout
    assert "[1] Начать новую жалобу" in result.stdout
    assert "Что случилось с заказом?" in result.stdout


async def test_run_polls_any_local_bot_api_with_a_made_up_token(tmp_path: Path) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    token = "987654321:made-up-token-SECRET"
    env = _env(tmp_path, BOT_TOKEN=token, TELEGRAM_API_URL=emulator.api_url, LOG_LEVEL="DEBUG")
    process = await asyncio.create_subprocess_exec(
        *YABEDA,
        "run",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = emulator.user(3001, language_code="ru")
        await user.send_text("/start")
        [reply] = await user.next_replies(timeout=30)
        assert reply.text.startswith("Здравствуйте! Я Ябеда")
    finally:
        process.terminate()
        out, err = await asyncio.wait_for(process.communicate(), 30)
        await emulator.stop()
    assert token not in (out + err).decode()
    assert token.split(":")[1] not in (out + err).decode()


def test_a_bad_rules_file_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[rules."dispute.no_such_rule"]\namount = 3\n', encoding="utf-8")
    result = _run(["run"], _env(tmp_path, BOT_TOKEN="1:x", RULES_FILE=str(rules)))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "rules.toml" in lines[0]
    assert "dispute.no_such_rule" in lines[0]
