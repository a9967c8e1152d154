"""TranslationService: the one async interface the bot uses to translate the buyer's words."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from types import TracebackType

from bot.translation import providers, requests_shim
from bot.translation.cache import CachedTranslation, CacheKey, TranslationCache
from bot.translation.config import TranslatorConfig
from bot.translation.cooldown import Cooldowns
from bot.translation.failures import FailureKind, ProviderError
from bot.translation.limits import LIMITS
from bot.translation.normalise import normalise, text_hash
from bot.translation.pool import WorkerPool
from bot.translation.protect import Masked, mask, restore, slots_in, unmask
from bot.translation.retry import retry_delay
from bot.translation.segments import Fits, join, split
from bot.translation.single_flight import SingleFlight

log = logging.getLogger(__name__)

ProviderCall = Callable[[str, str, str, str, TranslatorConfig], str]
"""(provider, text, source, target, config) -> translation; blocking; raises ProviderError."""


@dataclass(frozen=True)
class TranslationResult:
    """The translation, or the original text with translated=False when no provider managed.

    A text with nothing to translate (only numbers, links, Latin names) comes back as it is,
    translated=True with provider=None.
    """

    text: str
    translated: bool
    provider: str | None
    from_cache: bool


class TranslationService:
    """Cache, single flight, protected tokens, splitting, retries and the provider chain."""

    def __init__(
        self,
        config: TranslatorConfig,
        cache: TranslationCache,
        *,
        call: ProviderCall = providers.call,
    ) -> None:
        requests_shim.install()
        self._config = config
        self._cache = cache
        self._call = call
        self._pool = WorkerPool(config.workers)
        self._cooldowns = Cooldowns()
        self._flights: SingleFlight[CacheKey, TranslationResult] = SingleFlight()
        self._background: set[asyncio.Task[None]] = set()

    async def translate(
        self, text: str, *, source: str = "ru", target: str = "en", owner_id: int
    ) -> TranslationResult:
        """Translate the buyer's text; never raises for a provider's failure."""
        normalised = normalise(text)
        masked = mask(normalised)
        key = _key(normalised, masked, source, target)
        if key is None:
            return TranslationResult(text, translated=True, provider=None, from_cache=False)
        # The flight is joined before the cache is read, and left only after the cache is
        # written: whoever comes later either shares the flight or finds the row.
        future, leads = self._flights.join(key)
        if leads:
            self._spawn(self._lead(key, normalised, masked, owner_id, future))
        # Shielded: one caller giving up must not cancel the others' shared outcome.
        result = await asyncio.shield(future)
        return result if result.translated else replace(result, text=text)

    def cache_key(self, text: str, *, source: str = "ru", target: str = "en") -> CacheKey | None:
        """Where the text's translation is cached; None: nothing to translate, it stays as it is."""
        normalised = normalise(text)
        return _key(normalised, mask(normalised), source, target)

    def warm(self, texts: Iterable[str], *, owner_id: int) -> None:
        """Start translating texts the buyer will soon need, so that the cache has them by then."""
        for text in dict.fromkeys(texts):
            self._spawn(self._warm_one(text, owner_id))

    async def _warm_one(self, text: str, owner_id: int) -> None:
        try:
            await self.translate(text, owner_id=owner_id)
        except Exception:
            # Nobody waits for this one: the hand-back translates again if it must.
            log.exception("translating ahead failed")

    async def drain(self) -> None:
        """Wait for translations under way and their cache writes."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def aclose(self) -> None:
        """Finish what is under way, then stop the worker threads."""
        await self.drain()
        self._pool.close()

    async def __aenter__(self) -> TranslationService:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.aclose()

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _lead(
        self,
        key: CacheKey,
        normalised: str,
        masked: Masked,
        owner_id: int,
        future: asyncio.Future[TranslationResult],
    ) -> None:
        try:
            cached = await self._cache.get(key)
            if cached is not None:
                future.set_result(TranslationResult(cached.text, True, cached.provider, True))
                return
            result = await self._translate_chain(normalised, masked, key.source, key.target)
            future.set_result(result)
            if result.translated and result.provider:
                entry = CachedTranslation(result.text, result.provider)
                await self._cache.put(key, normalised, entry, owner_id)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as error:
            if future.done():
                log.exception("storing a translation failed")
            else:
                future.set_exception(error)
        finally:
            self._flights.finish(key)

    async def _translate_chain(
        self, normalised: str, masked: Masked, source: str, target: str
    ) -> TranslationResult:
        try:
            async with asyncio.timeout(self._config.deadline):
                for provider in self._config.providers:
                    if not self._cooldowns.available(provider):
                        continue
                    try:
                        text = await self._with_provider(provider, masked, source, target)
                    except ProviderError as failure:
                        self._gave_up(provider, failure)
                        continue
                    return TranslationResult(text, True, provider, from_cache=False)
        except TimeoutError:
            log.warning("translation deadline of %ss passed", self._config.deadline)
        return TranslationResult(normalised, translated=False, provider=None, from_cache=False)

    def _gave_up(self, provider: str, failure: ProviderError) -> None:
        log.warning("translator %s gave up: %s", provider, failure)
        if failure.kind is not FailureKind.REJECTED:
            self._cooldowns.cool(provider, max(self._config.cooldown, failure.retry_after or 0.0))

    async def _with_provider(self, provider: str, masked: Masked, source: str, target: str) -> str:
        fits = LIMITS[provider].fits
        pieces = split(masked.text, fits)
        pair = (source, target)
        calls = [self._piece(provider, text, masked.tokens, pair, fits) for text, _ in pieces]
        return join(await _all_or_none(calls), pieces)

    async def _piece(
        self, provider: str, text: str, tokens: tuple[str, ...], pair: tuple[str, str], fits: Fits
    ) -> str:
        if not any(char.isalpha() for char in text):
            return unmask(text, tokens)
        answer = await self._attempts(provider, text, *pair)
        restored = restore(answer, tokens, slots_in(text))
        if restored is not None:
            return restored
        # A placeholder came back mangled: translate the plain words rather than lose a token.
        log.info("translator %s mangled a placeholder; translating the piece unmasked", provider)
        plain = split(unmask(text, tokens), fits)
        return join([await self._attempts(provider, part, *pair) for part, _ in plain], plain)

    async def _attempts(self, provider: str, text: str, source: str, target: str) -> str:
        config = self._config
        attempt = 0
        while True:
            try:
                return await self._once(provider, text, source, target)
            except ProviderError as failure:
                wait = failure.retry_after
                too_long = wait is not None and wait > config.retry_after_cap
                if not failure.retryable or attempt >= config.retries or too_long:
                    raise
                delay = retry_delay(attempt, config.backoff, wait, config.retry_after_cap)
                log.info("translator %s: %s, retrying in %.2fs", provider, failure, delay)
            await asyncio.sleep(delay)
            attempt += 1

    async def _once(self, provider: str, text: str, source: str, target: str) -> str:
        try:
            return await self._pool.run(
                self._config.timeout, self._call, provider, text, source, target, self._config
            )
        except TimeoutError as error:
            raise ProviderError(FailureKind.TIMEOUT) from error


def _key(normalised: str, masked: Masked, source: str, target: str) -> CacheKey | None:
    if source == target or not masked.has_words():
        return None
    return CacheKey(source, target, text_hash(normalised))


async def _all_or_none(calls: Sequence[Awaitable[str]]) -> list[str]:
    """All results in order; on the first failure the rest are cancelled and it is raised."""
    if len(calls) == 1:
        return [await calls[0]]
    tasks = [asyncio.ensure_future(call) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
