"""Workshops in the back-office, on SQLite and PostgreSQL through the real server: the
list with seats and waitlist, one workshop with its codes, creating one from the form or
from the CLI's YAML file (every refusal named, nothing created), editing, publishing and
cancelling (admins), attendance by code, the export, and the audit log of it all."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import aiohttp
import pytest

from handlers.workshops import TEXT_LOCALES, register_for_workshop
from storage.models import AuditEntry, OutboxMessage, Workshop
from tests.participation_rows import add_citizens, profile
from tests.web_client import rows_of
from tests.workshop_rows import SAMPLES, published_workshop

ARABIC_TITLE = "ورشة الحي"


def form_for(day: str, **changes: str) -> dict[str, str]:
    """A valid workshop form for `day` (YYYY-MM-DD), with `changes`."""
    form = {
        "kind": "training", "quarter": "Assarag", "place": "Salle communale",
        "starts": f"{day}T10:00", "ends": f"{day}T12:00", "capacity": "12",
        "audience": "women",
    }  # fmt: skip
    for locale in TEXT_LOCALES:
        form[f"title_{locale}"] = f"Formation {locale}"
        form[f"description_{locale}"] = f"Projets {locale}"
    return form | changes


async def seated(office, workshop_id: int, people: int) -> list[str]:
    """`people` citizens sign up (the waitlist once full); their codes in order."""
    now = office.clock.now()
    citizens = await add_citizens(office.db, now, [profile("female")] * people)
    codes = []
    async with office.db.transaction() as uow:
        for citizen_id in citizens:
            citizen = await uow.citizens.get(citizen_id)
            signed = await register_for_workshop(
                uow, office.settings.core(), workshop_id, citizen, now, waitlist=True
            )
            codes.append(signed.registration.code)
    return codes


async def a_workshop(office, **changes) -> int:
    title = {locale: "Atelier du quartier" for locale in TEXT_LOCALES} | {"ar": ARABIC_TITLE}
    return await published_workshop(
        office.db, office.settings.core(), office.clock.now(), title=title, **changes
    )


def said(page) -> str:
    """A page's text as it reads (entities such as &#39; turned back into characters)."""
    return html.unescape(page.text)


async def actions(office, name: str) -> list[AuditEntry]:
    return [e for e in await rows_of(office.db, AuditEntry) if e.action == name]


async def test_the_list_shows_seats_and_the_waitlist(browser, office, agent):
    workshop_id = await a_workshop(office)
    await seated(office, workshop_id, 3)
    await browser.sign_in(agent)
    page = await browser.get("/workshops")
    assert page.status == 200
    assert f'<tr id="workshop-{workshop_id}">' in said(page)
    assert '<td class="number seats">2/2</td>' in said(page)
    assert '<td class="number waitlisted">1</td>' in said(page)
    assert "Atelier du quartier" in said(page)
    assert "Aucun atelier ici" in (await browser.get("/workshops", show="past")).text
    assert "Aucun atelier ici" in (await browser.get("/workshops", show="cancelled")).text


async def test_a_workshop_shows_its_codes_and_waitlist(browser, office, agent):
    workshop_id = await a_workshop(office)
    first, second, waiting = await seated(office, workshop_id, 3)
    await browser.sign_in(agent)
    page = await browser.get(f"/workshops/{workshop_id}")
    assert page.status == 200
    sign_ups, waitlist = page.text.split('id="sign-ups"')[1].split('id="waitlist"')
    assert first in sign_ups and second in sign_ups and waiting not in sign_ups
    assert waiting in waitlist.split("</ol>")[0]
    assert '<dd id="registered">2</dd>' in said(page) and '<dd id="waitlisted">1</dd>' in said(page)
    assert (await browser.get("/workshops/999")).status == 404


async def test_creating_from_the_form(browser, office, agent):
    await browser.sign_in(agent)
    await browser.get("/workshops/new")
    page = await browser.post("/workshops/new", form_for("2026-05-12"))
    [workshop] = await rows_of(office.db, Workshop)
    assert (page.status, page.location) == (303, f"/workshops/{workshop.id}?done=created")
    assert (workshop.status, workshop.kind, workshop.capacity) == ("draft", "training", 12)
    assert workshop.starts_at.hour == 9, "10:00 in Africa/Casablanca (UTC+1) is 09:00 UTC"
    shown = await browser.get(page.location)
    assert "Atelier créé en brouillon" in said(shown) and "Formation fr" in said(shown)
    [entry] = await actions(office, "workshop_create")
    assert (entry.target, entry.staff_name) == (str(workshop.id), "Youssef Agent")


