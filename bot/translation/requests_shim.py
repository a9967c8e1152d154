"""requests as deep-translator sees it: with a time limit, pooled per thread, answer kept for us."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

# deep-translator's provider modules call requests.get/post without a timeout; on a network that
# hangs, the worker thread would hang for ever and the small pool would run dry.
_PROVIDER_MODULES = ("google", "mymemory", "libre", "deepl", "yandex")
_local = threading.local()


@dataclass
class CallRecord:
    """What one provider call saw on the wire: the last HTTP answer, if any came."""

    response: requests.Response | None = None


def send(method: str, url: str, **kwargs: Any) -> requests.Response:
    """One HTTP request on this thread's session, under the current call's time limit."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    kwargs.setdefault("timeout", getattr(_local, "timeout", None))
    response = session.request(method, url, **kwargs)
    record = getattr(_local, "record", None)
    if record is not None:
        record.response = response
    return response


class _TimedRequests:
    """Stands in for the `requests` module inside deep-translator's provider modules."""

    exceptions = requests.exceptions

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return send("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return send("POST", url, **kwargs)


_SHIM = _TimedRequests()


def install() -> None:
    """Route deep-translator's HTTP calls through `send`; idempotent."""
    for name in _PROVIDER_MODULES:
        module: Any = importlib.import_module(f"deep_translator.{name}")
        module.requests = _SHIM


@contextmanager
def call_scope(timeout: float) -> Iterator[CallRecord]:
    """Give the provider call on this thread its time limit and a record of what it saw."""
    record = CallRecord()
    _local.timeout, _local.record = timeout, record
    try:
        yield record
    finally:
        _local.timeout, _local.record = None, None
