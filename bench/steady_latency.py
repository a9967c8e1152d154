"""Latency under steady load at half the maximum throughput (target: p99 under 50 ms).

Per backend: one closed-loop run (100 users at once, as flow_throughput.py) gives the maximum
updates/s; then, in repeated runs, steps of the empty-parcel flow start at random moments
(Poisson arrivals) at half that rate, each by a user who is not waiting for an answer, for a
fixed time. Latency: update into the emulator to the answer's last message recorded; given for
every step, and without the hand-back step (the dispute texts: ten messages and a translation).
Run: .venv/bin/python bench/steady_latency.py [--seconds 30] [--repeats 3] [--rate R]
     [--backends sqlite,postgres]
Figures are printed and appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
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
    parser.add_argument("--no-append", action="store_true", help="print only")
    return parser.parse_args()


async def run_backend(
    args: argparse.Namespace, backend: str, script: Script, translator: str
) -> tuple[float, list[Figures]]:
    """The maximum rate (measured unless given), then the steady runs at half of it."""
    target = Target("flow", backend)
    maximum = args.rate * 2 if args.rate else 0.0
    if not maximum:
        figures = await measure(target, args.users, script, closed_loop(script, "flow"), translator)
        maximum = figures.updates_per_s
        print(f"{backend}: maximum {maximum:.0f} updates/s", flush=True)
    runs = []
    for repeat in range(args.repeats):
        load = open_loop(script, "flow", maximum / 2, args.seconds, seed=repeat)
        figures = await measure(target, POOL, script, load, translator)
        print(f"{backend} repeat {repeat + 1}: {line(figures, script)}", flush=True)
        runs.append(figures)
    return maximum, runs


def split(figures: Figures, script: Script) -> tuple[list[float], list[float]]:
    """Every step's latency, and those of the steps before the hand-back."""
    last = len(script.steps) - 1
    answers = [
        lat for lat, step in zip(figures.latencies, figures.steps, strict=True) if step != last
    ]
    return figures.latencies, answers


def line(figures: Figures, script: Script) -> str:
    """One run on one line."""
    every, answers = (latency_ms(s) for s in split(figures, script))
    return (
        f"{figures.updates_per_s:.1f} updates/s, {len(figures.latencies)} timed, "
        f"all p50 {every['p50']:.1f} p95 {every['p95']:.1f} p99 {every['p99']:.1f} "
        f"max {every['max']:.0f} ms; without hand-back p99 {answers['p99']:.1f} ms; "
        f"skipped {figures.skipped}, bot CPU {figures.bot_cpu:.0%}"
    )


def report(
    args: argparse.Namespace, script: Script, results: dict[str, tuple[float, list[Figures]]]
) -> str:
    """The RESULTS.md block."""
    lines = [
        heading("steady_latency"),
        "",
        f"Poisson arrivals at half the maximum rate for {args.seconds:.0f} s per run (first 2 s "
        f"not timed), {args.repeats} runs, median (min-max); a pool of {POOL} users, each "
        "waiting for its answer (a start finding none idle is skipped), starting spread evenly "
        "over the flow (user i of n at step i × steps / n) rather than all at the first. "
        "Latency: update into the emulator to the answer's last message. Target: p99 < 50 ms.",
        "",
        "| backend | max updates/s | offered/s | achieved/s | steps timed | p50 ms | p95 ms | "
        "p99 ms | max ms | p99 without hand-back | skipped | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for backend, (maximum, runs) in results.items():
        every = [latency_ms(split(f, script)[0]) for f in runs]
        answers = [latency_ms(split(f, script)[1]) for f in runs]
        p99 = statistics.median(x["p99"] for x in every)
        lines.append(
            f"| {backend} | {maximum:.0f} | {maximum / 2:.1f} | "
            f"{spread([f.updates_per_s for f in runs])} | "
            f"{statistics.median(len(f.latencies) for f in runs):.0f} | "
            f"{spread([x['p50'] for x in every])} | {spread([x['p95'] for x in every])} | "
            f"{spread([x['p99'] for x in every])} | {spread([x['max'] for x in every], 0)} | "
            f"{spread([x['p99'] for x in answers])} | {sum(f.skipped for f in runs)} | "
            f"{'✓' if p99 < TARGET_P99_MS else '✗'} |"
        )
    return "\n".join(lines)


async def run_all(
    args: argparse.Namespace, translator: str
) -> tuple[Script, dict[str, tuple[float, list[Figures]]]]:
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
