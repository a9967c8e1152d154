"""Bot API methods, registered by importing their modules."""

from bot.emulator.methods import editing, files, identity, polling, sending
from bot.emulator.methods.registry import METHODS, ApiCall, api_method, lookup

__all__ = [
    "METHODS",
    "ApiCall",
    "api_method",
    "editing",
    "files",
    "identity",
    "lookup",
    "polling",
    "sending",
]