async def test_a_refused_form_names_every_problem_and_creates_nothing(browser, office, agent):
    await browser.sign_in(agent)
    await browser.get("/workshops/new")
    form = form_for("2026-05-12", ends="2026-05-12T09:00", capacity="0", title_ar="")
    page = await browser.post("/workshops/new", form)
    assert page.status == 422
    assert "title : manque en ar" in said(page)
    assert "ends : doit être après starts" in said(page)
    assert "capacity : un nombre entier de 1 à 10000" in said(page)
    assert 'value="Salle communale"' in said(page), "what was typed is kept"
    await browser.get("/workshops/new")
    bad_time = await browser.post("/workshops/new", form_for("2026-05-12", starts="demain"))
    assert bad_time.status == 422 and "« demain » n'est pas une heure" in said(bad_time)
    await browser.get("/workshops/new")
    past = await browser.post("/workshops/new", form_for("2025-12-01"))
    assert past.status == 422 and "starts : doit être dans le futur" in said(past)
    assert await rows_of(office.db, Workshop) == []
    assert await actions(office, "workshop_create") == []


async def upload(browser, name: str, content: bytes):
    page = await browser.get("/workshops/new")
    form = aiohttp.FormData()
    form.add_field("csrf_token", page.csrf_token)
    form.add_field("document", content, filename=name, content_type="application/yaml")
    async with browser.session.post(
        browser.base_url + "/workshops/new", data=form, allow_redirects=False
    ) as response:
        return response.status, response.headers.get("Location", ""), await response.text()


async def test_creating_from_the_clis_yaml_file(browser, office, agent):
    await browser.sign_in(agent)
    sample = SAMPLES / "talmqalat_women_training.yaml"
    status, location, _ = await upload(browser, sample.name, sample.read_bytes())
    [workshop] = await rows_of(office.db, Workshop)
    assert (status, location) == (303, f"/workshops/{workshop.id}?done=created")
    assert (workshop.quarter, workshop.audience, workshop.capacity) == ("Talmqalat", "women", 15)
    status, _, text = await upload(browser, "bad.yaml", b"kind: [unclosed")
    assert status == 422 and "n'est pas un atelier au format YAML" in html.unescape(text)
    status, _, text = await upload(browser, "extra.yaml", b"kind: workshop\ncolour: blue\n")
    assert (
        status == 422
        and "extra.yaml" in html.unescape(text)
        and "champs inconnus : colour" in html.unescape(text)
    )
    status, _, text = await upload(browser, "shape.yaml", b"title: just a string\n")
    assert status == 422 and "n'est pas un atelier au format YAML" in html.unescape(text)
    assert len(await rows_of(office.db, Workshop)) == 1


async def test_an_admin_publishes_and_announces(browser, office, admin, agent):
    page_id = await a_workshop(office)
    async with office.db.transaction() as uow:
        (await uow.workshops.get(page_id)).status = "draft"
    await add_citizens(office.db, office.clock.now(), [profile("female")] * 2)
    other = office.client()
    try:
        await other.sign_in(agent)
        page = await other.get(f"/workshops/{page_id}")
        assert 'id="publish-form"' not in said(page)
        forged = await other.post(f"/workshops/{page_id}/publish", {"announce": "1"})
        assert forged.status == 403
    finally:
        await other.close()
    await browser.sign_in(admin)
    await browser.get(f"/workshops/{page_id}")
    page = await browser.post(f"/workshops/{page_id}/publish", {"announce": "1"})
    assert page.status == 303
    shown = await browser.get(page.location)
    assert f"Atelier n° {page_id} publié ; 2 annonce(s) en file d'envoi." in said(shown)
    assert len(await rows_of(office.db, OutboxMessage)) == 2
    [entry] = await actions(office, "workshop_publish")
    assert entry.detail == "announced 2"


async def test_editing_tells_those_concerned_and_a_refusal_changes_nothing(browser, office, agent):
    workshop_id = await a_workshop(office)
    await seated(office, workshop_id, 1)
    await browser.sign_in(agent)
    form_page = await browser.get(f"/workshops/{workshop_id}/edit")
    assert 'value="Maison de quartier"' in said(form_page)
    refused = await browser.post(
        f"/workshops/{workshop_id}/edit",
        {**form_of(form_page.text), "place": "Salle", "capacity": "abc"},
    )
    assert refused.status == 422 and "capacity : un nombre entier" in said(refused)
    await browser.get(f"/workshops/{workshop_id}/edit")
    done = await browser.post(
        f"/workshops/{workshop_id}/edit", {**form_of(form_page.text), "place": "Salle communale"}
    )
    assert (done.status, done.location) == (303, f"/workshops/{workshop_id}?done=edited")
    [workshop] = await rows_of(office.db, Workshop)
    assert (workshop.place, workshop.version) == ("Salle communale", 2)
    notices = [m for m in await rows_of(office.db, OutboxMessage) if "ws-changed" in m.dedupe_key]
    assert len(notices) == 1
    [entry] = await actions(office, "workshop_edit")
    assert entry.detail == "version 2"


def form_of(page: str) -> dict[str, str]:
    """The fields of the workshop form as the page fills them in."""
    values = dict(re.findall(r'<input[^>]* name="([a-z_A-Z-]+)" [^>]*value="([^"]*)"', page))
    values |= dict(re.findall(r'<textarea name="([a-zA-Z_-]+)"[^>]*>([^<]*)</textarea>', page))
    for name in ("kind", "audience", "quarter"):
        select = page.split(f'<select name="{name}">')[1].split("</select>")[0]
        values[name] = re.search(r'<option value="([^"]*)" selected>', select)[1]
    values.pop("csrf_token", None)
    values.pop("next", None)
    values.pop("locale", None)
    return values


