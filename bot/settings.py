"""Settings, read from the environment (and a `.env` file) with pydantic-settings.
`.env.example` documents every one of them."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.whatsapp.templates import TemplateChoice
from handlers.turns import CoreSettings

OFFICIAL_BOT_API = "https://api.telegram.org"
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


DURATION = re.compile(r"^\s*(\d{1,6})\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def reminder_seconds(text: str) -> tuple[int, ...]:
    """ "24h,2h" → (86400, 7200); an empty text means no reminders."""
    offsets = []
    for part in filter(str.strip, text.split(",")):
        found = DURATION.match(part)
        if found is None:
            raise ValueError(f"{part.strip()!r} is not a duration such as 24h, 90m or 30s")
        offsets.append(int(found[1]) * UNIT_SECONDS[found[2]])
    return tuple(sorted(set(offsets), reverse=True))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///tachawor.db",
        examples=["postgresql+asyncpg://tachawor:PASSWORD@127.0.0.1:5432/tachawor"],
    )
    update_spool_path: str = "tachawor-spool.jsonl"
    telegram_bot_token: SecretStr | None = Field(default=None, examples=["123456789:AA…"])
    telegram_api_base_url: str = Field(
        default=OFFICIAL_BOT_API, pattern=r"^https?://", examples=[OFFICIAL_BOT_API]
    )
    bot_framework: Literal["ptb", "aiogram"] = Field(default="ptb", examples=["ptb"])
    webhook_url: str | None = Field(default=None, examples=["https://bot.taroudant.ma/tg/hook"])
    webhook_secret: SecretStr | None = Field(default=None, examples=["$(openssl rand -hex 32)"])
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535, examples=[8080])
    staff_chat_id: str | None = Field(default=None, examples=["-1001234567890"])
    commune_name: str = "Taroudant"
    tracking_prefix: str = Field(default="TRD", examples=["TRD"])
    commune_quarters: str = "Derb Jdid,Sidi Belkas,Darb Al Afou,Talmqalat,Assarag,Medina,Other"
    complaint_reopen_days: int = Field(default=15, ge=0, le=365, examples=[15])
    deadline_reminder_days: int = Field(default=7, ge=0, le=60, examples=[7])
    digest_hour: int = Field(default=8, ge=0, le=23, examples=[8])
    pseudonym_key: SecretStr | None = Field(default=None, examples=["$(openssl rand -hex 32)"])
    default_language: Literal["fr", "ar", "ary", "ary-Latn", "shi", "shi-Tfng", "shi-Arab"] = Field(
        default="fr", examples=["fr"]
    )
    timezone: str = Field(default="Africa/Casablanca", examples=["Africa/Casablanca"])
    privacy_contact: str = ""
    cndp_declaration: str = ""
    data_retention_months: int = Field(default=24, ge=1, le=120, examples=[24])
    # Before a workshop's start, each registrant is reminded at these offsets ("30s" to try).
    workshop_reminders: str = Field(default="24h,2h", examples=["24h,2h"])
    workshop_job_seconds: int = Field(default=60, ge=1, le=3600, examples=[60])
    # The back-office (`tachawor web`): where it listens, the address staff open (sign-in
    # links point there; https:// makes cookies Secure), the key that signs its cookies
    # (unset: derived from PSEUDONYM_KEY) and how long an idle session stays open.
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8081, ge=1, le=65535, examples=[8081])
    web_base_url: str = Field(
        default="http://127.0.0.1:8081", pattern=r"^https?://", examples=["https://bo.taroudant.ma"]
    )
    web_secret_key: SecretStr | None = Field(default=None, examples=["$(openssl rand -hex 32)"])
    web_session_idle_minutes: int = Field(default=30, ge=1, le=1440, examples=[30])
    # WhatsApp (Cloud API, `tachawor whatsapp`): the business number's id and the app's
    # token, the app secret that signs webhooks and the verify token of the handshake.
    whatsapp_phone_number_id: str | None = Field(default=None, examples=["123456789012345"])
    whatsapp_access_token: SecretStr | None = Field(default=None, examples=["EAAG…"])
    whatsapp_app_secret: SecretStr | None = Field(
        default=None, examples=["$(openssl rand -hex 16)"]
    )
    whatsapp_verify_token: SecretStr | None = Field(
        default=None, examples=["$(openssl rand -hex 16)"]
    )
    whatsapp_graph_api_base_url: str = Field(
        default="https://graph.facebook.com",
        pattern=r"^https?://",
        examples=["http://127.0.0.1:9090"],
    )
    whatsapp_api_version: str = Field(default="v23.0", pattern=r"^v\d+\.\d+$", examples=["v23.0"])
    whatsapp_listen: str = "127.0.0.1"
    whatsapp_port: int = Field(default=8090, ge=1, le=65535, examples=[8090])
    whatsapp_webhook_path: str = Field(
        default="/whatsapp/webhook", pattern=r"^/", examples=["/wa/hook"]
    )
    # Pushes outside the 24-hour window: the approved template per kind of push
    # (bot/whatsapp/templates.py), and the template language per locale.
    whatsapp_templates: str = Field(
        default="", examples=["complaint=tachawor_complaint_update,*=tachawor_notice"]
    )
    whatsapp_template_languages: str = Field(
        default="fr=fr,ar=ar,ary=ar,ary_Latn=fr,shi=fr",
        examples=["fr=fr,ar=ar,ary=ar,ary_Latn=fr,shi=fr"],
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", examples=["INFO"]
    )

    @field_validator(
        "telegram_bot_token",
        "webhook_url",
        "webhook_secret",
        "staff_chat_id",
        "pseudonym_key",
        "web_secret_key",
        "whatsapp_phone_number_id",
        "whatsapp_access_token",
        "whatsapp_app_secret",
        "whatsapp_verify_token",
        mode="before",
    )
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        """`TELEGRAM_BOT_TOKEN=` (as in .env.example) means: not set."""
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _whatsapp_templates_read(self) -> Settings:
        TemplateChoice.of_settings(self.whatsapp_templates, self.whatsapp_template_languages)
        return self

    @field_validator("workshop_reminders")
    @classmethod
    def _durations(cls, value: str) -> str:
        reminder_seconds(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a time zone of the tz database") from None
        return value

    @field_validator("tracking_prefix")
    @classmethod
    def _capital_letters(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{2,5}", value):
            raise ValueError("2 to 5 capital letters (A-Z)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_telegram_accepts(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("Telegram takes 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @model_validator(mode="after")
    def _https_webhook_for_telegram(self) -> Settings:
        official = self.telegram_api_base_url.rstrip("/") == OFFICIAL_BOT_API
        if self.webhook_url and official and not self.webhook_url.startswith("https://"):
            raise ValueError(
                f"WEBHOOK_URL={self.webhook_url}: Telegram only posts to https:// addresses "
                "(for example WEBHOOK_URL=https://bot.taroudant.ma/tg/hook)"
            )
        return self

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
            workshop_reminder_seconds=reminder_seconds(self.workshop_reminders),
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


def setting_problems(error: ValidationError) -> list[str]:
    """One line per refused setting: its name, what is wrong, a good value. A secret's
    value is never repeated."""
    lines = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else ""
        field = Settings.model_fields.get(name)
        message = problem["msg"].removeprefix("Value error, ")
        if field is None:  # a check across settings names its own
            lines.append(message)
            continue
        shown = "" if field.annotation in (SecretStr, SecretStr | None) else f"={problem['input']}"
        example = f" (for example {name.upper()}={field.examples[0]})" if field.examples else ""
        lines.append(f"{name.upper()}{shown}: {message}{example}")
    return lines
