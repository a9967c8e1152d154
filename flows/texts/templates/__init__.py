"""Text templates and transliteration tables, shipped as TOML data next to the code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

LANGUAGES = ("en", "ru")


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed TOML file `<name>.toml` of this package (en, ru, translit)."""
    text = files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
