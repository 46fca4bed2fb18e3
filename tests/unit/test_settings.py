"""Every setting is documented in .env.example, and .env.example names only real settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def documented() -> set[str]:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE))


def test_env_example_documents_exactly_the_settings():
    assert documented() == {name.upper() for name in Settings.model_fields}


def test_defaults_run_the_terminal_chat_on_sqlite(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///tachawor.db"
    assert settings.timezone == "Africa/Casablanca"
    assert settings.telegram_bot_token is None


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("BOT_FRAMEWORK", "aiogram")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    settings = Settings(_env_file=None)
    assert settings.bot_framework == "aiogram"
    assert "123:abc" not in repr(settings), "the token never appears in logs or reprs"


@pytest.mark.parametrize(
    ("name", "value"),
    [("BOT_FRAMEWORK", "django"), ("TRACKING_PREFIX", "trd-1"), ("DEFAULT_LANGUAGE", "en")],
)
def test_bad_settings_are_refused_at_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_empty_values_copied_from_env_example_mean_unset(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("STAFF_CHAT_ID", " ")
    settings = Settings(_env_file=None)
    assert settings.telegram_bot_token is None and settings.staff_chat_id is None
