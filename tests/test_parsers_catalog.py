"""Every ParseError code the parsers raise has its text in both parse.po catalogs."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from flows.errors import ParseError
from tests import (
    test_parsers_amounts,
    test_parsers_answers,
    test_parsers_dates,
    test_parsers_order,
    test_parsers_tracking,
)

ROOT = Path(__file__).resolve().parents[1]
PARSERS = ROOT / "flows" / "parsers"
LANGUAGES = ("ru", "en")
CODE = re.compile(r"parse\.[a-z_]+\.[a-z_]+")
ErrorCase = tuple[Callable[[str], object], str, str]
ERROR_TABLES: list[list[ErrorCase]] = [
    test_parsers_tracking.ERRORS,
    test_parsers_order.ERRORS,
    test_parsers_dates.ERRORS,
    test_parsers_amounts.ERRORS,
    test_parsers_answers.ERRORS,
]
ERROR_CASES = [case for table in ERROR_TABLES for case in table]


def _codes_in(folder: Path) -> set[str]:
    """Every string constant shaped like a parse error code in the folder's Python files."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and CODE.fullmatch(value):
                found.add(value)
    return found


def _catalog(language: str, domain: str = "parse") -> dict[str, str]:
    path = ROOT / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


RAISED = _codes_in(PARSERS)
CATALOGS = {language: _catalog(language) for language in LANGUAGES}


def test_the_source_scan_finds_codes() -> None:
    assert "parse.tracking.check_digit" in RAISED
    assert len(RAISED) > 50


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_raised_code_has_a_text(language: str) -> None:
    missing = sorted(RAISED - CATALOGS[language].keys())
    assert not missing, f"missing from {language}/parse.po: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_is_left_over(language: str) -> None:
    raised_anywhere = _codes_in(ROOT / "flows")
    stale = sorted(CATALOGS[language].keys() - raised_anywhere)
    assert not stale, f"{language}/parse.po has texts nothing raises: {stale}"


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    russian, english = CATALOGS["ru"], CATALOGS["en"]
    assert russian.keys() == english.keys()
    for key in russian:
        assert russian[key] and english[key], key
        assert _placeholders(russian[key]) == _placeholders(english[key]), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_other_catalog_shadows_a_parse_text(language: str) -> None:
    # bot/i18n merges every domain of a language: the same key twice would hide one text.
    folder = ROOT / "locales" / language / "LC_MESSAGES"
    for other in sorted(folder.glob("*.po")):
        if other.stem != "parse":
            shared = CATALOGS[language].keys() & _catalog(language, other.stem).keys()
            assert not shared, f"{other.name} also defines {sorted(shared)}"


@pytest.mark.parametrize(
    ("parse", "text", "code"), ERROR_CASES, ids=[f"{e[2]}:{e[1][:20]}" for e in ERROR_CASES]
)
def test_each_raised_error_fills_its_texts_exactly(
    parse: Callable[[str], object], text: str, code: str
) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    error = caught.value
    for language in LANGUAGES:
        template = CATALOGS[language][error.code]
        assert _placeholders(template) == set(error.params), (language, error.code)
        assert "{" not in template.format(**error.params)


def test_every_code_is_shown_by_some_example() -> None:
    shown = {code for _, _, code in ERROR_CASES}
    assert sorted(RAISED - shown) == []
