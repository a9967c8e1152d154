"""Yes or no typed instead of pressing a button."""

from __future__ import annotations

import re

from flows.errors import ParseError
from flows.parsers.normalize import folded

YES_WORDS = frozenset(
    {"да", "ага", "угу", "конечно", "верно", "точно", "есть", "был", "была", "было", "были",
     "д", "ок", "yes", "y", "yep", "yeah", "ok"}
)  # fmt: skip
NO_WORDS = frozenset({"нет", "не", "неа", "нету", "ничего", "н", "no", "n", "nope"})
UNSURE_WORDS = frozenset({"незнаю", "хз", "возможно", "может", "наверное", "наверно", "maybe"})
UNSURE_PHRASES = ("не знаю", "не помню", "не уверен", "не понял", "не поняла", "not sure")
# "Да нет" is a Russian "no".
NO_PHRASES = ("да нет",)
YES_MARKS = ("+", "👍", "✅", "✔")
NO_MARKS = ("-", "👎", "❌", "✖")

_WORD = re.compile(r"[a-zа-я]+")


def parse_yes_no(text: str) -> bool:
    """True for "да", "ага", "+"; False for "нет", "не", "-"; unsure or unclear is an error."""
    answer = folded(text).strip(" .,!?")
    words = _WORD.findall(answer)
    if answer.startswith(UNSURE_PHRASES) or (words and words[0] in UNSURE_WORDS):
        raise ParseError("parse.yes_no.unsure")
    if answer.startswith(NO_PHRASES):
        return False
    if answer.startswith(YES_MARKS):
        return True
    if answer.startswith(NO_MARKS):
        return False
    if words and words[0] in YES_WORDS:
        return True
    if words and words[0] in NO_WORDS:
        return False
    raise ParseError("parse.yes_no.unclear")
