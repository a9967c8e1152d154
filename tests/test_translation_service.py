"""TranslationService against the fake server: deep-translator's real HTTP code, no network."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.translation import MemoryTranslationCache, TranslationService, TranslatorConfig
from bot.translation.limits import LIMITS
from tests.fakes.buyer_texts import BUYER_TEXT, TOKENS
from tests.fakes.translation_server import MARKER, FakeTranslationServer, Mode

PARCEL = "Посылка пришла пустая, вес 508 г."
PARCEL_EN = "[en] Parcel arrived empty, weight 508 g."
PLACEHOLDER = re.compile(r"[\[\uff3b]\s*\d+\s*[\]\uff3d]")


@pytest.fixture
def fake() -> Iterator[FakeTranslationServer]:
    with FakeTranslationServer(slow_delay=1.0) as server:
        yield server


def make_config(
    fake: FakeTranslationServer, chain: str = "google", **tuning: Any
) -> TranslatorConfig:
    """Short timeouts and backoffs, no cooldown: each test sees every request it causes."""
    settings: dict[str, Any] = {
        "timeout": 0.5,
        "retries": 1,
        "backoff": 0.01,
        "retry_after_cap": 2.0,
        "cooldown": 0.0,
        "deadline": 10.0,
    }
    settings.update(tuning)
    return TranslatorConfig.from_settings(chain, url=fake.url, api_key="test-key", **settings)


@asynccontextmanager
async def running(
    fake: FakeTranslationServer, chain: str = "google", **tuning: Any
) -> AsyncIterator[TranslationService]:
    async with TranslationService(
        make_config(fake, chain, **tuning), MemoryTranslationCache()
    ) as s:
        yield s


@pytest.mark.parametrize("provider", ["google", "mymemory", "libre", "deepl", "yandex"])
async def test_each_provider_translates(fake: FakeTranslationServer, provider: str) -> None:
    async with running(fake, provider) as service:
        result = await service.translate(PARCEL, owner_id=1)
    assert result.text == PARCEL_EN
    assert (result.translated, result.provider, result.from_cache) == (True, provider, False)
    assert fake.count(provider) == fake.count() == 1


async def test_the_event_loop_runs_on_while_a_provider_answers(
    fake: FakeTranslationServer,
) -> None:
    fake.latency = 0.3
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    async with running(fake) as service:
        result = await service.translate(PARCEL, owner_id=1)
    ticker.cancel()
    assert result.translated
    assert ticks >= 15


async def test_a_timeout_gives_the_original_text_and_frees_the_worker(
    fake: FakeTranslationServer,
) -> None:
    fake.set_mode(Mode.SLOW, times=1)
    async with running(fake, timeout=0.2, retries=0, workers=1) as service:
        started = time.perf_counter()
        failed = await service.translate(PARCEL, owner_id=1)
        assert time.perf_counter() - started < 0.8
        # One worker thread only: it must be free again once requests' own timeout hit.
        result = await service.translate("Товар не работает", owner_id=1)
    assert (failed.text, failed.translated, failed.provider) == (PARCEL, False, None)
    assert result.text == "[en] Item not works"


async def test_429_waits_for_retry_after(fake: FakeTranslationServer) -> None:
    fake.retry_after = "1"
    fake.set_mode(Mode.RATE_LIMITED, times=1)
    async with running(fake) as service:
        started = time.perf_counter()
        result = await service.translate(PARCEL, owner_id=1)
    assert time.perf_counter() - started >= 0.9
    assert result.text == PARCEL_EN
    assert fake.count() == 2


async def test_429_with_a_long_retry_after_moves_on_and_rests_the_provider(
    fake: FakeTranslationServer,
) -> None:
    fake.retry_after = "120"
    fake.set_mode(Mode.RATE_LIMITED, protocol="google")
    async with running(fake, "google,mymemory") as service:
        first = await service.translate(PARCEL, owner_id=1)
        second = await service.translate("Товар не работает", owner_id=1)
    assert (first.provider, second.provider) == ("mymemory", "mymemory")
    assert fake.count("google") == 1


async def test_429_without_retry_after_backs_off_then_gives_up(
    fake: FakeTranslationServer,
) -> None:
    fake.set_mode(Mode.RATE_LIMITED)
    async with running(fake, retries=2) as service:
        result = await service.translate(PARCEL, owner_id=1)
    assert (result.text, result.translated) == (PARCEL, False)
    assert fake.count() == 3


async def test_a_500_is_retried(fake: FakeTranslationServer) -> None:
    fake.set_mode(Mode.ERROR, times=1)
    async with running(fake) as service:
        result = await service.translate(PARCEL, owner_id=1)
    assert result.text == PARCEL_EN
    assert fake.count() == 2


async def test_a_lasting_500_gives_the_original_text(fake: FakeTranslationServer) -> None:
    fake.set_mode(Mode.ERROR)
    async with running(fake) as service:
        result = await service.translate(PARCEL, owner_id=1)
    assert (result.text, result.translated, result.provider) == (PARCEL, False, None)
    assert fake.count() == 2


@pytest.mark.parametrize(
    ("provider", "mode"),
    [
        ("google", Mode.HTML),
        ("google", Mode.EMPTY),
        ("mymemory", Mode.HTML),
        ("mymemory", Mode.EMPTY),
        ("mymemory", Mode.QUOTA),
        ("libre", Mode.HTML),
        ("libre", Mode.EMPTY),
        ("deepl", Mode.HTML),
        ("yandex", Mode.HTML),
        ("yandex", Mode.RATE_LIMITED),
    ],
)
async def test_a_malformed_answer_is_no_translation(
    fake: FakeTranslationServer, provider: str, mode: Mode
) -> None:
    fake.set_mode(mode)
    async with running(fake, provider) as service:
        result = await service.translate(PARCEL, owner_id=1)
    assert (result.text, result.translated) == (PARCEL, False)


async def test_mymemory_quota_is_not_retried_for_hours(fake: FakeTranslationServer) -> None:
    fake.set_mode(Mode.QUOTA, protocol="mymemory")
    async with running(fake, "mymemory,google") as service:
        first = await service.translate(PARCEL, owner_id=1)
        second = await service.translate("Товар не работает", owner_id=1)
    assert (first.provider, second.provider) == ("google", "google")
    assert fake.count("mymemory") == 1


async def test_falls_back_to_the_next_provider(fake: FakeTranslationServer) -> None:
    fake.set_mode(Mode.DOWN, protocol="google")
    async with running(fake, "google,mymemory") as service:
        result = await service.translate(PARCEL, owner_id=1)
    assert (result.text, result.provider) == (PARCEL_EN, "mymemory")
    assert (fake.count("google"), fake.count("mymemory")) == (2, 1)


async def test_a_server_that_refuses_connections_fails_fast(
    fake: FakeTranslationServer,
) -> None:
    fake.stop()
    async with running(fake, "google,mymemory") as service:
        started = time.perf_counter()
        result = await service.translate(PARCEL, owner_id=1)
    assert time.perf_counter() - started < 0.5
    assert (result.text, result.translated) == (PARCEL, False)


async def test_the_deadline_bounds_the_whole_chain(fake: FakeTranslationServer) -> None:
    fake.set_mode(Mode.SLOW)
    async with running(fake, "google,mymemory", timeout=2.0, deadline=0.3) as service:
        started = time.perf_counter()
        result = await service.translate(PARCEL, owner_id=1)
        assert time.perf_counter() - started < 0.6
    assert not result.translated


def long_text() -> str:
    sentences = [f"Предложение номер {n} про заказ и посылку." for n in range(1, 301)]
    return " ".join(sentences) + "\n\nТовар не работает.\nПродавец не отвечает."


@pytest.mark.parametrize("provider", ["google", "mymemory"])
async def test_a_12000_character_text_is_split_and_joined_in_order(
    fake: FakeTranslationServer, provider: str
) -> None:
    text = long_text()
    assert len(text) > 12_000
    async with running(fake, provider) as service:
        result = await service.translate(text, owner_id=1)
    numbers = [int(n) for n in re.findall(r"Sentence number (\d+) ", result.text)]
    assert numbers == list(range(1, 301))
    paragraph, blank, second, third = result.text.split("\n")
    assert paragraph.endswith("Sentence number 300 pro order and parcel.")
    assert (blank, second, third) == ("", "[en] Item not works.", "[en] Seller not answers.")
    assert result.text.count(MARKER) == fake.count(provider) >= 4
    assert all(LIMITS[provider].fits(seen.text) for seen in fake.seen)


@pytest.mark.parametrize(("mode", "requests"), [(Mode.UP, 1), (Mode.SPACED, 1), (Mode.MANGLE, 2)])
async def test_protected_tokens_pass_unchanged(
    fake: FakeTranslationServer, mode: Mode, requests: int
) -> None:
    fake.set_mode(mode)
    async with running(fake) as service:
        result = await service.translate(BUYER_TEXT, owner_id=1)
    assert result.translated
    assert all(token in result.text for token in TOKENS)
    assert not PLACEHOLDER.search(result.text)
    assert fake.count() == requests


async def test_identical_concurrent_requests_reach_the_provider_once(
    fake: FakeTranslationServer,
) -> None:
    fake.latency = 0.2
    # A timeout well above the latency: a retry on a busy machine would count a second request.
    async with running(fake, timeout=5.0) as service:
        texts = [PARCEL] * 4 + ["  Посылка  пришла пустая,\tвес 508 г. "]
        results = await asyncio.gather(*(service.translate(t, owner_id=1) for t in texts))
    assert {result.text for result in results} == {PARCEL_EN}
    assert fake.count() == 1


async def test_the_second_call_comes_from_the_cache(fake: FakeTranslationServer) -> None:
    async with running(fake) as service:
        first = await service.translate(PARCEL, owner_id=1)
        second = await service.translate(PARCEL + " ", owner_id=2)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert (second.text, second.provider) == (PARCEL_EN, "google")
    assert fake.count() == 1


async def test_a_text_without_words_makes_no_request(fake: FakeTranslationServer) -> None:
    async with running(fake) as service:
        tokens_only = await service.translate("RA123456789CN, 508, 27.07.2024", owner_id=1)
        same_language = await service.translate(PARCEL, source="ru", target="ru", owner_id=1)
    assert (tokens_only.text, tokens_only.translated) == ("RA123456789CN, 508, 27.07.2024", True)
    assert (same_language.text, same_language.provider) == (PARCEL, None)
    assert fake.count() == 0
