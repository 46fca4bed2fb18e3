"""The README's complaint commands work as written, in order, on a complaint just filed;
and a refused status change names the statuses allowed next."""

from __future__ import annotations

import asyncio
import shlex
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import build_parser
from bot.settings import Settings
from storage import migrate
from storage.database import Database
from tests.complaint_rows import add_complaint

README = Path(__file__).resolve().parents[3] / "README.md"
EXAMPLE_NUMBER = "TRD-26-7K3QX"


def readme_commands(group: str, section: str = "## Complaints for staff") -> list[list[str]]:
    """`tachawor <group> …` lines of a README section's shell blocks, as argument lists
    (other sections run theirs in their own tests: "Run on WhatsApp" in
    tests/e2e/test_whatsapp_newcomer.py)."""
    prefix = f".venv/bin/tachawor {group} "
    text = README.read_text()
    text = text[text.index(section) :]
    text = text[: text.find("\n## ", 1)] if "\n## " in text[1:] else text
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    return [shlex.split(line.split(" #", 1)[0])[1:] for line in lines]


def run(argv: list[str], settings: Settings) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args, settings)


async def filed_complaint(url: str) -> str:
    db = Database(url)
    try:
        _, number = await add_complaint(db, datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
        return number
    finally:
        await db.close()


def test_the_readme_complaint_commands_work_as_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'office.db'}"
    migrate.upgrade(url)
    number = asyncio.run(filed_complaint(url))
    settings = Settings(_env_file=None, database_url=url, pseudonym_key="a-key")
    commands = readme_commands("complaints")
    assert len(commands) >= 6, "the README shows the whole round"
    for argv in commands:
        argv = [number if word == EXAMPLE_NUMBER else word for word in argv]
        assert run(argv, settings) == 0, (argv, capsys.readouterr())
    assert f"{number} : resolved (Résolue)" in capsys.readouterr().out
    assert (tmp_path / "plaintes.xlsx").exists()


def test_a_refused_change_names_the_statuses_allowed_next(tmp_path, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'office.db'}"
    migrate.upgrade(url)
    number = asyncio.run(filed_complaint(url))
    settings = Settings(_env_file=None, database_url=url)
    assert run(["complaints", "set-status", number, "acknowledged"], settings) == 0
    assert run(["complaints", "set-status", number, "resolved"], settings) != 0
    said = capsys.readouterr()
    assert "acknowledged ne peut pas devenir resolved" in said.err
    assert "ensuite : forwarded, in_progress, rejected, outside_competence." in said.err
