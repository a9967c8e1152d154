"""Errors that flows raise; each carries a locale key and its parameters, never a text."""

from __future__ import annotations

from typing import Any


class ParseError(ValueError):
    """An answer that cannot be accepted; `code` is a message key under locales/."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
