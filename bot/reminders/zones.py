"""Time zones offered in /settings (labels live in locales as zone.<code>) and typed-name lookup."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

ZONES: tuple[tuple[str, str], ...] = (
    ("moscow", "Europe/Moscow"),
    ("kaliningrad", "Europe/Kaliningrad"),
    ("samara", "Europe/Samara"),
    ("yekaterinburg", "Asia/Yekaterinburg"),
    ("omsk", "Asia/Omsk"),
    ("novosibirsk", "Asia/Novosibirsk"),
    ("krasnoyarsk", "Asia/Krasnoyarsk"),
    ("irkutsk", "Asia/Irkutsk"),
    ("yakutsk", "Asia/Yakutsk"),
    ("vladivostok", "Asia/Vladivostok"),
    ("magadan", "Asia/Magadan"),
    ("kamchatka", "Asia/Kamchatka"),
    ("minsk", "Europe/Minsk"),
    ("almaty", "Asia/Almaty"),
    # Astana keeps Almaty's time; tzdata has no zone of its own for it.
    ("astana", "Asia/Almaty"),
    ("tashkent", "Asia/Tashkent"),
    ("kyiv", "Europe/Kyiv"),
    ("berlin", "Europe/Berlin"),
)
ZONE_BY_CODE = dict(ZONES)
# Quiet hours offered as buttons: (from, until), whole local hours.
QUIET_CHOICES: tuple[tuple[int, int], ...] = ((22, 9), (23, 8), (21, 10), (0, 7))


@cache
def _iana_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def find_zone(typed: str, labels: Iterable[tuple[str, str]]) -> str | None:
    """An IANA name for what the user typed: the name itself, or a city label in their language."""
    wanted = typed.strip().casefold().replace(" ", "_")
    if not wanted:
        return None
    name = _iana_names().get(wanted)
    if name is not None:
        ZoneInfo(name)
        return name
    for code, label in labels:
        if label.casefold().replace(" ", "_") == wanted:
            return ZONE_BY_CODE[code]
    return None


def code_of(zone: str) -> str | None:
    """The first offered city whose zone this is."""
    return next((code for code, name in ZONES if name == zone), None)
