"""The pseudonym key (PSEUDONYM_KEY): it keys the tokens that allow one response per person
and the citizen pseudonyms of exports, so it must exist before the first answer and never
change afterwards — a new key would let everyone answer again.

Never silently: with the embedded SQLite database and no PSEUDONYM_KEY, a key is generated
on first use and kept beside the database file (`tachawor.db-pseudonym-key`, readable by
its owner only), and the command says so once. With PostgreSQL the key must be set: a
command that needs it is refused with the line to add. A PSEUDONYM_KEY that differs from the
key kept beside the database is refused too, rather than quietly keying new tokens.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from pydantic import SecretStr

from bot.settings import Settings

SUFFIX = "-pseudonym-key"
SET_IT = "PSEUDONYM_KEY=$(openssl rand -hex 32)"


class PseudonymKeyProblem(Exception):
    """Why the key cannot be settled; one line, for the operator."""


def key_file(database_url: str) -> Path | None:
    """Where the generated key of an SQLite database file lives (None: not such a database)."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("sqlite"):
        return None
    path = unquote(parts.path)[1:]  # sqlite:///relative.db and sqlite:////absolute.db
    if not path or path == ":memory:":
        return None
    return Path(path + SUFFIX)


def settled(settings: Settings, say: TextIO = sys.stderr) -> Settings:
    """The settings with a pseudonym key that stays the same from run to run."""
    given = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    backend = urlsplit(settings.database_url).scheme
    path = key_file(settings.database_url)
    kept = path.read_text(encoding="utf-8").strip() if path and path.exists() else None
    if given is not None:
        if kept is not None and kept != given:
            raise PseudonymKeyProblem(
                f"PSEUDONYM_KEY differs from the key kept in {path}, which earlier answers "
                "were keyed with: set PSEUDONYM_KEY to that key (or delete the file if no "
                "consultation has answers yet)"
            )
        return settings
    if kept is not None:
        return settings.model_copy(update={"pseudonym_key": SecretStr(kept)})
    if not backend.startswith("sqlite"):
        raise PseudonymKeyProblem(
            f"PSEUDONYM_KEY is not set: add it once and keep it, e.g. {SET_IT}"
        )
    key = secrets.token_hex(32)
    if path is not None:
        _write_private(path, key)
        print(
            f"PSEUDONYM_KEY is not set: generated one in {path} — keep it secret and with the "
            "database's backups (or copy it to PSEUDONYM_KEY)",
            file=say,
        )
    return settings.model_copy(update={"pseudonym_key": SecretStr(key)})


def _write_private(path: Path, key: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
