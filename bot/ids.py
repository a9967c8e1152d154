"""Ids read back from callback data, which a forged or garbled button may fill with anything."""

from __future__ import annotations

# Row ids are INTEGER columns on both databases.
MAX_ROW_ID = 2**31 - 1


def parse_id(raw: str) -> int | None:
    """An id from callback data, or None for anything a forged or garbled button may carry."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ROW_ID)):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ROW_ID else None
