"""The dispatcher's knobs, from REMINDERS_* environment variables (defaults fit Telegram)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReminderConfig(BaseSettings):
    """Pacing, batching and leases of the reminder dispatcher."""

    model_config = SettingsConfigDict(env_prefix="REMINDERS_", extra="ignore")

    # Telegram allows about 30 bulk messages a second per bot; stay a little under it.
    rate: float = Field(default=29.0, gt=0)
    # And one message a second per chat.
    chat_interval: float = Field(default=1.0, ge=0)
    batch: int = Field(default=100, ge=1, le=5000)
    lease_seconds: float = Field(default=30.0, gt=0)
    in_flight: int = Field(default=8, ge=1, le=256)
    safety_wake_seconds: float = Field(default=60.0, gt=0)
    backoff_seconds: float = Field(default=5.0, gt=0)
    backoff_max_seconds: float = Field(default=3600.0, gt=0)
    request_timeout: float = Field(default=10.0, gt=0)
    confirm_every: float = Field(default=0.2, gt=0)

    def batch_size(self) -> int:
        """A batch that is surely sent within a third of its lease at the configured pace."""
        return max(1, min(self.batch, int(self.rate * self.lease_seconds / 3)))
