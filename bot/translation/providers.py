"""One blocking call to one provider through deep-translator; runs in a worker thread."""

from __future__ import annotations

from typing import Any

from deep_translator import (
    DeeplTranslator,
    GoogleTranslator,
    LibreTranslator,
    MyMemoryTranslator,
    YandexTranslator,
)
from deep_translator.base import BaseTranslator
from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES
from deep_translator.exceptions import ServerException, TooManyRequests
from deep_translator.validate import request_failed

from bot.translation import requests_shim
from bot.translation.config import TranslatorConfig
from bot.translation.failures import check_answer, classify

# deep-translator's LibreTranslator refuses to start without a key; a self-hosted server needs none.
LIBRE_PLACEHOLDER_KEY = "self-hosted"
# These append their endpoint to the base URL; the others request it as it is.
_APPENDS_PATH = frozenset({"libre", "deepl"})


def call(provider: str, text: str, source: str, target: str, config: TranslatorConfig) -> str:
    """Translate one piece with one provider; raises ProviderError, never anything else."""
    with requests_shim.call_scope(config.timeout) as record:
        try:
            answer = build(provider, source, target, config).translate(text)
        except Exception as error:  # a foreign parser of a foreign page: anything is a failure
            raise classify(error, record.response) from error
        return check_answer(provider, answer, record.response)


def build(provider: str, source: str, target: str, config: TranslatorConfig) -> BaseTranslator:
    """A fresh translator per call: GoogleTranslator keeps per-call state on the instance."""
    translator = _construct(provider, source, target, config)
    if config.url:
        translator._base_url = _base_url(provider, config.url)
    return translator


def _construct(provider: str, source: str, target: str, config: TranslatorConfig) -> Any:
    if provider == "google":
        return GoogleTranslator(source=source, target=target)
    if provider == "mymemory":
        return MyMemoryTranslator(source=_mymemory_code(source), target=_mymemory_code(target))
    if provider == "libre":
        key = config.api_key or LIBRE_PLACEHOLDER_KEY
        return LibreTranslator(source=source, target=target, api_key=key, custom_url=config.url)
    if provider == "deepl":
        free = bool(config.api_key and config.api_key.endswith(":fx"))
        return HeaderAuthDeepl(source, target, api_key=config.api_key, use_free_api=free)
    if provider == "yandex":
        return YandexTranslator(source=source, target=target, api_key=config.api_key)
    raise ValueError(f"unknown provider {provider!r}")


def _base_url(provider: str, url: str) -> str:
    return url.rstrip("/") + "/" if provider in _APPENDS_PATH else url


def _mymemory_code(code: str) -> str:
    """MyMemory wants a locale ("ru-RU"); the first one of the language is deep-translator's own."""
    prefix = code.lower() + "-"
    for locale in MY_MEMORY_LANGUAGES_TO_CODES.values():
        if locale.lower().startswith(prefix):
            return str(locale)
    return code


class HeaderAuthDeepl(DeeplTranslator):  # type: ignore[misc]
    """DeepL with the key in the Authorization header and the text in a POST body.

    deep-translator 1.11.4 sends `auth_key` in the query string, which DeepL stopped accepting
    (developers.deepl.com, "November 2025 deprecation of legacy auth methods").
    """

    def translate(self, text: str, **kwargs: Any) -> str:
        """Translate one piece through DeepL's /v2/translate."""
        response = requests_shim.send(
            "POST",
            self._base_url + "translate",
            data={
                "text": text,
                "source_lang": self._source.upper(),
                "target_lang": self._target.upper(),
            },
            headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"},
        )
        if response.status_code == 429:
            raise TooManyRequests()
        if request_failed(status_code=response.status_code):
            raise ServerException(response.status_code)
        return str(response.json()["translations"][0]["text"])
