"""Every message key used in the code exists in every catalog, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.i18n import LANGUAGES, LOCALES_DIR, catalog_keys, language_for

ROOT = Path(__file__).resolve().parents[1]
# Literal keys passed to the texts lookup, e.g. texts("start.greeting") or t("results.edit").
KEY_CALL = re.compile(r"""\b(?:texts|t)\(\s*["']([a-z_]+(?:\.[a-z_0-9~]+)+)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _catalogs() -> dict[str, dict[str, str]]:
    return {lang: catalog_keys(LOCALES_DIR / lang / "LC_MESSAGES") for lang in LANGUAGES}


def test_every_language_has_the_same_keys_and_placeholders() -> None:
    catalogs = _catalogs()
    reference = catalogs["ru"]
    for lang, keys in catalogs.items():
        assert set(keys) == set(reference), f"{lang}: {sorted(set(keys) ^ set(reference))}"
        for key, text in keys.items():
            assert text, f"{lang}: {key} is empty"
            assert _placeholders(text) == _placeholders(reference[key]), f"{lang}: {key}"


def test_keys_used_in_code_exist() -> None:
    known = _catalogs()["ru"]
    used = {
        key
        for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("flows").rglob("*.py")]
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no keys: the pattern is broken"
    assert sorted(used - set(known)) == []


def test_flow_prompts_and_choices_exist() -> None:
    from flows.questions import Group
    from flows.registry import FLOWS

    known = _catalogs()["ru"]
    missing = []
    for flow in FLOWS.values():
        for step in flow.steps:
            questions = (*step.questions, step.more) if isinstance(step, Group) else (step,)
            for question in questions:
                keys = [question.prompt, *(c.label for c in question.choices)]
                missing += [key for key in keys if key not in known]
    assert missing == []


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("ru", "ru"),
        ("uk", "ru"),
        ("be", "ru"),
        ("kk", "ru"),
        ("ru-RU", "ru"),
        ("en", "en"),
        ("de", "en"),
        (None, "ru"),
    ],
)
def test_language_follows_telegram(code: str | None, language: str) -> None:
    assert language_for(code) == language
