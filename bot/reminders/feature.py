"""The reminders feature: handlers, the dispatcher at start-up, and the one wake-up job."""

from __future__ import annotations

import contextlib
import math
import time
from datetime import datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from telegram import Bot
from telegram.ext import Application, ContextTypes, Job, JobQueue

from bot.context import Services
from bot.handlers import case_card
from bot.reminders.config import ReminderConfig
from bot.reminders.dispatcher import Dispatcher
from bot.reminders.transport import GuardedRequest
from flows.rules import load_rules

WAKE_JOB = "reminders.next"
SAFETY_JOB = "reminders.safety"
AnyApp = Application[Any, Any, Any, Any, Any, Any]


class Waker:
    """Keeps ONE job armed at the next due moment; a periodic wake-up covers anything missed."""

    def __init__(self, jobs: JobQueue[Any], dispatcher: Dispatcher, config: ReminderConfig) -> None:
        self.jobs = jobs
        self.dispatcher = dispatcher
        self.config = config
        self._job: Job[Any] | None = None
        # When the armed job fires, on the monotonic clock: the dispatcher's clock may be a
        # test's, so "now" is only used to turn a due moment into a delay.
        self._fires_at = math.inf

    def start(self) -> None:
        """Wake now (what fell due while the bot was down) and every safety interval."""
        every = self.config.safety_wake_seconds
        self.jobs.run_repeating(self._safety, interval=every, first=every, name=SAFETY_JOB)
        self.dispatcher.kick()

    def arm(self, moment: datetime | None) -> None:
        """Wake at `moment` (and not before), replacing the armed moment."""
        if self._job is not None:
            # A job that has just fired is already gone from the scheduler.
            with contextlib.suppress(JobLookupError):
                self._job.schedule_removal()
            self._job, self._fires_at = None, math.inf
        if moment is None:
            return
        delay = self._delay(moment)
        self._job = self.jobs.run_once(self._wake, when=delay, name=WAKE_JOB)
        self._fires_at = time.monotonic() + delay

    def poke(self, moment: datetime) -> None:
        """A reminder was planned for `moment`: wake then if that is sooner than armed."""
        if time.monotonic() + self._delay(moment) < self._fires_at:
            self.arm(moment)

    def _delay(self, moment: datetime) -> float:
        return max(0.0, (moment - self.dispatcher.clock()).total_seconds())

    async def _wake(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        self._job, self._fires_at = None, math.inf
        self.dispatcher.kick()

    async def _safety(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        self.dispatcher.kick()


def register(application: AnyApp) -> None:
    """The case card, the reminder buttons and /settings."""
    case_card.register(application)


async def on_start(application: AnyApp, services: Services) -> None:
    """Build the dispatcher on its own guarded connection and wake it at once."""
    config = ReminderConfig()
    settings = services.settings
    rules = services.extras.get("rules") or load_rules(settings.rules_file)
    services.extras["rules"] = rules
    bot = Bot(
        settings.token,
        base_url=settings.telegram_api_url,
        base_file_url=settings.file_url,
        request=GuardedRequest(config.request_timeout, config.in_flight),
        get_updates_request=GuardedRequest(config.request_timeout, 1),
    )
    await bot.initialize()
    dispatcher = Dispatcher(
        services.sessions,
        bot,
        services.catalogs,
        rules,
        settings.default_timezone,
        services.clock,
        config,
    )
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    waker = Waker(application.job_queue, dispatcher, config)
    dispatcher.on_next = waker.arm
    dispatcher.on_poke = waker.poke
    services.extras["reminders"] = dispatcher
    application.bot_data["reminders"] = dispatcher
    waker.start()


async def on_stop(application: AnyApp, services: Services) -> None:
    """Let the messages in flight finish and give unsent claims back."""
    dispatcher: Dispatcher | None = services.extras.pop("reminders", None)
    application.bot_data.pop("reminders", None)
    if dispatcher is not None:
        await dispatcher.stop()
        await dispatcher.bot.shutdown()
