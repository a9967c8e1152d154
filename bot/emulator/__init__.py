"""A Telegram Bot API emulator on 127.0.0.1 for `yabeda shell`, end-to-end tests and benchmarks."""

from bot.emulator.client import RemoteEmulator, RemoteError, RemoteUser
from bot.emulator.emulator import BotApiEmulator
from bot.emulator.errors import ApiError
from bot.emulator.faults import Fault, Faults
from bot.emulator.limits import RateLimits
from bot.emulator.stats import Stats
from bot.emulator.transcript import Event, Reply, format_transcript
from bot.emulator.users import Press, SimUser

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "Event",
    "Fault",
    "Faults",
    "Press",
    "RateLimits",
    "RemoteEmulator",
    "RemoteError",
    "RemoteUser",
    "Reply",
    "SimUser",
    "Stats",
    "format_transcript",
]