async def test_an_admin_cancels_once(browser, office, admin):
    workshop_id = await a_workshop(office)
    await seated(office, workshop_id, 1)
    await browser.sign_in(admin)
    await browser.get(f"/workshops/{workshop_id}")
    page = await browser.post(f"/workshops/{workshop_id}/cancel")
    assert page.status == 303
    shown = await browser.get(page.location)
    assert f"Atelier n° {workshop_id} annulé ; 1 personne(s) prévenue(s)." in said(shown)
    again = await browser.post(f"/workshops/{workshop_id}/cancel")
    assert again.status == 422 and f"l'atelier n° {workshop_id} est déjà annulé" in said(again)
    [entry] = await actions(office, "workshop_cancel")
    assert entry.detail == "told 1"
    assert "Aucun atelier ici" not in (await browser.get("/workshops", show="cancelled")).text


async def test_attendance_by_code(browser, office, agent):
    now = office.clock.now()
    workshop_id = await a_workshop(
        office, starts_at=now + timedelta(hours=3), ends_at=now + timedelta(hours=5)
    )
    first, _, waiting = await seated(office, workshop_id, 3)
    await browser.sign_in(agent)
    await browser.get(f"/workshops/{workshop_id}")
    page = await browser.post(f"/workshops/{workshop_id}/attendance", {"codes": first.lower()})
    assert (page.status, page.location) == (
        303, f"/workshops/{workshop_id}?done=attendance&count=1"
    )  # fmt: skip
    assert '<dd id="attended">1</dd>' in (await browser.get(page.location)).text
    refused = await browser.post(
        f"/workshops/{workshop_id}/attendance", {"codes": f"ZZZZZZ {waiting}"}
    )
    assert refused.status == 422
    assert "Aucun code ZZZZZZ : rien n'a changé." in said(refused)
    assert f"{waiting} n'a pas de place" in said(refused)
    empty = await browser.post(f"/workshops/{workshop_id}/attendance", {"codes": " "})
    assert empty.status == 422 and "Saisissez au moins un code." in said(empty)
    [entry] = await actions(office, "workshop_attendance")
    assert entry.detail == f"{first} present"


async def test_an_export_is_pseudonymised_for_agents(browser, office, agent, admin):
    workshop_id = await a_workshop(office)
    await seated(office, workshop_id, 1)
    await browser.sign_in(agent)
    path = f"/workshops/{workshop_id}/export"
    status, headers, body = await browser.get_bytes(path, pseudonymise="0")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment;" in headers["Content-Disposition"]
    [header, row] = list(csv.reader(io.StringIO(body.decode())))
    assert header[:4] == ["workshop", "code", "status", "citizen"]
    assert len(row[3]) >= 16 and not row[3].isdigit()
    other = office.client()
    try:
        await other.sign_in(admin)
        _, _, body = await other.get_bytes(path, pseudonymise="0")
        [_, row] = list(csv.reader(io.StringIO(body.decode())))
        assert row[3].isdigit()
        status, headers, xlsx = await other.get_bytes(path, format="xlsx")
        assert status == 200 and xlsx[:2] == b"PK"
    finally:
        await other.close()
    details = [e.detail for e in await actions(office, "workshop_export")]
    assert details == [
        "csv, 1 rows, pseudonymised",
        "csv, 1 rows, ids",
        "xlsx, 1 rows, pseudonymised",
    ]


async def test_workshop_pages_read_in_arabic(browser, office, admin):
    workshop_id = await a_workshop(office)
    await browser.sign_in(admin)
    await browser.get("/")
    await browser.post("/language", {"locale": "ar", "next": "/"})
    for path, words in [
        ("/workshops", ARABIC_TITLE),
        (f"/workshops/{workshop_id}", "لائحة الانتظار"),
        (f"/workshops/{workshop_id}/edit", "تعديل الورشة"),
        ("/workshops/new", "إنشاء المسودة"),
    ]:
        page = await browser.get(path)
        assert page.status == 200, path
        assert '<html lang="ar" dir="rtl">' in said(page), path
        assert words in said(page), path
        assert "Ateliers" not in said(page), path
    await browser.get("/workshops/new")
    refused = await browser.post("/workshops/new", form_for("2026-05-12", capacity="0"))
    assert refused.status == 422 and "capacity" in said(refused) and "مرفوض" in said(refused)


@pytest.mark.parametrize("action", ["new", "1/publish", "1/cancel", "1/attendance", "1/edit"])
async def test_a_form_without_its_token_is_refused(browser, office, admin, action):
    await a_workshop(office)
    await browser.sign_in(admin)
    page = await browser.post(f"/workshops/{action}", {"codes": "ABCDEF"}, csrf=False)
    assert page.status == 403
    [workshop] = await rows_of(office.db, Workshop)
    assert workshop.status == "published"
    assert [e.action for e in await rows_of(office.db, AuditEntry)] == ["sign_in"]
