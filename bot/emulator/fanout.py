"""Webhook fan-out: each update POSTed to the next of several URLs, as a load balancer would.

Telegram posts to one HTTPS address; behind it, several bot instances share the work. A
round-robin per delivery is the harshest spread: consecutive updates of one user land on
different instances. A failed delivery is retried on the next instance, as a balancer would.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from bot.emulator.emulator import BotApiEmulator
from bot.emulator.webhook import WebhookConfig


class RoundRobin:
    """The next URL for every delivery attempt, counting how many went to each."""

    def __init__(self, urls: Sequence[str]) -> None:
        if not urls:
            raise ValueError("fan-out needs at least one URL")
        self.urls = list(urls)
        self.sent: Counter[str] = Counter()
        self._cycle = itertools.cycle(self.urls)

    def __call__(self, _config: WebhookConfig) -> str:
        url = next(self._cycle)
        self.sent[url] += 1
        return url


def spread_webhook(emulator: BotApiEmulator, urls: Sequence[str]) -> RoundRobin:
    """From now on webhook deliveries go round-robin to `urls`, whatever setWebhook said."""
    router = RoundRobin(urls)
    emulator.state.webhook.route = router
    return router
