"""Shared by the benchmarks: percentiles, spread over repeats, the machine, RESULTS.md."""

from __future__ import annotations

import math
import os
import platform
import statistics
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction in 0..1) of unsorted samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def latency_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50, p95, p99 and max of latencies in seconds, as milliseconds."""
    return {
        "p50": percentile(samples, 0.50) * 1000,
        "p95": percentile(samples, 0.95) * 1000,
        "p99": percentile(samples, 0.99) * 1000,
        "max": max(samples, default=float("nan")) * 1000,
    }


def spread(values: Sequence[float], digits: int = 1) -> str:
    """The median of repeated runs and their range: `412.3 (398.0-420.1)`."""
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{mid:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"


def machine() -> str:
    """Host, CPU model, core count and Python, as every RESULTS.md entry names them."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
    except OSError:
        pass
    return f"{platform.node()}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews the figures."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "n/a"


def heading(name: str) -> str:
    """A RESULTS.md section heading with the date and the machine."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    return f"### {name}: {stamp} UTC, {machine()}, load {load_average()} before the run"


def append_results(text: str) -> None:
    """Append a block to bench/RESULTS.md (created with its title when missing)."""
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nAppended by the scripts in bench/.\n\n")
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(text.rstrip("\n") + "\n\n")
