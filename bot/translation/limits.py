"""How much text each provider takes in one call."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus


@dataclass(frozen=True)
class ProviderLimit:
    """Upper bounds for one call: characters, UTF-8 bytes, URL- or form-encoded bytes."""

    chars: int
    utf8_bytes: int | None = None
    encoded_bytes: int | None = None

    def fits(self, text: str) -> bool:
        """Whether one call may carry this text."""
        if len(text) > self.chars:
            return False
        if self.utf8_bytes is not None and len(text.encode()) > self.utf8_bytes:
            return False
        return self.encoded_bytes is None or len(quote_plus(text)) <= self.encoded_bytes


LIMITS: dict[str, ProviderLimit] = {
    # deep-translator refuses 5,000 characters or more; the mobile page is a GET and Google
    # answers 400 past about 16 KB of URL (deep-translator issue #224): Cyrillic is 6 bytes encoded.
    "google": ProviderLimit(chars=4999, encoded_bytes=14_000),
    # MyMemory: "max 500 bytes" of UTF-8 in q (its API spec); deep-translator refuses 500 chars.
    "mymemory": ProviderLimit(chars=499, utf8_bytes=500),
    # LibreTranslate has no limit by default (--char-limit -1) but public servers set one, and
    # deep-translator puts the text in the query string, where proxies stop near 8 KB.
    "libre": ProviderLimit(chars=2000, encoded_bytes=7_000),
    # DeepL: 128 KiB per request in total (developers.deepl.com, usage and limits); sent as a form.
    "deepl": ProviderLimit(chars=30_000, encoded_bytes=120_000),
    # Yandex Translate API v1.5: at most 10,000 characters of text per request.
    "yandex": ProviderLimit(chars=10_000),
}
