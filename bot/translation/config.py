"""TranslatorConfig: which providers, where, with which key, and how patiently."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROVIDERS = ("google", "mymemory", "libre", "deepl", "yandex")
NEEDS_KEY = frozenset({"deepl", "yandex"})
NEEDS_URL = frozenset({"libre"})


@dataclass(frozen=True)
class TranslatorConfig:
    """Settings of the translation service; built by the composition root, never from os.environ.

    providers: the fallback chain, tried in order. url: when set, replaces the base URL of every
    provider in it (deep-translator's `_base_url`; libre and deepl get a trailing slash, as they
    append their endpoint): libre needs it, the others may be pointed at a compatible server.
    timeout: seconds per HTTP call. retries: further attempts per piece of text, `backoff`
    seconds doubling with jitter; a 429's Retry-After is waited for when at most
    `retry_after_cap`, else the provider is left for the next. cooldown: seconds a provider
    that gave up is skipped (longer when its Retry-After says so). deadline: seconds for one
    whole translation, all providers included. workers: threads for deep-translator's calls.
    """

    providers: list[str] = field(default_factory=lambda: ["google"])
    url: str | None = None
    api_key: str | None = None
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    retry_after_cap: float = 30.0
    cooldown: float = 30.0
    deadline: float | None = 30.0
    workers: int = 4

    def __post_init__(self) -> None:
        _check_providers(self.providers, self.url, self.api_key)
        _check_tuning(self)

    @classmethod
    def from_settings(
        cls,
        translator: str = "google",
        url: str | None = None,
        api_key: str | None = None,
        **tuning: Any,
    ) -> TranslatorConfig:
        """Build from the raw TRANSLATOR / TRANSLATOR_URL / TRANSLATOR_API_KEY values."""
        providers = [name.strip().lower() for name in translator.split(",") if name.strip()]
        return cls(providers=providers, url=url or None, api_key=api_key or None, **tuning)


def _check_providers(providers: list[str], url: str | None, api_key: str | None) -> None:
    if not providers:
        raise ValueError("TRANSLATOR: name at least one provider")
    for name in providers:
        if name not in PROVIDERS:
            known = ", ".join(PROVIDERS)
            raise ValueError(f"TRANSLATOR: unknown provider {name!r} (known: {known})")
        if name in NEEDS_KEY and not api_key:
            raise ValueError(f"TRANSLATOR_API_KEY is required for {name}")
        if name in NEEDS_URL and not url:
            raise ValueError(f"TRANSLATOR_URL is required for {name}")
    if len(set(providers)) != len(providers):
        raise ValueError("TRANSLATOR: a provider is named twice")


def _check_tuning(config: TranslatorConfig) -> None:
    if config.timeout <= 0:
        raise ValueError("translator timeout must be positive")
    if config.retries < 0:
        raise ValueError("translator retries must not be negative")
    if config.backoff < 0 or config.retry_after_cap < 0 or config.cooldown < 0:
        raise ValueError("translator backoff, retry_after_cap and cooldown must not be negative")
    if config.deadline is not None and config.deadline <= 0:
        raise ValueError("translator deadline must be positive")
    if config.workers < 1:
        raise ValueError("translator workers must be at least 1")
