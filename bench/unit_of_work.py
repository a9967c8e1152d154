"""What the database layer costs one update: a typical unit of work, timed alone, per backend.

A typical update reads its user with the active case (bot/storage/users.ensure_user), notes
its update id as applied (bot/storage/handled.first_time), stores one answer in the case's JSON
and commits: one SELECT, one INSERT, one UPDATE, the commit. Here that unit
of work runs N times in a row in this process, with no bot and no load, so that the CPU time
(this process's, aiosqlite's thread included) is steady enough to compare two versions of the
storage code, which the load benchmarks, swinging by a third from run to run on this VM, are
not. Each repeat uses a fresh database, migrated as `yabeda migrate` does.
Run: .venv/bin/python bench/unit_of_work.py [--units 3000] [--repeats 3]
     [--backends sqlite,postgres] [--bot-root DIR (repeatable: compare checkouts)]
Figures are printed and appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, append_results, heading, spread
from bench.procs import fresh_database

USER_ID = 1_000_001
FIRST_UPDATE = 5_000_001
# A case halfway through the empty-parcel flow: the JSON an update rewrites.
ANSWERS = {f"answer_{n}": f"значение {n}" for n in range(20)} | {
    "acts": [{"number": "№ 123", "date": "2024-08-19", "office": "ММПО Внуково"}]
}


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--bot-root", action="append", type=Path, help="a checkout to measure")
    parser.add_argument("--no-append", action="store_true", help="print only")
    parser.add_argument("--child", nargs=2, metavar=("BACKEND", "UNITS"), help=argparse.SUPPRESS)
    return parser.parse_args()


async def measure(backend: str, units: int) -> tuple[float, float]:
    """CPU and wall microseconds per unit of work, on a fresh database."""
    migrate = importlib.import_module("bot.storage.migrate")
    session = importlib.import_module("bot.storage.session")
    users = importlib.import_module("bot.storage.users")
    cases = importlib.import_module("bot.storage.cases")
    handled = importlib.import_module("bot.storage.handled")
    async with fresh_database(backend) as url:
        engine = session.create_engine(url)
        try:
            await migrate.upgrade(engine)
            sessions = session.session_factory(engine, shared_with_instances=False)
            async with sessions() as db:
                user = await users.ensure_user(db, USER_ID, USER_ID, "ru")
                case = await cases.open_case(db, user, "complaint")
                case.answers = dict(ANSWERS)
                await db.commit()
            cpu, wall = time.process_time(), time.perf_counter()
            for n in range(units):
                async with sessions() as db:
                    user = await users.ensure_user(db, USER_ID, USER_ID, "ru")
                    await handled.first_time(db, FIRST_UPDATE + n, USER_ID)
                    case = await cases.active_case(db, user)
                    cases.save_answer(case, "answer_0", f"значение {n}")
                    await db.commit()
            return (
                (time.process_time() - cpu) / units * 1e6,
                (time.perf_counter() - wall) / units * 1e6,
            )
        finally:
            await engine.dispose()


def run_child(root: Path, backend: str, units: int) -> tuple[float, float]:
    """One measurement in a fresh interpreter that imports the bot from `root`."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", backend, str(units)]
    output = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout
    cpu, wall = output.split()
    return float(cpu), float(wall)


def label(root: Path) -> str:
    """A checkout's commit, or its folder's name when it is not a git work tree."""
    git = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return git.stdout.strip() if git.returncode == 0 else root.name


def report(
    args: argparse.Namespace,
    roots: list[Path],
    figures: dict[tuple[Path, str], list[tuple[float, float]]],
) -> str:
    """The RESULTS.md block."""
    lines = [
        heading("unit_of_work"),
        "",
        f"{args.units} units of work in a row (read the user with the active case, note the "
        f"update id as applied, store one answer, commit), no bot, no load; {args.repeats} "
        "repeats, each on a fresh database, median (min-max). CPU: this process's, the "
        "database driver's thread included.",
        "",
        "| checkout | backend | CPU µs per unit | wall µs per unit |",
        "|---|---|---:|---:|",
    ]
    for root in roots:
        name = label(root)
        for backend in args.backends.split(","):
            runs = figures[root, backend]
            lines.append(
                f"| {name} | {backend} | {spread([c for c, _ in runs], 0)} | "
                f"{spread([w for _, w in runs], 0)} |"
            )
    return "\n".join(lines)


def main() -> None:
    """Measure each checkout on each backend, repeats interleaved; print, append."""
    args = parse_args()
    if args.child:
        sys.path.insert(0, str(Path.cwd()))
        cpu, wall = asyncio.run(measure(args.child[0], int(args.child[1])))
        print(f"{cpu:.1f} {wall:.1f}")
        return
    roots = [root.resolve() for root in args.bot_root or [ROOT]]
    figures: dict[tuple[Path, str], list[tuple[float, float]]] = {}
    for repeat in range(args.repeats):
        for root in roots:
            for backend in args.backends.split(","):
                cpu, wall = run_child(root, backend, args.units)
                figures.setdefault((root, backend), []).append((cpu, wall))
                print(
                    f"repeat {repeat + 1}: {root.name} {backend}: {cpu:.0f} µs CPU, "
                    f"{wall:.0f} µs wall per unit",
                    flush=True,
                )
    text = report(args, roots, figures)
    print(text)
    if not args.no_append:
        append_results(text)


if __name__ == "__main__":
    main()
