"""`python -m bot.emulator --port 8081`: run the emulator in its own process."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Sequence

from bot.emulator.emulator import BotApiEmulator
from bot.emulator.limits import RateLimits


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--enforce-limits", action="store_true", help="answer 429 like Telegram")
    parser.add_argument("--per-bot", type=float, default=30.0, help="messages/s per bot")
    parser.add_argument("--per-chat", type=float, default=1.0, help="messages/s per chat")
    parser.add_argument("--bot-username", default="yabeda_test_bot")
    return parser.parse_args(argv)


def build(args: argparse.Namespace) -> BotApiEmulator:
    """The emulator the options describe."""
    limits = RateLimits(per_bot=args.per_bot, per_chat=args.per_chat)
    return BotApiEmulator(
        args.host,
        args.port,
        enforce_limits=args.enforce_limits,
        limits=limits,
        bot_username=args.bot_username,
    )


async def serve(
    args: argparse.Namespace, announce: Callable[[BotApiEmulator], None], stop: asyncio.Event
) -> None:
    """Run until `stop` is set, announcing the URLs once listening."""
    emulator = build(args)
    await emulator.start()
    try:
        announce(emulator)
        await stop.wait()
    finally:
        await emulator.stop()


def _announce(emulator: BotApiEmulator) -> None:
    # The first line is the api_url alone, so a parent process can read it and go.
    print(emulator.api_url, flush=True)
    print(f"file_url {emulator.file_url}", flush=True)
    print(f"control  {emulator.base_url}/_emu", flush=True)


async def _main(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await serve(args, _announce, stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    asyncio.run(_main(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
