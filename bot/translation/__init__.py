"""Machine translation of the buyer's own words: deep-translator behind one async interface."""

from bot.translation.cache import (
    CachedTranslation,
    CacheKey,
    MemoryTranslationCache,
    TranslationCache,
)
from bot.translation.config import PROVIDERS, TranslatorConfig
from bot.translation.pending import add_pending, due_pending, mark_done, reschedule
from bot.translation.service import TranslationResult, TranslationService
from bot.translation.sql_cache import SqlTranslationCache, cached_in
from bot.translation.worker import (
    CompletedTranslation,
    Deliver,
    PendingBackoff,
    PendingTranslationWorker,
)

__all__ = [
    "PROVIDERS",
    "CacheKey",
    "CachedTranslation",
    "CompletedTranslation",
    "Deliver",
    "MemoryTranslationCache",
    "PendingBackoff",
    "PendingTranslationWorker",
    "SqlTranslationCache",
    "TranslationCache",
    "TranslationResult",
    "TranslationService",
    "TranslatorConfig",
    "add_pending",
    "cached_in",
    "due_pending",
    "mark_done",
    "reschedule",
]
