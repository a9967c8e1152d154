"""Gettext catalogs from locales/, compiled in memory with Babel, resolved per update."""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parents[1] / "locales"
LANGUAGES = ("ru", "en")
FALLBACK = "ru"
# Telegram's language_code of users who read Russian more readily than English.
RUSSIAN_READERS = frozenset({"ru", "uk", "be", "kk"})

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Texts:
    """The texts of one language: `texts("key", name=value)` returns the filled text."""

    language: str
    catalog: gettext.NullTranslations

    def __call__(self, key: str, /, **params: Any) -> str:
        text = self.catalog.gettext(key)
        if text == key:
            log.error("message key %s is missing from the %s catalog", key, self.language)
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        return self.catalog.gettext(key) != key


class Catalogs:
    """Every language's catalog, loaded once at start-up."""

    def __init__(self, by_language: dict[str, gettext.NullTranslations]) -> None:
        self._texts = {lang: Texts(lang, cat) for lang, cat in by_language.items()}

    @classmethod
    def load(cls, root: Path = LOCALES_DIR) -> Catalogs:
        return cls({lang: _compile(root / lang / "LC_MESSAGES") for lang in LANGUAGES})

    def for_language(self, language: str | None) -> Texts:
        return self._texts.get(language or FALLBACK, self._texts[FALLBACK])


def language_for(telegram_code: str | None) -> str:
    """The interface language for a Telegram language_code."""
    base = (telegram_code or "").split("-")[0].lower()
    if not base or base in RUSSIAN_READERS:
        return "ru"
    return "en"


def _compile(folder: Path) -> gettext.NullTranslations:
    """Merge every domain (.po file) of one language into one catalog."""
    merged = gettext.NullTranslations()
    for po in sorted(folder.glob("*.po")):
        merged.add_fallback(_compile_one(po))
    return merged


def _compile_one(po_path: Path) -> gettext.GNUTranslations:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def catalog_keys(folder: Path) -> dict[str, str]:
    """Every key and its text in one language folder (used by the catalog tests)."""
    found: dict[str, str] = {}
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as handle:
            found.update(_messages(read_po(handle)))
    return found


def _messages(catalog: Iterable[Any]) -> dict[str, str]:
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str)}
