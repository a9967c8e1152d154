"""Why a provider call failed, told apart from whatever deep-translator or requests raised."""

from __future__ import annotations

import json
import re
from enum import StrEnum

import requests
from deep_translator import exceptions as dt

from bot.translation.retry import retry_after_seconds


class FailureKind(StrEnum):
    """The few kinds of failure the retry and fallback logic tells apart."""

    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    SERVER = "server"
    MALFORMED = "malformed"
    REJECTED = "rejected"


class ProviderError(Exception):
    """A provider call that gave no usable translation."""

    def __init__(
        self, kind: FailureKind, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(kind.value if status is None else f"{kind.value} (HTTP {status})")
        self.kind = kind
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """Whether the same call may succeed later; a rejected text will not."""
        return self.kind is not FailureKind.REJECTED


_REJECTED_BY_LIBRARY = (
    dt.NotValidLength,
    dt.NotValidPayload,
    dt.LanguageNotSupportedException,
    dt.InvalidSourceOrTargetLanguage,
    dt.ApiKeyException,
    dt.AuthorizationException,
)
_HTML = re.compile(r"<\s*(?:!doctype|html|head|body|script|div|p)\b", re.IGNORECASE)
# MyMemory answers its daily quota with HTTP 200 and this warning as the "translation".
_MYMEMORY_WARNING = re.compile(r"^\s*MYMEMORY WARNING", re.IGNORECASE)
_MYMEMORY_WAIT = re.compile(
    r"NEXT AVAILABLE IN\s+(?:(\d+) HOURS?)?\s*(?:(\d+) MINUTES?)?\s*(?:(\d+) SECONDS?)?",
    re.IGNORECASE,
)


def classify(error: BaseException, response: requests.Response | None) -> ProviderError:
    """Map an exception from a provider call, and the answer it saw, to a failure kind."""
    status = response.status_code if response is not None else None
    if isinstance(error, requests.Timeout):
        return ProviderError(FailureKind.TIMEOUT)
    # requests' JSONDecodeError is a RequestException too, but the answer did come.
    if isinstance(error, requests.RequestException) and not isinstance(error, json.JSONDecodeError):
        return ProviderError(FailureKind.UNREACHABLE)
    if status == 429 or isinstance(error, dt.TooManyRequests):
        return rate_limited(response)
    if status is not None and status >= 500:
        return ProviderError(FailureKind.SERVER, status=status)
    if (status is not None and status >= 400) or isinstance(error, _REJECTED_BY_LIBRARY):
        return ProviderError(FailureKind.REJECTED, status=status)
    return ProviderError(FailureKind.MALFORMED, status=status)


def rate_limited(response: requests.Response | None) -> ProviderError:
    """A 429, with the provider's Retry-After when it sent one."""
    header = response.headers.get("Retry-After") if response is not None else None
    return ProviderError(
        FailureKind.RATE_LIMITED, status=429, retry_after=retry_after_seconds(header)
    )


def check_answer(provider: str, answer: object, response: requests.Response | None) -> str:
    """The answer as a translation, or the failure it really is (empty, an HTML page, a quota)."""
    if isinstance(answer, list) and answer and all(isinstance(part, str) for part in answer):
        answer = "".join(answer)  # Yandex answers a list of texts; deep-translator passes it on
    if not isinstance(answer, str) or not answer.strip() or _HTML.search(answer):
        raise ProviderError(FailureKind.MALFORMED)
    if provider == "mymemory":
        _check_mymemory(answer, response)
    return answer.strip()


def _check_mymemory(answer: str, response: requests.Response | None) -> None:
    if _MYMEMORY_WARNING.match(answer):
        raise ProviderError(
            FailureKind.RATE_LIMITED, status=429, retry_after=_mymemory_wait(answer)
        )
    status = _mymemory_status(response)
    if status == 429:
        raise rate_limited(response)
    if status is not None and status != 200:
        kind = FailureKind.SERVER if status >= 500 else FailureKind.REJECTED
        raise ProviderError(kind, status=status)


def _mymemory_status(response: requests.Response | None) -> int | None:
    if response is None:
        return None
    try:
        return int(response.json()["responseStatus"])
    except (ValueError, TypeError, KeyError):
        return None


def _mymemory_wait(answer: str) -> float | None:
    match = _MYMEMORY_WAIT.search(answer)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)
