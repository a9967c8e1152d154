"""A bare python-telegram-bot echo bot: the framework's ceiling the flow benchmark compares with.

One reply per update, each with one inline button so that a scripted user can "tap" it:
a text is echoed, a button press is answered and acknowledged, media get a short note.
No database, no rate limiter, no concurrency: python-telegram-bot as its examples use it.
By default on PTB's own HTTP client (httpx) and asyncio's loop, the issue's reference; --request
and --loop put it on the flow bot's (bot/transport.py) to compare like with like.
Run: BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:8081/bot .venv/bin/python bench/echo_bot.py
     [--request httpx|aiohttp] [--loop asyncio|uvloop]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
from telegram.ext import filters as f

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.transport import AiohttpRequest, install_event_loop

ECHO_DATA = "echo"
MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton("echo", callback_data=ECHO_DATA)]])


async def echo_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo a text; say what other messages were."""
    message = update.effective_message
    assert message is not None
    text = message.text or ("media received" if message.effective_attachment else "received")
    await context.bot.send_message(message.chat_id, text, reply_markup=MARKUP)


async def echo_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop the spinner, then acknowledge the press with a message, as the flow bot does."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    await context.bot.send_message(query.message.chat.id, "pressed", reply_markup=MARKUP)


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--request", choices=("httpx", "aiohttp"), default="httpx")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    return parser.parse_args()


def main() -> None:
    """Poll the Bot API at TELEGRAM_API_URL until SIGTERM."""
    args = parse_args()
    if args.loop == "uvloop":
        install_event_loop()
    builder = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org/bot"))
    )
    if args.request == "aiohttp":
        builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(1))
    application = builder.build()
    application.add_handler(MessageHandler(f.ALL, echo_message))
    application.add_handler(CallbackQueryHandler(echo_press))
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


if __name__ == "__main__":
    main()
