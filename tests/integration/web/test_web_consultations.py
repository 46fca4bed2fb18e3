"""Consultations in the back-office, on SQLite and PostgreSQL through the real server:
uploading YAML and XLSForm files (every problem shown, nothing stored until right), the
preview in every language, opening, closing, publishing, results with their charts and
filters, exports, and a broadcast — its audience before sending, its progress after."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import aiohttp
import yaml

from storage.models import AuditEntry, OutboxMessage
from tests.consultations import DERB_JDID, MEDINA, open_consultation, small_document
from tests.integration.consultations.test_results import NOW, RESPONSES, register, store
from tests.unit.surveys.test_xlsform_loader import SURVEY, write_form
from tests.web_client import rows_of


async def upload(browser, name: str, content: bytes):
    """Send a file through the upload form, as a browser does (multipart, with the token)."""
    page = await browser.get("/consultations")
    form = aiohttp.FormData()
    form.add_field("csrf_token", page.csrf_token)
    form.add_field("file", content, filename=name)
    async with browser.session.post(
        browser.base_url + "/consultations/upload", data=form, allow_redirects=False
    ) as response:
        return response.status, response.headers.get("Location", ""), await response.text()


async def test_a_yaml_file_is_stored_as_a_draft_and_previewed_in_each_language(
    browser, office, admin
):
    await browser.sign_in(admin)
    status, location, _ = await upload(browser, "derb.yaml", DERB_JDID.read_bytes())
    assert (status, location) == (303, "/consultations/derb_jdid_waste_sorting?done=loaded")
    page = await browser.get(location)
    assert "Consultation enregistrée comme brouillon." in page.text
    assert 'id="consultation-status">brouillon<' in page.text
    document = yaml.safe_load(DERB_JDID.read_text(encoding="utf-8"))
    first = document["questions"][0]
    for language in document["languages"]:
        assert first["label"][language].split("\n")[0][:20] in page.text, language
    listed = await browser.get("/consultations")
    assert "derb_jdid_waste_sorting" in listed.text
    [entry] = [e for e in await rows_of(office.db, AuditEntry) if e.action != "sign_in"]
    assert (entry.action, entry.target, entry.detail) == (
        "consultation_upload", "derb_jdid_waste_sorting", "derb.yaml"
    )  # fmt: skip


async def test_an_xlsform_workbook_is_stored_too(browser, admin, tmp_path: Path):
    await browser.sign_in(admin)
    workbook = write_form(tmp_path / "assarag.xlsx", SURVEY).read_bytes()
    status, location, _ = await upload(browser, "assarag.xlsx", workbook)
    assert (status, location) == (303, "/consultations/place_assarag?done=loaded")
    page = await browser.get(location)
    assert "هل ترتادون الساحة؟" in page.text and "Fréquentez-vous la place ?" in page.text


async def test_every_problem_of_a_file_is_shown_and_nothing_is_stored(browser, office, admin):
    await browser.sign_in(admin)
    document = small_document(key="Bad Key!", colour="red")
    document["questions"][2]["type"] = "dance"
    status, _, text = await upload(browser, "bad.yaml", yaml.safe_dump(document).encode())
    assert status == 422
    assert "rien n&#39;a été enregistré" in text
    assert "colour: unknown field" in text and "key: expected lower-case letters" in text
    assert "dance" in text
    async with office.db.transaction() as uow:
        assert await uow.consultations.all() == []


async def test_problems_of_a_workbook_are_named_by_row(browser, admin, tmp_path: Path):
    await browser.sign_in(admin)
    survey = [list(row) for row in SURVEY]
    survey[3][0] = "calculate"
    status, _, text = await upload(
        browser, "bad.xlsx", write_form(tmp_path / "b.xlsx", survey).read_bytes()
    )
    assert status == 422 and "survey row 5 (idea): unknown type &#39;calculate&#39;" in text


async def test_files_that_are_not_consultations_are_refused(browser, admin):
    await browser.sign_in(admin)
    assert (await upload(browser, "notes.txt", b"hello"))[0] == 422
    assert (await upload(browser, "form.xlsx", b"not a workbook"))[0] == 422
    assert (await upload(browser, "broken.yaml", b"key: [unclosed"))[0] == 422


async def test_a_draft_can_be_replaced_but_not_an_opened_consultation(browser, admin):
    await browser.sign_in(admin)
    content = yaml.safe_dump(small_document()).encode()
    assert (await upload(browser, "small.yaml", content))[1].endswith("?done=loaded")
    assert (await upload(browser, "small.yaml", content))[1].endswith("?done=updated")
    await browser.get("/consultations/small")
    assert (await browser.post("/consultations/small/open")).location.endswith("?done=opened")
    status, _, text = await upload(browser, "small.yaml", content)
    assert status == 422 and "a déjà été ouverte" in text


async def test_open_close_and_publish(browser, office, admin):
    record_id, consultation = await open_consultation(office.db, MEDINA, NOW)
    await store(office.db, record_id, consultation, RESPONSES)
    await browser.sign_in(admin)
    await browser.get("/consultations/medina_public_space")
    early = await browser.post("/consultations/medina_public_space/publish")
    assert early.status == 422 and "une fois la consultation clôturée" in early.text
    await browser.post("/consultations/medina_public_space/close")
    page = await browser.get("/consultations/medina_public_space")
    assert 'id="consultation-status">clôturée<' in page.text
    done = await browser.post("/consultations/medina_public_space/publish")
    assert done.location.endswith("?done=published")
    assert len(await rows_of(office.db, OutboxMessage)) == 3
    actions = [e.action for e in await rows_of(office.db, AuditEntry)]
    assert actions == ["sign_in", "consultation_close", "consultation_publish"]


async def test_results_show_a_chart_per_question_and_follow_the_filters(browser, office, admin):
    record_id, consultation = await open_consultation(office.db, MEDINA, NOW)
    await store(office.db, record_id, consultation, RESPONSES)
    await browser.sign_in(admin)
    page = await browser.get("/consultations/medina_public_space/results")
    assert "3 réponse(s) pour ces filtres." in page.text
    assert page.text.count('<svg class="chart"') >= 4
    assert "À pied" in page.text and "66.7" in page.text
    assert "Bab Zorgane" in page.text
    medina = await browser.get("/consultations/medina_public_space/results", quarter="Medina")
    assert "2 réponse(s)" in medina.text
    women = await browser.get(
        "/consultations/medina_public_space/results", gender="female", age="18-29"
    )
    assert "1 réponse(s)" in women.text
    ignored = await browser.get("/consultations/medina_public_space/results", gender="robot")
    assert "3 réponse(s)" in ignored.text
    status, headers, png = await browser.get_bytes(
        "/consultations/medina_public_space/results/2.png"
    )
    assert status == 200 and headers["Content-Type"] == "image/png" and png[:4] == b"\x89PNG"
    assert (await browser.get("/consultations/medina_public_space/results/99.png")).status == 404


async def test_results_in_arabic_grow_from_the_right(browser, office, admin):
    record_id, consultation = await open_consultation(office.db, MEDINA, NOW)
    await store(office.db, record_id, consultation, RESPONSES)
    await browser.sign_in(admin)
    await browser.get("/")
    await browser.post("/language", {"locale": "ar", "next": "/"})
    page = await browser.get("/consultations/medina_public_space/results")
    assert 'dir="rtl"' in page.text and 'text-anchor="start" class="chart-label"' in page.text
    assert "النتائج" in page.text


async def test_exports_are_pseudonymised(browser, office, admin):
    record_id, consultation = await open_consultation(office.db, MEDINA, NOW)
    citizens = await store(office.db, record_id, consultation, RESPONSES)
    await browser.sign_in(admin)
    status, headers, body = await browser.get_bytes(
        "/consultations/medina_public_space/export", format="csv", quarter="Medina"
    )
    assert status == 200 and "attachment;" in headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3
    citizen_column = [row[rows[0].index("citizen")] for row in rows[1:]]
    assert not set(citizen_column) & {str(c) for c in citizens}
    _, _, xlsx = await browser.get_bytes("/consultations/medina_public_space/export", format="xlsx")
    assert xlsx[:2] == b"PK"
    details = [
        e.detail for e in await rows_of(office.db, AuditEntry) if e.action == "consultation_export"
    ]
    assert details == ["csv, 2 responses", "xlsx, 3 responses"]


async def test_a_broadcast_says_whom_it_reaches_then_shows_its_progress(browser, office, admin):
    await open_consultation(office.db, small_document(), NOW)
    async with office.db.transaction() as uow:
        for number in range(4):
            await register(uow, f"b{number}")
    await browser.sign_in(admin)
    confirm = await browser.get("/consultations/small/broadcast")
    assert "atteindra 4 citoyen·ne(s)" in confirm.text
    assert await rows_of(office.db, OutboxMessage) == [], "nothing is sent before confirming"
    sent = await browser.post("/consultations/small/broadcast")
    assert sent.location == "/consultations/small/broadcast/progress"
    page = await browser.get(sent.location)
    assert (
        'id="progress-pending">4<' in page.text and '<script src="/static/progress.js"' in page.text
    )
    rows = await rows_of(office.db, OutboxMessage)
    assert len(rows) == 4
    async with office.db.transaction() as uow:
        for row in rows[:3]:
            await uow.outbox.mark_sent(row.id, NOW)
    figures = json.loads((await browser.get("/consultations/small/broadcast/progress.json")).text)
    assert figures == {"sent": 3, "pending": 1, "failed": 0, "unreachable": 0, "waiting": 0,
                       "total": 4, "percent": 75, "finished": False}  # fmt: skip
    await browser.get("/consultations/small/broadcast")
    await browser.post("/consultations/small/broadcast")
    assert len(await rows_of(office.db, OutboxMessage)) == 4, "again: nobody gets it twice"
    actions = [
        e.detail
        for e in await rows_of(office.db, AuditEntry)
        if e.action == "consultation_broadcast"
    ]
    assert actions == ["4 queued, 4 targeted", "0 queued, 4 targeted"]


async def test_agents_neither_broadcast_nor_publish(browser, office, agent):
    await open_consultation(office.db, small_document(), NOW)
    await browser.sign_in(agent)
    confirm = await browser.get("/consultations/small/broadcast")
    assert 'id="send-broadcast"' not in confirm.text
    assert (await browser.post("/consultations/small/broadcast")).status == 403
    await browser.get("/consultations/small")
    assert (await browser.post("/consultations/small/publish")).status == 403
    assert await rows_of(office.db, OutboxMessage) == []


async def test_a_closed_consultation_is_not_broadcast(browser, office, admin):
    await open_consultation(office.db, small_document(), NOW, status="closed")
    await browser.sign_in(admin)
    page = await browser.get("/consultations/small/broadcast")
    assert "Seule une consultation ouverte peut être annoncée." in page.text
    assert "atteindra 0" in page.text


async def test_an_unknown_consultation_is_a_page_not_found(browser, admin):
    await browser.sign_in(admin)
    for path in (
        "/consultations/nope",
        "/consultations/nope/results",
        "/consultations/nope/broadcast",
    ):
        assert (await browser.get(path)).status == 404
