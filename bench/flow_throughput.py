"""Flow throughput: N users complete the empty-parcel flow at once, against the echo bot's ceiling.

For each repeat, in turn: the bare echo bot (bench/echo_bot.py), then `yabeda run` on SQLite,
then on PostgreSQL, each in its own process on a fresh database, polling the emulator in this
process. Every user plays the same 35 updates (texts, button presses, a photo, a video) and
waits for each whole answer. Figures: updates/s, latency p50/p95/p99 (update into the emulator
to the last message of the answer recorded), the bot process's peak memory and CPU use, and the
flow's throughput as a fraction of the echo bot's (target: at least 0.7).
The issue's ceiling is the echo bot on python-telegram-bot's defaults (httpx, asyncio's loop);
--echo-transport same also runs it on the flow bot's HTTP client and loop, so that the share
of the gain that comes from the transport rather than from the bot's own work shows.
Run: .venv/bin/python bench/flow_throughput.py [--users 100] [--repeats 3]
     [--backends sqlite,postgres] [--echo-transport same[,aiohttp,uvloop...]]
Figures are printed and appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, append_results, heading, latency_ms, spread
from bench.loadrun import Figures, Script, Target, closed_loop, measure
from bench.remote import measure_remote
from tests.fakes.translation_server import FakeTranslationServer

TARGET_RATIO = 0.7
# The HTTP client and event loop of `yabeda run` (bot/app.py, bot/cli.py).
FLOW_STACK = "aiohttp+uvloop"
PLACES = {
    "harness": "emulator and users in the harness process.",
    "process": "emulator in its own process (`python -m bot.emulator`), users in the harness "
    "driving it over the control API (latency then includes the control round trips; "
    "harness CPU counts both processes).",
}


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--bot-root",
        action="append",
        type=Path,
        help="measure the flow bot of this checkout (repeatable: compare a proposed change)",
    )
    parser.add_argument("--profile", type=Path, help="py-spy the flow runs of repeat 1 into DIR")
    parser.add_argument(
        "--emulator",
        choices=("harness", "process"),
        default="harness",
        help="process: the emulator in its own process, users over its control API "
        "(checks that the default does not distort the figures)",
    )
    parser.add_argument(
        "--echo-transport",
        default="",
        help="also run the echo bot on these stacks, a comma list: same (the flow bot's, "
        f"{FLOW_STACK}), or parts joined by + out of httpx, aiohttp, asyncio, uvloop",
    )
    parser.add_argument("--no-append", action="store_true", help="print only")
    return parser.parse_args()


def targets(args: argparse.Namespace) -> list[Target]:
    """The echo bot, then each checkout's flow bot on each backend."""
    roots = args.bot_root or [ROOT]
    named = len(roots) > 1 or roots[0].resolve() != ROOT
    return (
        [Target("echo")]
        + [Target("echo", stack=stack) for stack in echo_stacks(args)]
        + [
            Target("flow", backend, root.resolve(), root.resolve().name if named else "")
            for root in roots
            for backend in args.backends.split(",")
        ]
    )


def echo_stacks(args: argparse.Namespace) -> list[str]:
    """The extra echo bot stacks asked for, "same" spelled out."""
    stacks = [part.strip() for part in args.echo_transport.split(",") if part.strip()]
    return [FLOW_STACK if stack == "same" else stack for stack in stacks]


async def run_all(args: argparse.Namespace, translator_url: str) -> list[list[Figures]]:
    """Every repeat runs every target once, in turn, so that slow spells hit all alike."""
    script = Script()
    if args.emulator == "process":  # the flow's answers are counted once, in-process
        await measure(Target("flow"), 1, script, closed_loop(script, "flow"), translator_url)
    repeats = []
    for repeat in range(args.repeats):
        row = []
        for number, target in enumerate(targets(args)):
            profile = None
            if args.profile and repeat == 0 and target.kind == "flow":
                args.profile.mkdir(parents=True, exist_ok=True)
                profile = args.profile / f"{number}-{target.backend}.txt"
            if args.emulator == "process":
                figures = await measure_remote(target, args.users, script, translator_url)
            else:
                load = closed_loop(script, target.kind)
                figures = await measure(target, args.users, script, load, translator_url, profile)
            print(f"repeat {repeat + 1}: {one_line(figures)}", flush=True)
            row.append(figures)
        repeats.append(row)
    return repeats


