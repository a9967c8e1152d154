"""The advice.po catalogs: every key the code uses, in both languages, same placeholders."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from flows import advisor, checklist
from flows.texts import PENDING_NOTICE, has_cyrillic
from tests.test_advisor import TABLE

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("ru", "en")
SOURCES = [ROOT / "flows" / "advisor.py", ROOT / "flows" / "checklist.py"]
SOURCES += sorted((ROOT / "flows" / "texts").glob("*.py"))


def _catalog(lang: str) -> Catalog:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "advice.po").open("rb") as handle:
        return read_po(handle)


CATALOGS = {lang: _catalog(lang) for lang in LANGS}
TEXTS = {lang: {str(m.id): str(m.string) for m in cat if m.id} for lang, cat in CATALOGS.items()}
CODE_KEYS = {
    **advisor.message_keys(),
    **checklist.message_keys(),
    PENDING_NOTICE: frozenset(),
}


def placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in Formatter().parse(text) if name)


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_the_code_uses_is_in_the_catalog(lang: str) -> None:
    missing = set(CODE_KEYS) - set(TEXTS[lang])
    assert not missing, sorted(missing)


@pytest.mark.parametrize("lang", LANGS)
def test_no_stale_keys(lang: str) -> None:
    stale = set(TEXTS[lang]) - set(CODE_KEYS)
    assert not stale, sorted(stale)


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_what_the_code_fills(lang: str) -> None:
    wrong = {
        key: sorted(placeholders(TEXTS[lang][key]))
        for key, names in CODE_KEYS.items()
        if placeholders(TEXTS[lang][key]) != names
    }
    assert not wrong


def test_both_languages_use_the_same_placeholders() -> None:
    assert {k: placeholders(v) for k, v in TEXTS["ru"].items()} == {
        k: placeholders(v) for k, v in TEXTS["en"].items()
    }


def test_literal_keys_in_the_code_are_known() -> None:
    literal = re.compile(r"""["'](advice\.[a-z_.]+[a-z_])["']""")
    found = {key for path in SOURCES for key in literal.findall(path.read_text("utf-8"))}
    assert found
    assert found <= set(CODE_KEYS), sorted(found - set(CODE_KEYS))


MORE = [
    {"problem": "damaged", "resolution": "return", "amount": {"amount": "5", "currency": "USD"}},
    {
        "problem": "damaged",
        "resolution": "partial_refund",
        "amount": {"amount": "5", "currency": "USD"},
        "partial_amount": {"amount": "50", "currency": "USD"},
    },
    {"problem": "damaged", "receipt_confirmed": True, "receipt_confirmed_on": "2024-08-20"},
]


@pytest.mark.parametrize("given", [*(row[0] for row in TABLE), *MORE])
def test_warnings_fill_exactly_their_placeholders(given: dict[str, object]) -> None:
    dated = {"shipped_on": "2024-08-20", "protection_end": "2024-08-27"}
    for day in (date(2024, 6, 1), date(2024, 8, 26), date(2024, 9, 1), date(2025, 1, 1)):
        for notice in advisor.advise({**dated, **given}, today=day).warnings:
            assert set(notice.params) == placeholders(TEXTS["en"][notice.key]), notice.key


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_compiles_with_a_proper_header(lang: str) -> None:
    catalog = CATALOGS[lang]
    assert str(catalog.locale) == lang
    assert catalog.charset.lower() == "utf-8"
    write_mo(io.BytesIO(), catalog)
    assert all(TEXTS[lang].values())


def test_english_catalog_holds_no_cyrillic() -> None:
    assert not any(has_cyrillic(text) for text in TEXTS["en"].values())
