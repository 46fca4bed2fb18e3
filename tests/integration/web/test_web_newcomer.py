"""The README's back-office walk-through, as a newcomer does it, with real processes on one
SQLite file: a password set with `tachawor staff password`, `tachawor web` started, a
complaint filed in `tachawor chat` moved to "resolved" with a comment in the back-office
and its push read in the chat, a consultation file uploaded, opened and its results read as
charts, and the audit log of all of it — in French, then in Arabic."""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

import aiohttp

from storage.database import Database
from storage.repositories.consultations import OPEN
from surveys.stored import definition_of
from tests.consultations import MEDINA
from tests.integration.consultations.test_results import RESPONSES, store
from tests.integration.test_cli import tachawor
from tests.integration.web.test_web_command import free_port, start_web
from tests.web_client import WebClient

PASSWORD = "Tamazirt-2026-Souss"
# Français, accept, Complaints, File, Complaint, Public lighting, text, Derb Jdid, Skip, Send
FILE_A_COMPLAINT = "Bonjour\n1\n1\n1\n1\n1\n2\nLe lampadaire de ma rue est éteint.\n1\n1\n1\n"
NEXT_STATUSES = ("acknowledged", "in_progress", "resolved")


def file_complaint(database: str, folder: Path, user: str) -> str:
    filed = tachawor("chat", "--db", database, "--user", user, stdin=FILE_A_COMPLAINT, cwd=folder)
    assert filed.returncode == 0, filed.stderr
    found = re.search(r"TRD-\d\d-[2-9A-Z]{5}", filed.stdout)
    assert found, filed.stdout
    return found.group(0)


async def resolve(browser: WebClient, number: str, comment: str) -> None:
    for status in NEXT_STATUSES:
        await browser.get(f"/complaints/{number}")
        form = {"status": status, "comment": comment if status == "resolved" else ""}
        changed = await browser.post(f"/complaints/{number}/status", form)
        assert changed.status == 303, changed.text


async def upload(browser: WebClient, path: Path) -> str:
    page = await browser.get("/consultations")
    form = aiohttp.FormData()
    form.add_field("csrf_token", page.csrf_token or "")
    form.add_field("file", path.read_bytes(), filename=path.name)
    async with browser.session.post(
        browser.base_url + "/consultations/upload", data=form, allow_redirects=False
    ) as response:
        assert response.status == 303, await response.text()
        return response.headers["Location"].split("?")[0]


async def answers_arrive(database: str) -> None:
    """Citizens answer the consultation (stored as the chat stores answers)."""
    db = Database(database)
    try:
        async with db.transaction() as uow:
            record = await uow.consultations.find("medina_public_space")
        assert record is not None and record.status == OPEN
        await store(db, record.id, definition_of(record), RESPONSES)
    finally:
        await db.close()


async def walk_through(database: str, port: int, login: str, numbers: list[str]) -> None:
    browser = WebClient(f"http://127.0.0.1:{port}")
    try:
        await browser.sign_in(login, PASSWORD)
        await resolve(browser, numbers[0], "Lampe changée ce matin.")
        page = await browser.get(f"/complaints/{numbers[0]}")
        assert 'id="status">Résolue<' in page.text
        assert await upload(browser, MEDINA) == "/consultations/medina_public_space"
        await browser.get("/consultations/medina_public_space")
        await browser.post("/consultations/medina_public_space/open")
        await answers_arrive(database)
        results = await browser.get("/consultations/medina_public_space/results")
        assert "3 réponse(s)" in results.text and results.text.count('<svg class="chart"') >= 4
        audit = await browser.get("/audit")
        for action in ("connexion", "statut d&#39;une réclamation", "consultation chargée",
                       "consultation ouverte"):  # fmt: skip
            assert action in audit.text, action

        await browser.get("/")
        await browser.post("/language", {"locale": "ar", "next": "/"})
        await resolve(browser, numbers[1], "تم إصلاح المصباح.")
        page = await browser.get(f"/complaints/{numbers[1]}")
        assert 'dir="rtl"' in page.text and 'id="status">تمّت معالجتها<' in page.text
        results = await browser.get("/consultations/medina_public_space/results")
        assert "النتائج" in results.text and '<svg class="chart"' in results.text
        audit = await browser.get("/audit")
        assert "سجل التدقيق" in audit.text and "حالة شكاية" in audit.text
    finally:
        await browser.close()


def test_the_readme_walk_through_in_french_and_arabic(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'tachawor.db'}"
    numbers = [file_complaint(database, tmp_path, user) for user in ("amina", "karim")]
    tachawor("staff", "add", "42", "--name", "Fatima Ouali", "--role", "admin", "--db", database)
    done = tachawor("staff", "password", "42", "--password-stdin", "--db", database,
                    stdin=PASSWORD + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    login = re.search(r"Identifiant : (\S+)", done.stdout).group(1)  # type: ignore[union-attr]
    port = free_port()
    web = start_web(database, port)
    try:
        asyncio.run(walk_through(database, port, login, numbers))
    finally:
        web.send_signal(signal.SIGTERM)
        assert web.wait(timeout=20) == 0
    for user, number, comment in (
        ("amina", numbers[0], "Lampe changée ce matin."),
        ("karim", numbers[1], "تم إصلاح المصباح."),
    ):
        chat = tachawor("chat", "--db", database, "--user", user, stdin="", cwd=tmp_path)
        assert chat.returncode == 0, chat.stderr
        assert f"📬 Votre réclamation {number} : Résolue." in chat.stdout, chat.stdout
        assert comment in chat.stdout
