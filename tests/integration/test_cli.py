"""The `tachawor` command as a newcomer runs it: real process, piped input, real database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import (
    POSTGRES_SERVER,
    asyncpg_url,
    create_postgres_database,
    drop_postgres_database,
    postgres_reachable,
)


def tachawor(
    *args: str, stdin: str = "", cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    environment = {**os.environ, "LOG_LEVEL": "WARNING", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=environment,
        check=False,
    )


def test_detect_prints_a_code_per_text_from_arguments_and_stdin():
    result = tachawor("detect", "salam, bghit n9dm chikaya", "Bonjour")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["ary-Latn\tsalam, bghit n9dm chikaya", "fr\tBonjour"]
    piped = tachawor("detect", stdin="واش كاين شي جديد؟\nⴰⵣⵓⵍ\n")
    assert [line.split("\t")[0] for line in piped.stdout.splitlines()] == ["ary", "shi-Tfng"]


def test_chat_on_the_default_sqlite_database_for_three_newcomers(tmp_path: Path):
    conversations = {
        # A first message asking for a complaint lands at its first question after consent.
        "darija": ("salam, bghit n9dm chikaya\n1\n1\n", "mar7ba bik", "Chno bghiti tsifet"),
        "french": ("Bonjour\n1\n1\n", "Bonjour et bienvenue", "Menu principal"),
        "arabic": ("السلام عليكم، أريد تقديم شكاية\n1\n1\n", "مرحبًا", "ماذا تريدون"),
    }
    for user, (typed, greeting, menu) in conversations.items():
        result = tachawor("chat", "--user", user, stdin=typed, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert greeting in result.stdout, result.stdout
        assert menu in result.stdout, result.stdout
        assert "[1]" in result.stdout
    assert (tmp_path / "tachawor.db").exists(), "the SQLite default is created and migrated"


def test_chat_resumes_where_the_citizen_stopped(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"
    tachawor("chat", "--db", database, "--user", "u", stdin="Bonjour\n1\n")
    later = tachawor("chat", "--db", database, "--user", "u", stdin="1\n")
    assert later.returncode == 0, later.stderr
    assert "Menu principal" in later.stdout, "pressing [1] again accepts the consent shown before"


def test_chat_lays_out_arabic_for_terminals_without_bidi(tmp_path: Path):
    result = tachawor("chat", "--reshape", "--user", "r", stdin="السلام عليكم\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ﻢﻜﻴﻠﻋ" in result.stdout or "\ufe8e" in result.stdout or "ﺎﺒﺣﺮﻣ" in result.stdout


@pytest.fixture
async def fresh_postgres_url():
    if problem := await postgres_reachable():
        pytest.skip(problem)
    name = await create_postgres_database()
    yield asyncpg_url(POSTGRES_SERVER, name)
    await drop_postgres_database(name)


async def test_db_upgrade_then_chat_on_postgresql(fresh_postgres_url: str):
    upgraded = tachawor("db", "upgrade", "--db", fresh_postgres_url)
    assert upgraded.returncode == 0, upgraded.stderr
    refused = tachawor("chat", "--db", fresh_postgres_url, "--user", "pg", stdin="Bonjour\n")
    assert refused.returncode == 2
    assert refused.stderr.startswith("tachawor: PSEUDONYM_KEY is not set: add it once")
    key = {"PSEUDONYM_KEY": "a-postgres-key"}
    typed = "Bonjour\n1\n1\n"
    result = tachawor("chat", "--db", fresh_postgres_url, "--user", "pg", stdin=typed, env=key)
    assert result.returncode == 0, result.stderr
    assert "Menu principal" in result.stdout


def test_staff_accounts_from_the_command_line(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'staff.db'}"
    added = tachawor(
        "staff", "add", "123456789", "--name", "Amina", "--role", "admin", "--db", database
    )
    assert added.returncode == 0, added.stderr
    tachawor("staff", "add", "987654321", "--name", "Youssef", "--db", database)
    listed = tachawor("staff", "list", "--db", database)
    assert listed.stdout.splitlines() == [
        "telegram\t123456789\tadmin\tAmina\t-",
        "telegram\t987654321\tagent\tYoussef\t-",
    ]
    assert tachawor("staff", "remove", "987654321", "--db", database).returncode == 0
    assert tachawor("staff", "remove", "987654321", "--db", database).returncode == 1
    refused = tachawor("staff", "add", "5", "--name", "X", "--role", "mayor", "--db", database)
    assert refused.returncode == 2 and "invalid choice" in refused.stderr


def test_complaints_set_status_is_pushed_to_the_terminal_chat(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'complaints.db'}"
    # Français, accept, Complaints, File, Complaint, Public lighting, text, Derb Jdid, Skip, Send
    typed = "Bonjour\n1\n1\n1\n1\n1\n2\nLe lampadaire de ma rue est éteint.\n1\n1\n1\n"
    filed = tachawor("chat", "--db", database, "--user", "amina", stdin=typed, cwd=tmp_path)
    assert filed.returncode == 0, filed.stderr
    number = re.search(r"TRD-\d\d-[2-9A-Z]{5}", filed.stdout)
    assert number, filed.stdout
    number = number.group(0)

    changed = tachawor(
        "complaints", "set-status", number.lower(), "acknowledged",
        "--comment", "Équipe de l'éclairage prévenue", "--actor", "Agent", "--db", database,
        cwd=tmp_path,
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.startswith(f"{number} : acknowledged (Prise en charge) ; la personne")
    listed = tachawor("complaints", "list", "--status", "acknowledged", "--db", database)
    assert listed.stdout.startswith(f"{number}\tacknowledged\tlighting\tDerb Jdid"), listed.stdout
    shown = tachawor("complaints", "show", number, "--db", database)
    assert "Agent : Reçue → Prise en charge" in shown.stdout, shown.stdout

    later = tachawor("chat", "--db", database, "--user", "amina", stdin="", cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    assert "— Message de la commune —" in later.stdout
    assert f"📬 Votre réclamation {number} : Prise en charge." in later.stdout
    assert "Équipe de l'éclairage prévenue" in later.stdout
    again = tachawor("chat", "--db", database, "--user", "amina", stdin="", cwd=tmp_path)
    assert "— Message de la commune —" not in again.stdout, "a push is shown once"


def test_complaints_set_status_refuses_what_the_rules_forbid(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'refusals.db'}"
    typed = "Bonjour\n1\n1\n1\n1\n1\n2\nLe lampadaire de ma rue est éteint.\n1\n1\n1\n"
    filed = tachawor("chat", "--db", database, "--user", "karim", stdin=typed, cwd=tmp_path)
    number = re.search(r"TRD-\d\d-[2-9A-Z]{5}", filed.stdout).group(0)  # type: ignore[union-attr]
    no_reason = tachawor("complaints", "set-status", number, "rejected", "--db", database)
    assert no_reason.returncode == 1 and "Un motif est nécessaire" in no_reason.stderr
    unknown = tachawor("complaints", "set-status", "TRD-26-22222", "resolved", "--db", database)
    assert unknown.returncode == 1 and "Aucune réclamation TRD-26-22222." in unknown.stderr
    status = tachawor("complaints", "list", "--db", database)
    assert f"{number}\treceived" in status.stdout


def test_demo_data_opens_the_sample_consultations_once(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    first = tachawor("demo-data", "--db", database)
    again = tachawor("demo-data", "--db", database)
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    listed = tachawor("consultations", "list", "--db", database)
    rows = [line.split("\t")[:2] for line in listed.stdout.splitlines()]
    assert sorted(rows) == [
        ["derb_jdid_waste_sorting", "open"],
        ["medina_public_space", "open"],
        ["talmqalat_workshop_poll", "open"],
    ]
    chat = tachawor("chat", "--db", database, "--user", "d", stdin="Bonjour\n1\n1\n2\n")
    assert "Derb Jdid" in chat.stdout and "Médina" in chat.stdout, chat.stdout


@pytest.mark.parametrize(
    "setting",
    [
        {"WEBHOOK_PORT": "abc"},
        {"BOT_FRAMEWORK": "foo"},
        {"TRACKING_PREFIX": "trd"},
        {"TIMEZONE": "Mars/Olympus"},
    ],
    ids=lambda setting: next(iter(setting)),
)
def test_a_bad_setting_stops_any_command_with_one_line(tmp_path: Path, setting):
    database = f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"
    result = tachawor("chat", "--db", database, stdin="Bonjour\n", env=setting)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"tachawor: {next(iter(setting))}=") and "for example" in line


def test_the_webhook_names_what_it_is_missing(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'hook.db'}"
    unset = {
        "WEBHOOK_URL": "",
        "WEBHOOK_SECRET": "",
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "PSEUDONYM_KEY": "k",
    }
    result = tachawor("webhook", "--db", database, env=unset)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "tachawor: WEBHOOK_URL n'est pas défini : par exemple https://bot.taroudant.ma/tg/hook "
        "(voir .env.example)",
        "tachawor: WEBHOOK_SECRET n'est pas défini : par exemple $(openssl rand -hex 32) "
        "(voir .env.example)",
    ]
