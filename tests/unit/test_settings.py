"""Every setting is documented in .env.example, and .env.example names only real settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, setting_problems

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


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("WEBHOOK_PORT", "abc", "WEBHOOK_PORT=abc: Input should be a valid integer"),
        ("BOT_FRAMEWORK", "foo", "BOT_FRAMEWORK=foo: Input should be 'ptb' or 'aiogram'"),
        ("TRACKING_PREFIX", "trd", "TRACKING_PREFIX=trd: 2 to 5 capital letters (A-Z)"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE=Mars/Olympus: not a time zone"),
        ("WEBHOOK_URL", "http://bot.taroudant.ma/hook", "Telegram only posts to https://"),
        ("WEBHOOK_SECRET", "not secret!", "WEBHOOK_SECRET: Telegram takes 1-256 characters"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_with_an_example(monkeypatch, name, value, line):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None)
    [problem] = setting_problems(refused.value)
    assert line in problem and "for example" in problem
    if name == "WEBHOOK_SECRET":
        assert value not in problem, "a secret is never repeated"


def test_a_webhook_on_a_local_bot_api_server_may_be_plain_http(monkeypatch):
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081")
    monkeypatch.setenv("WEBHOOK_URL", "http://127.0.0.1:8080/tg/hook")
    assert Settings(_env_file=None).webhook_url == "http://127.0.0.1:8080/tg/hook"
