"""English and Russian dispute texts from a case's facts; templates live in templates/."""

from flows.texts.builder import PENDING_NOTICE, DisputeTexts, build_dispute_texts
from flows.texts.formatting import format_date, format_money, localize
from flows.texts.limits import MAX_FULL, MAX_RU, MAX_SHORT
from flows.texts.translit import has_cyrillic, transliterate

__all__ = [
    "MAX_FULL",
    "MAX_RU",
    "MAX_SHORT",
    "PENDING_NOTICE",
    "DisputeTexts",
    "build_dispute_texts",
    "format_date",
    "format_money",
    "has_cyrillic",
    "localize",
    "transliterate",
]