def one_line(figures: Figures) -> str:
    """A run's figures on one line, for the progress output."""
    lat = latency_ms(figures.latencies)
    return (
        f"{figures.label}: {figures.updates} updates in {figures.seconds:.1f} s = "
        f"{figures.updates_per_s:.0f}/s, p50 {lat['p50']:.1f} p95 {lat['p95']:.1f} "
        f"p99 {lat['p99']:.1f} ms, peak {figures.peak_rss_mib:.0f} MiB, bot CPU "
        f"{figures.bot_cpu:.0%} ({figures.bot_cpu / figures.updates_per_s * 1000:.2f} ms/update), "
        f"harness CPU {figures.harness_cpu:.0%}, "
        f"failed users {figures.failures}, log errors {len(figures.log_errors)}"
    )


def report(args: argparse.Namespace, repeats: list[list[Figures]]) -> str:
    """The RESULTS.md block: one row per bot, median (min-max) over the repeats."""
    same = _same_stack_column(repeats[0])
    lines = [
        heading("flow_throughput"),
        "",
        f"{args.users} users at once, each playing the empty-parcel flow "
        f"({repeats[0][0].updates // args.users} updates, waiting for each answer); "
        f"{args.repeats} repeats, median (min-max). Latency: update into the emulator to the "
        "answer's last message recorded. Bot in its own process (`yabeda run` / "
        f"bench/echo_bot.py, polling); {PLACES[args.emulator]} CPU ms/update: the bot's CPU "
        "time per update. vs echo: against the echo bot on python-telegram-bot's defaults "
        "(the issue's ceiling, target 0.7)"
        + (
            f"; vs same-stack echo: against the echo bot on the flow bot's {FLOW_STACK}."
            if same
            else "."
        ),
        "",
        "| bot | updates/s | msgs/update | p50 ms | p95 ms | p99 ms | peak MiB | bot CPU | "
        "CPU ms/update | harness CPU | vs echo |" + (" vs same-stack echo |" if same else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if same else ""),
    ]
    for column in range(len(repeats[0])):
        runs = [row[column] for row in repeats]
        same_echoes = [row[same] for row in repeats] if same else None
        lines.append(_row(runs, [row[0] for row in repeats], same_echoes))
    problems = [
        f"- {f.label}: {f.failures} users did not finish, {len(f.log_errors)} log errors "
        f"(first: {f.log_errors[0] if f.log_errors else '-'})"
        for row in repeats
        for f in row
        if f.failures or f.log_errors
    ]
    return "\n".join(lines + (["", *problems] if problems else []))


def _same_stack_column(row: list[Figures]) -> int | None:
    """Where the echo bot on the flow bot's stack is, if it ran."""
    for column, figures in enumerate(row):
        if figures.kind == "echo" and figures.target.stack == FLOW_STACK:
            return column
    return None


def _ratio(runs: list[Figures], echoes: list[Figures]) -> list[float]:
    return [f.updates_per_s / e.updates_per_s for f, e in zip(runs, echoes, strict=True)]


def _row(runs: list[Figures], echoes: list[Figures], same: list[Figures] | None) -> str:
    lat = [latency_ms(f.latencies) for f in runs]
    ratios = _ratio(runs, echoes)
    verdict = spread(ratios, 2)
    if runs[0].kind == "flow":
        verdict += " ✓" if statistics.median(ratios) >= TARGET_RATIO else " ✗ (target 0.7)"
    cells = [
        runs[0].label,
        spread([f.updates_per_s for f in runs], 0),
        f"{statistics.median(f.messages / f.updates for f in runs):.2f}",
        spread([x["p50"] for x in lat]),
        spread([x["p95"] for x in lat]),
        spread([x["p99"] for x in lat]),
        spread([f.peak_rss_mib for f in runs], 0),
        spread([f.bot_cpu * 100 for f in runs], 0) + "%",
        spread([f.bot_cpu / f.updates_per_s * 1000 for f in runs], 2),
        spread([f.harness_cpu * 100 for f in runs], 0) + "%",
        "1" if runs[0] is echoes[0] else verdict,
    ]
    if same is not None:
        cells.append(spread(_ratio(runs, same), 2) if runs[0].kind == "flow" else "")
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    """Run, print, append."""
    args = parse_args()
    with FakeTranslationServer() as translator:
        repeats = asyncio.run(run_all(args, translator.url))
    text = report(args, repeats)
    print(text)
    if not args.no_append:
        append_results(text)


if __name__ == "__main__":
    main()
