"""Logging that never prints the bot token, whoever's handler writes the record."""

from __future__ import annotations

import logging
from typing import Any

from bot.settings import Settings

REDACTED = "<token>"
_secrets: set[str] = set()
_installed = False


def protect_token(secret: str) -> None:
    """Redact `secret` from every log record created from now on, in this process.

    A record factory rather than a handler filter: pytest's caplog, an operator's own
    handler or a library's handler would all bypass a filter set on ours.
    """
    global _installed
    _secrets.add(secret)
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _redacted(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True


def _redacted(record: logging.LogRecord) -> logging.LogRecord:
    message = record.getMessage()
    if any(secret in message for secret in _secrets):
        record.msg = _scrub(message)
        record.args = None
    if record.exc_info and record.exc_info[1] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        if any(secret in text for secret in _secrets):
            record.exc_text = _scrub(text)
    return record


def _scrub(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, REDACTED)
    return text


def quiet_http_logs() -> None:
    # httpx logs every request URL at INFO, and the Bot API URL carries the token.
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    if settings.bot_token is not None:
        protect_token(settings.bot_token.get_secret_value())
    quiet_http_logs()
