"""Settings, read from the environment (and a `.env` file) with pydantic-settings.
`.env.example` documents every one of them."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.turns import CoreSettings


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///tachawor.db"
    update_spool_path: str = "tachawor-spool.jsonl"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    bot_framework: Literal["ptb", "aiogram"] = "ptb"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    staff_chat_id: str | None = None
    commune_name: str = "Taroudant"
    tracking_prefix: str = Field(default="TRD", pattern=r"^[A-Z]{2,5}$")
    commune_quarters: str = "Derb Jdid,Sidi Belkas,Darb Al Afou,Talmqalat,Assarag,Medina,Other"
    complaint_reopen_days: int = Field(default=15, ge=0, le=365)
    deadline_reminder_days: int = Field(default=7, ge=0, le=60)
    digest_hour: int = Field(default=8, ge=0, le=23)
    pseudonym_key: SecretStr | None = None
    default_language: Literal["fr", "ar", "ary", "ary-Latn", "shi", "shi-Tfng"] = "fr"
    timezone: str = "Africa/Casablanca"
    privacy_contact: str = ""
    cndp_declaration: str = ""
    data_retention_months: int = Field(default=24, ge=1, le=120)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator(
        "telegram_bot_token",
        "webhook_url",
        "webhook_secret",
        "staff_chat_id",
        "pseudonym_key",
        mode="before",
    )
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        """`TELEGRAM_BOT_TOKEN=` (as in .env.example) means: not set."""
        return None if isinstance(value, str) and not value.strip() else value

    def core(self) -> CoreSettings:
        return CoreSettings(
            commune_name=self.commune_name,
            default_locale=self.default_language,
            privacy_contact=self.privacy_contact,
            cndp_declaration=self.cndp_declaration,
            retention_months=self.data_retention_months,
            timezone=self.timezone,
            staff_chat_id=self.staff_chat_id,
            tracking_prefix=self.tracking_prefix,
            commune_quarters=self.quarters(),
            complaint_reopen_days=self.complaint_reopen_days,
            deadline_reminder_days=self.deadline_reminder_days,
            digest_hour=self.digest_hour,
            pseudonym_key=self.pseudonym_key.get_secret_value() if self.pseudonym_key else "",
        )

    def secrets(self) -> list[str]:
        """Every secret value set, for the logs to blank out: the secret settings and the
        database password."""
        values = [
            getattr(self, name).get_secret_value()
            for name, field in type(self).model_fields.items()
            if field.annotation in (SecretStr, SecretStr | None) and getattr(self, name)
        ]
        password = urlsplit(self.database_url).password
        return [*values, *([password] if password else [])]

    def quarters(self) -> tuple[str, ...]:
        """The commune's quarters offered when a citizen says where a problem is."""
        return tuple(name.strip() for name in self.commune_quarters.split(",") if name.strip())
