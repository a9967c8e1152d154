"""The `yabeda` command: run the bot, migrate the database, or chat with it in the terminal."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.logs import setup_logging
from bot.settings import ConfigError, Settings, load_settings
from bot.transport import install_event_loop
from flows.rules import load_rules

NO_TOKEN = """BOT_TOKEN is not set.
Get a token: open Telegram, write to @BotFather, send /newbot and follow its questions;
it answers with a token like 123456789:AAF... Then: BOT_TOKEN=<token> yabeda run
(or put BOT_TOKEN=<token> into a .env file in this folder).
To try the bot without Telegram and without a token: yabeda shell"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="yabeda",
        description="Yabeda: a Telegram bot that helps AliExpress buyers win disputes.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="migrate the database, then run the bot (polling or webhook)")
    commands.add_parser("migrate", help="upgrade the database schema to the newest version")
    shell = commands.add_parser(
        "shell", help="chat with the bot in this terminal: no token, no network"
    )
    shell.add_argument("--user-id", type=int, default=1001, help="the pretend Telegram user id")
    shell.add_argument("--language", default="ru", help="the pretend user's Telegram language")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        settings = load_settings()
        load_rules(settings.rules_file)
    except (ConfigError, ValueError) as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    setup_logging(settings)
    install_event_loop()
    if args.command == "run":
        return run(settings)
    if args.command == "migrate":
        return migrate(settings)
    from bot.shell import run_shell

    return asyncio.run(run_shell(settings, user_id=args.user_id, language=args.language))


def run(settings: Settings) -> int:
    if settings.bot_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from bot.app import ALLOWED_UPDATES, build_application

    application = build_application(settings, own_process=True)
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


def migrate(settings: Settings) -> int:
    from bot.storage.migrate import upgrade
    from bot.storage.session import create_engine

    async def _migrate() -> None:
        engine = create_engine(settings.database_url)
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(_migrate())
    logging.getLogger("yabeda").info("database is at the newest schema")
    print("Database migrated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
