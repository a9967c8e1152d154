"""What TranslationService adds on top of a provider's own latency, and what a cache hit costs.

The fake translation server answers after a fixed latency. For each cache (memory, the app's
SQLite) we time N sequential calls and report median and p95 of:
  - one provider call alone, made synchronously the way the service makes it (HTTP included);
  - the service on a cache miss, interleaved text by text with the call alone, and the
    difference per text: what the service adds (thread hand-off, masking, splitting, cache);
  - the same miss minus the fake's fixed latency (this also counts requests, HTML parsing and
    the fake's own work, which are the provider's cost, not the service's);
  - the service on a cache hit, and on a miss against an instant provider (no HTTP at all).
Run: .venv/bin/python bench/translation_bench.py [--calls N] [--latency SECONDS]
Figures are printed and appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deep_translator import GoogleTranslator  # noqa: E402

from bot.storage.models import Base, User  # noqa: E402
from bot.storage.session import create_engine, session_factory  # noqa: E402
from bot.translation import (  # noqa: E402
    MemoryTranslationCache,
    SqlTranslationCache,
    TranslationCache,
    TranslationService,
    TranslatorConfig,
    providers,
)
from tests.fakes.translation_server import FakeTranslationServer  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
TEXT = "Посылка номер {n} пришла пустая, вес 508 г, трек RA123456789CN, продавец не отвечает."


def summary(samples: list[float]) -> tuple[float, float]:
    """Median and p95, in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def minus(figures: tuple[float, float], milliseconds: float) -> tuple[float, float]:
    """Both figures less a fixed number of milliseconds."""
    return figures[0] - milliseconds, figures[1] - milliseconds


def direct_calls(url: str, calls: int) -> list[float]:
    """deep-translator's GoogleTranslator against the fake, before the service patches it."""
    samples = []
    for n in range(calls):
        translator = GoogleTranslator(source="ru", target="en")
        translator._base_url = url
        started = time.perf_counter()
        translator.translate(TEXT.format(n=n))
        samples.append(time.perf_counter() - started)
    return samples


async def paired_calls(
    config: TranslatorConfig, cache: TranslationCache, calls: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Per text: the call alone, the service's miss, its cache write; then the service's hits.

    The two are interleaved, text by text, so that a noisy neighbour slows both alike.
    """
    direct, misses, hits, writes = [], [], [], []
    async with TranslationService(config, cache) as service:
        await service.translate(TEXT.format(n=-1), owner_id=1)  # warm-up: threads, pools
        await service.drain()
        for n in range(calls):
            started = time.perf_counter()
            providers.call("google", TEXT.format(n=f"d{n}"), "ru", "en", config)
            direct.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = await service.translate(TEXT.format(n=n), owner_id=1)
            misses.append(time.perf_counter() - started)
            assert result.translated and not result.from_cache, "the fake should always answer"
            # The cache write runs after the caller has its text; let it finish before the
            # next synchronous call blocks the loop, as a real bot's loop would be free to.
            started = time.perf_counter()
            await service.drain()
            writes.append(time.perf_counter() - started)
        for n in range(calls):
            started = time.perf_counter()
            result = await service.translate(TEXT.format(n=n), owner_id=1)
            hits.append(time.perf_counter() - started)
            assert result.from_cache
    return direct, misses, hits, writes


def instant(provider: str, text: str, source: str, target: str, config: TranslatorConfig) -> str:
    """A provider that answers at once, in the worker thread: what is left is the service."""
    return "[en] " + text


async def instant_calls(cache: TranslationCache, calls: int) -> list[float]:
    """Service misses against the instant provider: the service's own cost, free of HTTP noise."""
    samples = []
    async with TranslationService(TranslatorConfig(), cache, call=instant) as service:
        await service.translate(TEXT.format(n="warm-up"), owner_id=1)
        for n in range(calls):
            started = time.perf_counter()
            await service.translate(TEXT.format(n=f"instant {n}"), owner_id=1)
            samples.append(time.perf_counter() - started)
    return samples


async def sqlite_cache(directory: str) -> SqlTranslationCache:
    """The app's own SQLite engine (WAL, synchronous=NORMAL) on a scratch file."""
    engine = create_engine(f"sqlite+aiosqlite:///{directory}/bench.sqlite3")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        session.add(User(id=1, chat_id=1))
    return SqlTranslationCache(sessions)


async def measure(calls: int, latency: float) -> list[tuple[str, float, float]]:
    """Rows of (what, median ms, p95 ms)."""
    fixed = latency * 1000
    with FakeTranslationServer(latency=latency) as fake, tempfile.TemporaryDirectory() as tmp:
        rows = [("deep-translator alone, unpatched", *summary(direct_calls(fake.url, calls)))]
        config = TranslatorConfig(url=fake.url, cooldown=0.0)
        caches: dict[str, TranslationCache] = {
            "memory": MemoryTranslationCache(),
            "sqlite": await sqlite_cache(tmp),
        }
        for name, cache in caches.items():
            direct, misses, hits, writes = await paired_calls(config, cache, calls)
            added = [miss - alone for miss, alone in zip(misses, direct, strict=True)]
            rows += [
                (f"{name}: provider call alone, as the service makes it", *summary(direct)),
                (f"{name}: service, cache miss", *summary(misses)),
                (f"{name}: **added by the service** (miss minus call alone, per text)",
                 *summary(added)),
                (f"{name}: service miss minus the fake's fixed {fixed:.0f} ms",
                 *minus(summary(misses), fixed)),
                (f"{name}: cache write after the reply (the caller does not wait)",
                 *summary(writes)),
                (f"{name}: service, cache hit", *summary(hits)),
                (f"{name}: service, cache miss, instant provider (no HTTP at all)",
                 *summary(await instant_calls(cache, calls))),
            ]  # fmt: skip
    return rows


def report(rows: list[tuple[str, float, float]], calls: int, latency: float) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### translation_bench: {stamp}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "",
        f"{calls} sequential calls per row; fake Google at 127.0.0.1 answering after "
        f"{latency * 1000:.0f} ms. Target: the service adds < 5 ms per call.",
        "",
        "| what | median ms | p95 ms |",
        "|---|---:|---:|",
        *(f"| {name} | {median:.2f} | {p95:.2f} |" for name, median, p95 in rows),
        "",
    ]
    return "\n".join(lines)


def append(text: str) -> None:
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by the scripts in bench/.\n\n")
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="the fake's latency, seconds")
    args = parser.parse_args()
    rows = asyncio.run(measure(args.calls, args.latency))
    text = report(rows, args.calls, args.latency)
    print(text)
    append(text)


if __name__ == "__main__":
    main()
