"""The template language: sentences with optional [segments] and alternatives, filled by name."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from string import Formatter
from typing import Any

# "[, tracking No. {tracking}]" is kept only when {tracking} is known; a sentence's other
# fields are required, and a list of sentences offers alternatives, the first complete one wins.
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
Values = Mapping[str, str | None]


def fields(template: str) -> set[str]:
    """The placeholder names in a template string."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def sentence(template: str | Sequence[str], values: Values) -> str | None:
    """The first alternative whose required fields are all known, filled; else None."""
    alternatives = [template] if isinstance(template, str) else template
    for alternative in alternatives:
        text = _fill(alternative, values)
        if text is not None:
            return text
    return None


def line(template: Any, values: Values) -> str | None:
    """A line: one sentence, or a list of sentences joined by spaces; None when all are empty."""
    parts = [template] if isinstance(template, str) else template
    filled = [sentence(part, values) for part in parts]
    kept = [text for text in filled if text]
    return " ".join(kept) if kept else None


def _fill(template: str, values: Values) -> str | None:
    pieces = _OPTIONAL.split(template)
    out: list[str] = []
    for index, piece in enumerate(pieces):
        known = all(values.get(name) for name in fields(piece))
        if not known and index % 2 == 0:
            return None
        if known:
            out.append(piece.format_map(values))
    return "".join(out)
