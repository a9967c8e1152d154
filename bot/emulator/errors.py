"""Bot API errors with the exact shape Telegram answers."""

from __future__ import annotations

from typing import Any

_PREFIXES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """An error the Bot API answers with `{"ok": false, ...}`."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def api_error(status: int, detail: str | None = None, retry_after: int | None = None) -> ApiError:
    """An error whose description starts with Telegram's prefix for the status."""
    prefix = _PREFIXES.get(status, "Error")
    if status == 429 and detail is None:
        detail = f"retry after {retry_after or 1}"
        retry_after = retry_after or 1
    description = f"{prefix}: {detail}" if detail else prefix
    return ApiError(status, description, retry_after)


def bad_request(detail: str) -> ApiError:
    """A 400 'Bad Request: ...' error."""
    return api_error(400, detail)


def not_found() -> ApiError:
    """Telegram's answer to an unknown method or file."""
    return ApiError(404, "Not Found")


def blocked() -> ApiError:
    """Telegram's answer when the user blocked the bot."""
    return api_error(403, "bot was blocked by the user")


def too_many_requests(retry_after: int) -> ApiError:
    """Telegram's flood-control answer."""
    return api_error(429, f"retry after {retry_after}", retry_after)
