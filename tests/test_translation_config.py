"""TranslatorConfig: the TRANSLATOR chain and what each provider needs."""

from __future__ import annotations

import pytest

from bot.translation import PROVIDERS, TranslatorConfig
from bot.translation.limits import LIMITS


def test_defaults_to_google_alone() -> None:
    config = TranslatorConfig()
    assert config.providers == ["google"]
    assert (config.timeout, config.retries, config.url, config.api_key) == (10.0, 2, None, None)


def test_a_comma_list_is_a_fallback_chain() -> None:
    config = TranslatorConfig.from_settings(" Google, mymemory ,", url="", api_key="")
    assert config.providers == ["google", "mymemory"]
    assert config.url is None
    assert config.api_key is None


@pytest.mark.parametrize(
    ("translator", "url", "key", "variable"),
    [
        ("bing", None, None, "TRANSLATOR:"),
        ("google,nope", None, None, "TRANSLATOR:"),
        ("", None, None, "TRANSLATOR:"),
        ("google,google", None, None, "TRANSLATOR:"),
        ("deepl", None, None, "TRANSLATOR_API_KEY"),
        ("google,yandex", None, None, "TRANSLATOR_API_KEY"),
        ("libre", None, "key", "TRANSLATOR_URL"),
    ],
)
def test_a_bad_setting_names_its_variable(
    translator: str, url: str | None, key: str | None, variable: str
) -> None:
    with pytest.raises(ValueError, match=variable):
        TranslatorConfig.from_settings(translator, url=url, api_key=key)


def test_libre_needs_a_url_but_no_key() -> None:
    config = TranslatorConfig.from_settings("libre", url="http://127.0.0.1:5000")
    assert config.providers == ["libre"]


@pytest.mark.parametrize("tuning", [{"timeout": 0}, {"retries": -1}, {"workers": 0}])
def test_nonsense_tuning_is_refused(tuning: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        TranslatorConfig(**tuning)  # type: ignore[arg-type]


def test_every_provider_has_a_limit() -> None:
    assert set(LIMITS) == set(PROVIDERS)
