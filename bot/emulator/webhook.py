"""Webhook delivery: updates POSTed as JSON, retried with backoff, in order within each chat."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bot.emulator.updates import Update

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """What setWebhook set."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    ip_address: str | None = None


class WebhookDispatcher:
    """One worker per chat with pending updates, so a chat's updates arrive in order."""

    first_retry = 0.05
    max_retry = 1.0

    def __init__(self, on_delivered: Callable[[], None]) -> None:
        self.config: WebhookConfig | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._on_delivered = on_delivered
        self._queues: dict[int, deque[Update]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._client: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(40)
        # Where each POST goes; fanout.py spreads them over several instances.
        self.route: Callable[[WebhookConfig], str] = lambda config: config.url

    @property
    def active(self) -> bool:
        """Whether a webhook is set."""
        return self.config is not None

    @property
    def pending(self) -> int:
        """Updates not yet acknowledged by the webhook."""
        return sum(len(queue) for queue in self._queues.values())

    def configure(self, config: WebhookConfig) -> None:
        """Set or change the webhook; delivery continues with the new settings."""
        if self.config is None or self.config.max_connections != config.max_connections:
            self._slots = asyncio.Semaphore(config.max_connections)
        self.config = config
        if self._client is None:
            # trust_env=False: a proxy from the environment must never see loopback traffic.
            self._client = httpx.AsyncClient(timeout=10.0, trust_env=False)

    def enqueue(self, update: Update, chat_key: int) -> None:
        """Queue an update behind the others of its chat."""
        queue = self._queues.get(chat_key)
        if queue is None:
            queue = self._queues[chat_key] = deque()
        queue.append(update)
        if chat_key not in self._workers:
            self._workers[chat_key] = asyncio.get_running_loop().create_task(
                self._work(chat_key), name=f"emulator-webhook-{chat_key}"
            )

    async def close(self) -> list[Update]:
        """Stop delivering; return the undelivered updates in update_id order."""
        workers = list(self._workers.values())
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        undelivered = sorted(
            (update for queue in self._queues.values() for update in queue),
            key=lambda update: update["update_id"],
        )
        self._queues.clear()
        self._workers.clear()
        self.config = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        return undelivered

    def drop(self) -> None:
        """Forget undelivered updates (drop_pending_updates); workers finish their current one."""
        for queue in self._queues.values():
            while len(queue) > 1:
                queue.pop()

    async def _work(self, chat_key: int) -> None:
        queue = self._queues[chat_key]
        try:
            while queue:
                await self._deliver(queue[0])
                queue.popleft()
                self._on_delivered()
        finally:
            if self._workers.get(chat_key) is asyncio.current_task():
                del self._workers[chat_key]
                if not queue:
                    self._queues.pop(chat_key, None)

    async def _deliver(self, update: Update) -> None:
        """POST until the webhook answers 2xx, backing off between failures."""
        delay = self.first_retry
        body = json.dumps(update, ensure_ascii=False).encode()
        while True:
            error = await self._post(body)
            if error is None:
                return
            self.last_error_date = int(time.time())
            self.last_error_message = error
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_retry)

    async def _post(self, body: bytes) -> str | None:
        """One delivery attempt; the error message Telegram would report, or None."""
        config, client = self.config, self._client
        if config is None or client is None:
            return "Webhook is not set"
        headers = {"Content-Type": "application/json"}
        if config.secret_token:
            headers[SECRET_HEADER] = config.secret_token
        async with self._slots:
            try:
                response = await client.post(self.route(config), content=body, headers=headers)
            except httpx.HTTPError as exc:
                return f"Connection error: {type(exc).__name__}"
        if 200 <= response.status_code < 300:
            return None
        return f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}"

    def info(self) -> dict[str, Any]:
        """The WebhookInfo fields that depend on delivery."""
        info: dict[str, Any] = {"pending_update_count": self.pending}
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info
