"""kill -9 rounds: tests/test_reliability_kill.py's check, 100 rounds by default, on a backend.

Each round starts `yabeda run`, lets three users answer the empty-parcel flow for a random
moment and SIGKILLs the bot; then nothing the bot acknowledged may be missing from the database,
nothing may be there that was not sent, and after the restart the bot must ask the first
unanswered question. Prints where the kills landed and every problem found; appends a summary
to bench/RESULTS.md.
Run: .venv/bin/python bench/kill_rounds.py [--rounds 100] [--backend sqlite|postgres] [--seed N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import append_results, heading
from bench.procs import fresh_database
from bot.emulator import BotApiEmulator
from tests.test_reliability_kill import USERS, KillSummary, kill_rounds, log_problems


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--seed", type=int, default=None, help="repeat a run's kill moments")
    parser.add_argument("--no-append", action="store_true", help="print only")
    return parser.parse_args()


async def run(args: argparse.Namespace, seed: int) -> tuple[KillSummary, float]:
    """The rounds against a fresh database; the summary and the seconds they took."""
    started = time.monotonic()
    async with fresh_database(args.backend) as url, BotApiEmulator() as emulator:
        # Bounded: about 2 s a round, with a generous margin.
        summary = await asyncio.wait_for(
            kill_rounds(emulator, url, args.rounds, random.Random(seed)), 10 * args.rounds + 120
        )
    return summary, time.monotonic() - started


def report(args: argparse.Namespace, seed: int, summary: KillSummary, seconds: float) -> str:
    """The RESULTS.md block."""
    problems = summary.problems + log_problems(summary.logs)
    moments = ", ".join(f"{name}: {count}" for name, count in summary.at_kill.most_common())
    lines = [
        heading("kill_rounds"),
        "",
        f"- {summary.rounds} SIGKILLs of `yabeda run` on {args.backend} (seed {seed}), "
        f"{USERS} users answering, in {seconds:.0f} s",
        f"- where the kills caught the users ({USERS} per round): {moments}",
        f"- the users' pending actions at the kills: {len(summary.actions)} distinct "
        f"({', '.join(sorted(summary.actions))})",
        f"- cases that reached their texts, checked against the reference: "
        f"{summary.finished_cases}",
        f"- problems (acknowledged answers lost, answers invented, wrong question after a "
        f"restart, token or handler failures in the logs): {len(problems)}",
    ]
    lines += [f"  - {problem}" for problem in problems[:20]]
    return "\n".join(lines)


def main() -> None:
    """Run, print, append."""
    args = parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    summary, seconds = asyncio.run(run(args, seed))
    text = report(args, seed, summary, seconds)
    print(text)
    if not args.no_append:
        append_results(text)
    sys.exit(1 if summary.problems else 0)


if __name__ == "__main__":
    main()
