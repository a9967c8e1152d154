"""Where a bot's CPU time goes, from py-spy's raw (collapsed) stacks: a table by layer.

Each sample goes to the innermost frame that names a known layer (the database driver,
SQLAlchemy, the Bot API client, python-telegram-bot, our handlers ...), so a JSON decode inside
the HTTP client counts as the client. Also prints the heaviest functions of bot/ and flows/
(inclusive), which say which handler steps cost the most.
Run: .venv/bin/python bench/profile_summary.py PROFILE.txt [--top 25]
(flow_throughput.py --profile DIR writes the profiles.)
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

_HTTP = (
    r"httpx/|httpcore/|h11/|anyio/|telegram/request/"
    r"|aiohttp/|aiohappyeyeballs/|yarl/|multidict/|bot/transport\.py"
)
# uvloop is compiled: py-spy shows no frame of its own, so time spent in the loop itself lands
# on the Python frame that started it (python-telegram-bot's __run, or asyncio.run).
_LOOP = r"asyncio/|selectors|uvloop|^Application\.__run \(telegram/ext/_application\.py\)$"
# Innermost match wins; order matters only between layers of one frame.
LAYERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("database driver (aiosqlite thread / asyncpg)", re.compile(r"aiosqlite/|asyncpg/|sqlite3")),
    ("SQLAlchemy (ORM, core, async bridge)", re.compile(r"sqlalchemy/|greenlet")),
    ("Bot API HTTP client (httpx/aiohttp, PTB request)", re.compile(_HTTP)),
    ("asyncio event loop", re.compile(_LOOP)),
    ("python-telegram-bot (objects, dispatch, rate limiter)", re.compile(r"telegram/")),
    ("texts (gettext catalogs)", re.compile(r"gettext|babel/|bot/i18n")),
    ("our code: bot/ and flows/", re.compile(r"\((bot|flows)/")),
)
OTHER = "other (json, logging, stdlib ...)"
_LINE = re.compile(r":\d+\)$")


def samples(path: Path) -> Iterator[tuple[list[str], int]]:
    """(frames root first, count) for every line of a raw py-spy file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            yield [_LINE.sub(")", frame) for frame in stack.split(";")], int(count)


def layer_of(frames: list[str]) -> str:
    """The innermost known layer of one stack."""
    for frame in reversed(frames):
        for name, pattern in LAYERS:
            if pattern.search(frame):
                return name
    return OTHER


def summarise(path: Path, top: int) -> str:
    """The layer table and the heaviest bot/ and flows/ functions."""
    layers: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    total = 0
    for frames, count in samples(path):
        total += count
        layers[layer_of(frames)] += count
        for frame in set(frames):
            if re.search(r"\((bot|flows)/", frame) and "bot/cli.py" not in frame:
                ours[frame] += count
    lines = [f"{total} samples of {path.name}", "", "| layer | share |", "|---|---:|"]
    lines += [f"| {name} | {count / total:.0%} |" for name, count in layers.most_common()]
    lines += ["", "| bot/ and flows/ function (inclusive) | share |", "|---|---:|"]
    lines += [f"| `{name}` | {count / total:.1%} |" for name, count in ours.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    """Print the summary of each file given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    for path in args.profiles:
        print(summarise(path, args.top), end="\n\n")


if __name__ == "__main__":
    main()
