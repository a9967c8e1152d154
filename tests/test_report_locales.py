"""The report catalogs: every key the report code uses, in ru and en, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALES_DIR, catalog_keys
from flows.report import REDIRECTED, REPORT, SUB_REASONS, TYPES

ROOT = Path(__file__).resolve().parents[1]
MINE = (ROOT / "flows/links.py", ROOT / "flows/report.py", ROOT / "bot/handlers/report.py")
KEY = re.compile(r"""["']((?:report|review|start|command)\.[a-z_0-9.]+)["']""")
PLACEHOLDERS = {
    "report.opened": {"case_id"},
    "report.parse.not_aliexpress": {"host"},
    "report.parse.bad_item_id": {"item_id"},
    "report.results.kind": {"type_en", "type_ru", "sub_reason_en", "sub_reason_ru"},
    "report.where.steps": {"type_en", "sub_reason_en"},
    "report.offer": {"type_en", "sub_reason_en"},
    "report.from_dispute.opened": {"case_id", "dispute_id"},
    "report.from_dispute.resumed": {"case_id", "dispute_id"},
}


def _report_po(lang: str) -> dict[str, str]:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "report.po").open("rb") as handle:
        return {m.id: str(m.string) for m in read_po(handle) if m.id and isinstance(m.id, str)}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _all(lang: str) -> dict[str, str]:
    return catalog_keys(LOCALES_DIR / lang / "LC_MESSAGES")


def test_ru_and_en_hold_the_same_keys_and_placeholders() -> None:
    ru, en = _report_po("ru"), _report_po("en")
    assert set(ru) == set(en), sorted(set(ru) ^ set(en))
    for key, text in ru.items():
        assert text and en[key], key
        assert _placeholders(text) == _placeholders(en[key]), key
        assert _placeholders(text) == PLACEHOLDERS.get(key, set()), key


def test_report_keys_are_not_defined_twice() -> None:
    for lang in LANGUAGES:
        mine = set(_report_po(lang))
        for po in (LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"):
            if po.name != "report.po":
                with po.open("rb") as handle:
                    others = {m.id for m in read_po(handle) if m.id}
                assert not mine & others, (po, sorted(mine & others))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_prompt_choice_note_and_hint_of_the_flow_exists(lang: str) -> None:
    known = _all(lang)
    wanted: set[str] = set()
    for question in REPORT._by_key.values():
        wanted |= {question.prompt, *(c.label for c in question.choices), *question.notes.values()}
        wanted.add(f"review.field.{question.key}")
    wanted -= {"review.field.review", "review.field.evidence"}
    wanted |= {f"report.ask.{k}.hint" for k in ("report_type", "link", "evidence", "description")}
    wanted |= {f"report.ask.sub_reason.{t}.hint" for t in TYPES}
    assert sorted(wanted - set(known)) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_the_report_code_names_exists(lang: str) -> None:
    known = _all(lang)
    used = {key for path in MINE for key in KEY.findall(path.read_text(encoding="utf-8"))}
    assert "report.parse.no_link" in used and "report.offer" in used
    assert sorted(used - set(known)) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_built_keys_exist(lang: str) -> None:
    known = _all(lang)
    built = {f"report.where.{t}" for t in TYPES}
    built |= {f"report.type.{t}" for t in (*TYPES, *REDIRECTED)}
    built |= {f"report.sub.{t}.{s}" for t in TYPES for s in SUB_REASONS[t]}
    built |= {"results.edit", "start.begin", "conversation.not_yours"}
    assert sorted(built - set(known)) == []


def test_no_cyrillic_in_the_flows_python() -> None:
    cyrillic = re.compile("[\u0400-\u04ff]")
    for path in (ROOT / "flows/links.py", ROOT / "flows/report.py", ROOT / "flows/texts/report.py"):
        assert not cyrillic.search(path.read_text(encoding="utf-8")), path
