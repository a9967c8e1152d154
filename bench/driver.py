"""Simulated users for the benchmarks: the empty-parcel flow as steps, played against the bot.

Each step is one update (a text, a button press, a photo, a video). A user waits for the bot's
whole answer to a step (its number of messages is learnt once, in a calibration run) before
the next step, as a person does. Latency of a step: from the moment the update enters the
emulator to the moment the emulator records the last message of the bot's answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.echo_bot import ECHO_DATA
from bot.emulator import BotApiEmulator, Reply, SimUser
from tests.images import tiny_jpeg


@dataclass(frozen=True, slots=True)
class Step:
    """One user action: "text", "tap" (a button label), "photo" or "video"."""

    action: str
    value: str = ""


def _texts(*values: str) -> tuple[Step, ...]:
    return tuple(Step("text", value) for value in values)


def _taps(*labels: str) -> tuple[Step, ...]:
    return tuple(Step("tap", label) for label in labels)


# tests/test_complaint_e2e.py's empty-parcel case: soap inside, a tracking typo, one act.
EMPTY_PARCEL: tuple[Step, ...] = (
    *_texts("/new"),
    *_taps("Пустая посылка / внутри другое", "Да"),
    *_texts("кусок мыла"),
    *_taps("aliexpress.com (глобальный)"),
    *_texts("Xiaomi Redmi Note 12 Pro", "8123456789012345", "RA123456789CN", "RA123456785CN"),
    *_texts("27.07.2024", "30 июля 2024", "12 168,71 руб"),
    *_taps("Пропустить", "Нет"),
    *_texts("12 дней"),
    *_taps("Полный возврат денег", "Да", "О вскрытии посылки"),
    *_texts("№ 123", "19.08.2024", "ММПО Внуково", "520 г", "0,31 кг"),
    *_taps("Упаковка повреждена", "Товар подменён", "Готово", "Нет"),
    Step("photo"),
    *_taps("Нет"),
    Step("video"),
    *_taps("Видео распаковки", "Готово, доказательства все"),
    *_texts("Заказывала телефон, пришёл кусок мыла в пакете."),
    *_taps("Всё верно — получить тексты"),
)
# What the last answer of a correct run contains.
FLOW_DONE_MARK = "Received a different item"


class Arrivals:
    """When the emulator recorded each chat's latest bot message (perf_counter seconds), and
    the first since `expect`: the moment a buyer sees that the bot has answered."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.last: dict[int, float] = {}
        self.first: dict[int, float] = {}
        emulator.on_reply(self._seen)

    def expect(self, chat_id: int) -> None:
        """The next message to this chat answers a new update."""
        self.first.pop(chat_id, None)

    def _seen(self, reply: Reply) -> None:
        self.last[reply.chat_id] = now = time.perf_counter()
        self.first.setdefault(reply.chat_id, now)


async def perform(user: SimUser, step: Step, echo: bool, variant: int = 1) -> None:
    """Send one step's update; in echo mode a tap presses the echo bot's one button."""
    if step.action == "text":
        await user.send_text(step.value)
    elif step.action == "tap":
        if echo:
            await user.press(callback_data=ECHO_DATA)
        else:
            await user.press(step.value)
    elif step.action == "photo":
        await user.send_photo(tiny_jpeg(variant))
    elif step.action == "video":
        await user.send_video(tiny_jpeg(variant + 1))
    else:
        raise ValueError(f"unknown step {step.action!r}")


async def calibrate(
    user: SimUser, steps: Sequence[Step], quiet: float = 0.5, within: float = 60.0
) -> tuple[list[int], list[Reply]]:
    """Play the steps slowly, counting each answer's messages once the bot falls quiet."""
    counts: list[int] = []
    replies: list[Reply] = []
    for step in steps:
        await perform(user, step, echo=False)
        answer = list(await user.next_replies(timeout=within))
        while True:
            await asyncio.sleep(quiet)
            more = user.unread()
            if not more:
                break
            answer += more
        counts.append(len(answer))
        replies = answer
    return counts, replies


@dataclass
class Played:
    """One user's run: the latency of each step (and which step) and the bot's last answer."""

    latencies: list[float]
    last: list[Reply]
    steps: list[int] = field(default_factory=list)
    skipped: int = 0
    firsts: list[float] = field(default_factory=list)  # to the answer's first message


async def play(
    user: SimUser,
    steps: Sequence[Step],
    counts: Sequence[int],
    arrivals: Arrivals,
    *,
    echo: bool,
    within: float = 60.0,
) -> Played:
    """Play every step, waiting for its whole answer; TimeoutError if the bot stops answering."""
    latencies: list[float] = []
    last: list[Reply] = []
    for step, expected in zip(steps, counts, strict=True):
        started = time.perf_counter()
        await perform(user, step, echo)
        last = await user.next_replies(timeout=within, count=expected)
        latencies.append(arrivals.last[user.id] - started)
    return Played(latencies, last, list(range(len(latencies))))
