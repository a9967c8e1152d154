"""Latency under steady load at half the maximum throughput (target: p99 under 50 ms).

Per backend: one closed-loop run (100 users at once, as flow_throughput.py) gives the maximum
updates/s; then, in repeated runs, steps of the empty-parcel flow start at random moments
(Poisson arrivals) at half that rate, each by a user who is not waiting for an answer, for a
fixed time. Latency: update into the emulator to the answer's last message recorded; given for
every step, and without the hand-back step (the dispute texts: ten messages, their unit of work),
and to the answer's first message (when the buyer sees the bot answer). Each run is preceded
by the same load on the bare echo bot (python-telegram-bot's defaults, no database): the
framework's own latency on this machine at that rate, as flow_throughput.py gives its ceiling.
Run: .venv/bin/python bench/steady_latency.py [--seconds 30] [--repeats 3] [--rate R]
     [--backends sqlite,postgres] [--no-echo]
Figures are printed and appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import append_results, heading, latency_ms, spread
from bench.loadrun import Figures, Script, Target, closed_loop, measure, open_loop
from tests.fakes.translation_server import FakeTranslationServer

TARGET_P99_MS = 50.0
# Users who may start a step: enough that one is nearly always idle, few enough that each goes
# through the whole flow (hand-back included) several times in a run.
POOL = 12


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rate", type=float, help="updates/s (default: half the measured max)")
    parser.add_argument("--users", type=int, default=100, help="users of the max-rate run")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--no-echo", action="store_true", help="skip the echo bot's runs")
    parser.add_argument("--profile", type=Path, help="py-spy the steady runs of repeat 1 into DIR")
    parser.add_argument("--no-append", action="store_true", help="print only")
    return parser.parse_args()


@dataclass
class Backend:
    """One backend's maximum, its steady runs, and the echo bot's at the same rates."""

    maximum: float
    runs: list[Figures] = field(default_factory=list)
    echo: list[Figures] = field(default_factory=list)


async def run_backend(
    args: argparse.Namespace, backend: str, script: Script, translator: str
) -> Backend:
    """The maximum rate (measured unless given), then the steady runs at half of it."""
    target = Target("flow", backend)
    maximum = args.rate * 2 if args.rate else 0.0
    if not maximum:
        figures = await measure(target, args.users, script, closed_loop(script, "flow"), translator)
        maximum = figures.updates_per_s
        print(f"{backend}: maximum {maximum:.0f} updates/s", flush=True)
    result = Backend(maximum)
    for repeat in range(args.repeats):
        if not args.no_echo:
            load = open_loop(script, "echo", maximum / 2, args.seconds, seed=repeat)
            figures = await measure(Target("echo"), POOL, script, load, translator)
            print(f"echo at the {backend} rate, repeat {repeat + 1}: {line(figures)}", flush=True)
            result.echo.append(figures)
        load = open_loop(script, "flow", maximum / 2, args.seconds, seed=repeat)
        profile = None
        if args.profile and repeat == 0:
            args.profile.mkdir(parents=True, exist_ok=True)
            profile = args.profile / f"steady-{backend}.txt"
        figures = await measure(target, POOL, script, load, translator, profile)
        print(f"{backend} repeat {repeat + 1}: {line(figures, script)}", flush=True)
        result.runs.append(figures)
    return result


def before_handback(figures: Figures, script: Script) -> list[float]:
    """The latencies of the steps before the hand-back."""
    last = len(script.steps) - 1
    return [lat for lat, step in zip(figures.latencies, figures.steps, strict=True) if step != last]


def handbacks(figures: Figures, script: Script) -> list[float]:
    """The latencies of the hand-back steps alone (the texts: most of the slowest updates)."""
    last = len(script.steps) - 1
    return [lat for lat, step in zip(figures.latencies, figures.steps, strict=True) if step == last]


def line(figures: Figures, script: Script | None = None) -> str:
    """One run on one line (the flow's with its steps before the hand-back apart)."""
    every, first = latency_ms(figures.latencies), latency_ms(figures.firsts)
    answers = ""
    if script is not None:
        p99 = latency_ms(before_handback(figures, script))["p99"]
        texts = latency_ms(handbacks(figures, script))
        answers = (
            f"without hand-back p99 {p99:.1f} ms; "
            f"hand-back p50 {texts['p50']:.1f} p95 {texts['p95']:.1f} ms; "
        )
    return (
        f"{figures.updates_per_s:.1f} updates/s, {len(figures.latencies)} timed, "
        f"all p50 {every['p50']:.1f} p95 {every['p95']:.1f} p99 {every['p99']:.1f} "
        f"max {every['max']:.0f} ms; {answers}"
        f"to the first message p99 {first['p99']:.1f} ms; "
        f"skipped {figures.skipped}, bot CPU {figures.bot_cpu:.0%}"
    )


def report(args: argparse.Namespace, script: Script, results: dict[str, Backend]) -> str:
    """The RESULTS.md block."""
    lines = [
        heading("steady_latency"),
        "",
        f"Poisson arrivals at half the maximum rate for {args.seconds:.0f} s per run (first 2 s "
        f"not timed), {args.repeats} runs, median (min-max); a pool of {POOL} users, each "
        "waiting for its answer (a start finding none idle is skipped), starting spread evenly "
        "over the flow (user i of n at step i × steps / n) rather than all at the first. "
        "Latency: update into the emulator to the answer's last message; 'first message': to "
        "its first. Echo bot: the same arrivals on the bare python-telegram-bot echo bot, run "
        "just before each flow run. Target: p99 < 50 ms.",
        "",
        "| bot | max updates/s | offered/s | achieved/s | steps timed | p50 ms | p95 ms | "
        "p99 ms | max ms | p99 without hand-back | hand-back p50 | p99 to first message | "
        "skipped | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for backend, result in results.items():
        lines.append(_row(f"flow, {backend}", result.maximum, result.runs, script))
        if result.echo:
            lines.append(_row(f"echo bot at the {backend} rate", result.maximum, result.echo))
    return "\n".join(lines)


def _row(label: str, maximum: float, runs: list[Figures], script: Script | None = None) -> str:
    every = [latency_ms(f.latencies) for f in runs]
    first = [latency_ms(f.firsts) for f in runs]
    answers = (
        spread([latency_ms(before_handback(f, script))["p99"] for f in runs]) if script else "-"
    )
    texts = spread([latency_ms(handbacks(f, script))["p50"] for f in runs]) if script else "-"
    p99 = statistics.median(x["p99"] for x in every)
    return (
        f"| {label} | {maximum:.0f} | {maximum / 2:.1f} | "
        f"{spread([f.updates_per_s for f in runs])} | "
        f"{statistics.median(len(f.latencies) for f in runs):.0f} | "
        f"{spread([x['p50'] for x in every])} | {spread([x['p95'] for x in every])} | "
        f"{spread([x['p99'] for x in every])} | {spread([x['max'] for x in every], 0)} | "
        f"{answers} | {texts} | {spread([x['p99'] for x in first])} | "
        f"{sum(f.skipped for f in runs)} | "
        f"{'✓' if p99 < TARGET_P99_MS else '✗'} |"
    )


async def run_all(args: argparse.Namespace, translator: str) -> tuple[Script, dict[str, Backend]]:
    script = Script()
    results = {}
    for backend in args.backends.split(","):
        results[backend] = await run_backend(args, backend, script, translator)
    return script, results


def main() -> None:
    """Run, print, append."""
    args = parse_args()
    with FakeTranslationServer() as translator:
        script, results = asyncio.run(run_all(args, translator.url))
    text = report(args, script, results)
    print(text)
    if not args.no_append:
        append_results(text)


if __name__ == "__main__":
    main()
