"""Request parameters as Telegram reads them from query, form, multipart or JSON bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import bad_request

_TRUE = {"true", "1", "True"}


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    data: bytes
    content_type: str


class Params:
    """Typed access to one request's parameters; form values are strings, JSON values typed."""

    __slots__ = ("_uploads", "_values")

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self._values = values
        self._uploads = uploads or {}

    @classmethod
    def from_json_body(cls, body: bytes) -> dict[str, Any]:
        """Decode a JSON request body, answering 400 like Telegram when it is not an object."""
        try:
            decoded = json.loads(body)
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(decoded, dict):
            raise bad_request("can't parse JSON object")
        return decoded

    def has(self, name: str) -> bool:
        """Whether the parameter or an upload of that name was sent."""
        return self._values.get(name) not in (None, "") or name in self._uploads

    def text(self, name: str) -> str | None:
        """A string parameter, or None."""
        value = self._values.get(name)
        return None if value is None else str(value)

    def integer(self, name: str) -> int | None:
        """An integer parameter, or None; 400 when it is not a number."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def required_int(self, name: str) -> int:
        """An integer parameter that must be present."""
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def number(self, name: str) -> float | None:
        """A float parameter, or None."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """A boolean parameter; absent means False."""
        value = self._values.get(name)
        return value is True or (isinstance(value, str) and value in _TRUE)

    def obj(self, name: str) -> Any:
        """A nested object; form fields carry it JSON-encoded."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def upload(self, name: str) -> Upload | None:
        """The multipart file part of that name, or None."""
        return self._uploads.get(name)

    def chat_id(self) -> int | None:
        """The chat_id as an integer, or None when absent or a @username."""
        value = self._values.get("chat_id")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        return None
