"""Configuration from the environment and an optional .env file, parsed once into Settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_FILE_URL = "https://api.telegram.org/file/bot"


class ConfigError(Exception):
    """A setting that is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///data/yabeda.sqlite3"
    telegram_api_url: str = DEFAULT_API_URL
    telegram_file_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_timezone: str = "Europe/Moscow"
    rules_file: Path | None = None
    translator: str = "google"
    translator_url: str | None = None
    translator_api_key: SecretStr | None = None
    translator_deadline: float = Field(default=20.0, gt=0)
    translation_retry_seconds: float = Field(default=60.0, gt=0)
    log_level: str = "INFO"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("telegram_api_url", "telegram_file_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db")
        return value

    @property
    def file_url(self) -> str:
        """The file base: explicit, or derived from the API base as Telegram lays it out."""
        if self.telegram_file_url:
            return self.telegram_file_url
        if self.telegram_api_url.endswith("/bot"):
            return self.telegram_api_url[: -len("bot")] + "file/bot"
        return DEFAULT_FILE_URL

    @property
    def webhook_path(self) -> str:
        """The local path the webhook listens on: the path part of WEBHOOK_URL."""
        from urllib.parse import urlsplit

        return urlsplit(self.webhook_url or "").path.lstrip("/") or "telegram"

    @property
    def token(self) -> str:
        if self.bot_token is None:
            raise ConfigError("BOT_TOKEN is not set")
        return self.bot_token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Parse the environment; a bad value becomes a ConfigError naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        raise ConfigError(f"{name}: {first['msg']}") from None
