"""/settings: the user's time zone and quiet hours, and re-timing their reminders after a change."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Texts
from bot.reminders import planner
from bot.reminders.planner import Planning
from bot.reminders.timeline import rules_for, zone_of
from bot.reminders.zones import QUIET_CHOICES, ZONE_BY_CODE, ZONES, code_of, find_zone
from bot.storage.models import User
from bot.ui import Button, Say, data

ZONES_PER_ROW = 3


def settings_say(user: User, texts: Texts, planning: Planning) -> Say:
    """The current zone, local time and quiet hours, with buttons to change them."""
    tz = zone_of(user, planning.default_zone)
    schedule = rules_for(user, planning.rules).schedule
    text = texts(
        "settings.text",
        zone=zone_label(texts, tz.key),
        time=planning.now.astimezone(tz).strftime("%H:%M"),
        quiet=hours(texts, schedule.quiet_start.hour, schedule.quiet_end.hour),
    )
    return Say(text, _buttons(texts))


def zone_label(texts: Texts, zone: str) -> str:
    """The offered city for a zone, or the zone's IANA name."""
    code = code_of(zone)
    return texts("settings.zone", city=texts(f"zone.{code}"), name=zone) if code else zone


def hours(texts: Texts, start: int, end: int) -> str:
    """Quiet hours as "22:00–09:00"."""
    return texts("settings.hours", start=f"{start:02d}", end=f"{end:02d}")


async def apply_zone(
    session: AsyncSession, user: User, texts: Texts, planning: Planning, code: str
) -> list[Say]:
    """`set:tz:<code>`: one of the offered cities."""
    zone = ZONE_BY_CODE.get(code)
    if zone is None:
        return [Say(texts("conversation.stale_button"))]
    return await _set_zone(session, user, texts, planning, zone)


async def typed_zone(
    session: AsyncSession, user: User, texts: Texts, planning: Planning, typed: str
) -> list[Say]:
    """A typed IANA name ("Asia/Tbilisi") or an offered city's name."""
    labels = [(code, texts(f"zone.{code}")) for code, _ in ZONES]
    zone = find_zone(typed, labels)
    if zone is None:
        return [Say(texts("settings.zone_unknown", typed=typed.strip()[:64]))]
    user.awaiting = None
    return await _set_zone(session, user, texts, planning, zone)


async def apply_quiet(
    session: AsyncSession, user: User, texts: Texts, planning: Planning, value: str
) -> list[Say]:
    """`set:quiet:<from>-<until>`: one of the offered quiet hours."""
    start, _, end = value.partition("-")
    if (
        not (start.isdecimal() and start.isascii() and end.isdecimal() and end.isascii())
        or (int(start), int(end)) not in QUIET_CHOICES
    ):
        return [Say(texts("conversation.stale_button"))]
    user.quiet_start, user.quiet_end = int(start), int(end)
    await planner.sync_user(session, user, planning)
    return [Say(texts("settings.quiet_set", quiet=hours(texts, int(start), int(end))))]


async def _set_zone(
    session: AsyncSession, user: User, texts: Texts, planning: Planning, zone: str
) -> list[Say]:
    user.timezone = zone
    await planner.sync_user(session, user, planning)
    tz = zone_of(user, planning.default_zone)
    local = planning.now.astimezone(tz).strftime("%H:%M")
    return [Say(texts("settings.zone_set", zone=zone_label(texts, zone), time=local))]


def _buttons(texts: Texts) -> list[list[Button]]:
    zones = [(texts(f"zone.{code}"), data("set", "tz", code)) for code, _ in ZONES]
    rows = [zones[i : i + ZONES_PER_ROW] for i in range(0, len(zones), ZONES_PER_ROW)]
    rows.append([(texts("settings.other_zone"), data("set", "tz", "other"))])
    quiet = [
        (hours(texts, start, end), data("set", "quiet", f"{start}-{end}"))
        for start, end in QUIET_CHOICES
    ]
    return [*rows, quiet[:2], quiet[2:]]
