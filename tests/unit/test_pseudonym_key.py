"""The pseudonym key is settled once and never changes silently."""

from __future__ import annotations

import io

import pytest
from pydantic import SecretStr

from bot.pseudonym_key import PseudonymKeyProblem, key_file, settled
from bot.settings import Settings


def settings(url: str, key: str | None = None) -> Settings:
    return Settings(_env_file=None, database_url=url, pseudonym_key=key and SecretStr(key))


def test_an_sqlite_file_keeps_its_generated_key_beside_it(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    said = io.StringIO()
    first = settled(settings(url), said)
    assert key_file(url) == tmp_path / "bot.db-pseudonym-key"
    assert "generated one in" in said.getvalue()
    second = settled(settings(url), io.StringIO())
    assert first.pseudonym_key.get_secret_value() == second.pseudonym_key.get_secret_value()
    assert settled(settings(url, first.pseudonym_key.get_secret_value())) is not None
    with pytest.raises(PseudonymKeyProblem, match="differs from the key kept"):
        settled(settings(url, "not-the-kept-one"))


def test_postgresql_needs_the_key_set():
    url = "postgresql+asyncpg://postgres@127.0.0.1/x"
    with pytest.raises(PseudonymKeyProblem, match="PSEUDONYM_KEY is not set"):
        settled(settings(url))
    assert settled(settings(url, "k" * 32)).pseudonym_key.get_secret_value() == "k" * 32


def test_a_database_in_memory_gets_a_key_for_its_lifetime():
    said = io.StringIO()
    kept = settled(settings("sqlite+aiosqlite:///:memory:"), said)
    assert kept.pseudonym_key is not None and said.getvalue() == ""
