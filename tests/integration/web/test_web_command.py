"""`tachawor staff password` and `tachawor web` as an operator runs them: real processes on
an SQLite file — a password set from the command line signs in to a back-office that two
processes serve on one port, sharing the sessions through the database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.integration.test_cli import tachawor
from tests.web_client import WebClient


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_web(database: str, port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "web", "--db", database, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert f"http://127.0.0.1:{port}" in line, (line, process.stderr and process.stderr.read())
    return process


def test_a_password_is_refused_unless_the_rules_are_met(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'staff.db'}"
    tachawor("staff", "add", "42", "--name", "Amina Ouali", "--role", "admin", "--db", database)
    short = tachawor("staff", "password", "42", "--password-stdin", "--db", database, stdin="abc\n")
    assert short.returncode == 1
    assert "au moins 12 caractères" in short.stderr
    unknown = tachawor(
        "staff", "password", "43", "--password-stdin", "--db", database, stdin="x" * 20
    )
    assert unknown.returncode == 1
    bad_login = tachawor(
        "staff", "password", "42", "--login", "Amina Ouali", "--password-stdin",
        "--db", database, stdin="Tamazirt-2026-Souss\n",
    )  # fmt: skip
    assert bad_login.returncode == 1 and "ne peut pas servir d'identifiant" in bad_login.stderr


def test_a_password_set_on_the_command_line_signs_in_to_two_processes(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'staff.db'}"
    tachawor("staff", "add", "42", "--name", "Amina Ouali", "--role", "admin", "--db", database)
    done = tachawor(
        "staff", "password", "42", "--password-stdin", "--db", database,
        stdin="Tamazirt-2026-Souss\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Identifiant : amina.ouali" in done.stdout
    listed = tachawor("staff", "list", "--db", database).stdout
    assert listed.strip().endswith("amina.ouali")
    port = free_port()
    first = start_web(database, port)
    second = start_web(database, port)
    try:
        assert asyncio.run(_sign_in_and_browse(port, "amina.ouali")) == [200] * 20
    finally:
        for process in (first, second):
            process.send_signal(signal.SIGTERM)
        assert [p.wait(timeout=20) for p in (first, second)] == [0, 0]


async def _sign_in_and_browse(port: int, login: str) -> list[int]:
    # A connection per request: the kernel shares them out between the two processes.
    browser = WebClient(f"http://127.0.0.1:{port}", new_connection_each_time=True)
    try:
        await browser.sign_in(login, "Tamazirt-2026-Souss")
        return [(await browser.get("/complaints")).status for _ in range(20)]
    finally:
        await browser.close()
