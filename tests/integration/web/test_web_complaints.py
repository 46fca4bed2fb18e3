"""Complaints in the back-office, on SQLite and PostgreSQL through the real server: the
list (filters, pages, search), one complaint with its history, status changes that queue
the citizen's push (only to the statuses allowed next, rejecting for admins, with the
reason the rules ask for), assigning, notes, exports, and the audit log of it all."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from storage.models import AuditEntry, ComplaintEvent, OutboxMessage
from tests.complaint_rows import add_citizen, add_complaint, add_complaints, complaint_values
from tests.web_client import rows_of


def numbers_on(page) -> list[str]:
    return re.findall(r'<a href="/complaints/(TRD-[^"]+)" dir="ltr">', page.text)


@pytest.fixture
async def many(office, clock):
    """120 complaints a minute apart: every third about waste in Sidi Belkas."""
    citizen = await add_citizen(office.db, clock.now())
    rows = [
        complaint_values(
            citizen,
            clock.now() - timedelta(days=120) + timedelta(minutes=i),
            **({"category": "waste", "quarter": "Sidi Belkas"} if i % 3 == 0 else {}),
        )
        for i in range(120)
    ]
    await add_complaints(office.db, rows)
    return [r["tracking_number"] for r in rows]


async def test_the_list_shows_fifty_a_page_newest_first(browser, admin, many):
    await browser.sign_in(admin)
    first = await browser.get("/complaints")
    assert numbers_on(first) == list(reversed(many))[:50]
    assert "1–50 sur 120" in first.text
    third = await browser.get("/complaints", page="3")
    assert numbers_on(third) == list(reversed(many))[100:]
    assert 'rel="next"' not in third.text and 'rel="prev"' in third.text


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999"])
async def test_a_page_number_that_is_not_one_shows_the_first(browser, admin, many, page):
    await browser.sign_in(admin)
    assert numbers_on(await browser.get("/complaints", page=page))[:1] == [many[-1]]


async def test_a_page_past_the_end_shows_the_last(browser, admin, many):
    await browser.sign_in(admin)
    assert numbers_on(await browser.get("/complaints", page="40")) == list(reversed(many))[100:]


async def test_filters_combine_and_pages_keep_them(browser, admin, many):
    await browser.sign_in(admin)
    page = await browser.get("/complaints", category="waste", quarter="Sidi Belkas")
    assert numbers_on(page) == list(reversed(many[::3]))
    assert "1–40 sur 40" in page.text
    assert (
        numbers_on(await browser.get("/complaints", category="roads", quarter="Sidi Belkas")) == []
    )
    assert "Aucune réclamation ne correspond" in browser.last.text


async def test_filters_by_status_overdue_and_service(browser, office, admin, clock):
    _, late = await add_complaint(office.db, clock.now() - timedelta(days=20))
    _, fresh = await add_complaint(office.db, clock.now())
    _, done = await add_complaint(office.db, clock.now(), status="resolved",
                                   assigned_service="Voirie")  # fmt: skip
    await browser.sign_in(admin)
    assert numbers_on(await browser.get("/complaints", overdue="1")) == [late]
    assert numbers_on(await browser.get("/complaints", status="resolved")) == [done]
    assert numbers_on(await browser.get("/complaints", service="Voirie")) == [done]
    everything = await browser.get("/complaints", status="not-a-status")
    assert set(numbers_on(everything)) == {late, fresh, done}


async def test_a_tracking_number_typed_any_way_opens_the_complaint(browser, office, admin, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    page = await browser.get("/complaints", number=number.lower().replace("-", " "))
    assert (page.status, page.location) == (303, f"/complaints/{number}")
    missing = await browser.get("/complaints", number="TRD-26-ZZZZZ")
    assert "Aucune réclamation ne porte le numéro TRD-26-ZZZZZ" in missing.text


async def test_an_unknown_complaint_is_a_page_not_found(browser, admin):
    await browser.sign_in(admin)
    assert (await browser.get("/complaints/TRD-26-ZZZZZ")).status == 404
    assert (await browser.get("/complaints/not-a-number")).status == 404


async def test_a_complaint_page_shows_what_the_citizen_sent(browser, office, admin, clock):
    _, number = await add_complaint(
        office.db, clock.now(), description="<script>alert(1)</script> lampadaire",
        latitude=30.47123, longitude=-8.87654, attachment_kind="photo",
        attachment_file_ref="AgAD-photo", attachment_name="rue.jpg", attachment_size=204800,
        rating=4, rating_comment="Merci",
    )  # fmt: skip
    await browser.sign_in(admin)
    page = await browser.get(f"/complaints/{number}")
    assert page.status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; lampadaire" in page.text
    assert "<script>" not in page.text
    assert "30.47123, -8.87654" in page.text
    assert "openstreetmap.org/?mlat=30.471230&amp;mlon=-8.876540" in page.text
    assert "rue.jpg" in page.text and "★★★★☆ (4/5)" in page.text and "Merci" in page.text


async def test_only_the_statuses_allowed_next_are_offered(browser, office, admin, agent, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    offered = re.findall(
        r'name="status" value="([a-z_]+)"', (await browser.get(f"/complaints/{number}")).text
    )
    assert offered == ["acknowledged", "rejected", "outside_competence"]
    other = office.client()
    try:
        await other.sign_in(agent)
        page = await other.get(f"/complaints/{number}")
        assert re.findall(r'name="status" value="([a-z_]+)"', page.text) == [
            "acknowledged", "outside_competence"
        ]  # fmt: skip
    finally:
        await other.close()


async def test_a_status_change_queues_the_citizens_push(browser, office, admin, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    await browser.get(f"/complaints/{number}")
    page = await browser.post(
        f"/complaints/{number}/status",
        {"status": "acknowledged", "comment": "Nous regardons", "note": "Appeler la voirie"},
    )
    assert (page.status, page.location) == (303, f"/complaints/{number}?done=status")
    shown = await browser.get(page.location)
    assert "le message au citoyen ou à la citoyenne est en file d" in shown.text
    assert "Appeler la voirie" in shown.text and "Nous regardons" in shown.text
    [push] = await rows_of(office.db, OutboxMessage)
    assert (push.chat_id, push.status) == ("citizen-1", "pending")
    assert number in push.payload["text"] and "Nous regardons" in push.payload["text"]
    [event] = await rows_of(office.db, ComplaintEvent)
    assert (event.actor, event.from_status, event.to_status) == (
        "Amina Admin", "received", "acknowledged"
    )  # fmt: skip
    assert event.internal_note == "Appeler la voirie"
    audit = [e for e in await rows_of(office.db, AuditEntry) if e.action == "complaint_status"]
    assert [(e.target, e.detail, e.page) for e in audit] == [
        (number, "acknowledged", f"/complaints/{number}/status")
    ]


async def test_a_change_the_table_forbids_is_refused_and_nothing_is_queued(
    browser, office, admin, clock
):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    await browser.get(f"/complaints/{number}")
    page = await browser.post(f"/complaints/{number}/status", {"status": "resolved"})
    assert page.status == 422
    await browser.get(f"/complaints/{number}")
    invented = await browser.post(f"/complaints/{number}/status", {"status": "made-up"})
    assert invented.status == 422
    assert await rows_of(office.db, OutboxMessage) == []
    assert await rows_of(office.db, ComplaintEvent) == []


async def test_an_agent_cannot_reject_even_with_a_forged_form(browser, office, agent, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(agent)
    await browser.get(f"/complaints/{number}")
    page = await browser.post(
        f"/complaints/{number}/status", {"status": "rejected", "comment": "Hors sujet"}
    )
    assert page.status == 422
    assert "Seul·e un·e administrateur·rice peut faire cela" in page.text
    async with office.db.transaction() as uow:
        assert (await uow.complaints.by_number(number)).status == "received"


async def test_rejecting_needs_a_reason(browser, office, admin, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    await browser.get(f"/complaints/{number}")
    bare = await browser.post(
        f"/complaints/{number}/status", {"status": "rejected", "comment": " "}
    )
    assert bare.status == 422
    assert await rows_of(office.db, OutboxMessage) == []
    done = await browser.post(
        f"/complaints/{number}/status", {"status": "rejected", "comment": "Domaine privé"}
    )
    assert done.status == 303
    [push] = await rows_of(office.db, OutboxMessage)
    assert "Domaine privé" in push.payload["text"]


async def test_forwarding_needs_a_service(browser, office, admin, clock):
    complaint_id, number = await add_complaint(office.db, clock.now(), status="acknowledged")
    await browser.sign_in(admin)
    await browser.get(f"/complaints/{number}")
    assert (
        await browser.post(f"/complaints/{number}/status", {"status": "forwarded"})
    ).status == 422
    page = await browser.post(
        f"/complaints/{number}/status", {"status": "forwarded", "service": "Service de l'eau"}
    )
    assert page.status == 303
    async with office.db.transaction() as uow:
        assert (await uow.complaints.get(complaint_id)).assigned_service == "Service de l'eau"


async def test_assigning_and_notes_go_into_the_history_without_a_push(
    browser, office, agent, clock
):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(agent)
    await browser.get(f"/complaints/{number}")
    assert (await browser.post(f"/complaints/{number}/assign", {"service": "Voirie"})).status == 303
    await browser.get(f"/complaints/{number}")
    assert (
        await browser.post(f"/complaints/{number}/note", {"note": "Vu sur place"})
    ).status == 303
    await browser.get(f"/complaints/{number}")
    empty = await browser.post(f"/complaints/{number}/note", {"note": "   "})
    assert empty.status == 422 and "La note est vide." in empty.text
    events = await rows_of(office.db, ComplaintEvent)
    assert [(e.actor, e.internal_note) for e in events] == [
        ("Youssef Agent", "assigned to Voirie"),
        ("Youssef Agent", "Vu sur place"),
    ]
    assert await rows_of(office.db, OutboxMessage) == []
    actions = [e.action for e in await rows_of(office.db, AuditEntry)]
    assert actions == ["sign_in", "complaint_assign", "complaint_note"]


async def test_an_export_is_pseudonymised_for_agents(browser, office, agent, clock):
    await add_complaint(office.db, clock.now())
    await browser.sign_in(agent)
    status, headers, body = await browser.get_bytes("/complaints/export", pseudonymise="0")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment;" in headers["Content-Disposition"]
    [header, row] = list(csv.reader(io.StringIO(body.decode())))
    citizen = row[header.index("citizen")]
    assert len(citizen) >= 16 and not citizen.isdigit()


async def test_an_admin_may_export_citizen_ids_and_xlsx(browser, office, admin, clock):
    await add_complaint(office.db, clock.now(), category="waste")
    await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    _, _, body = await browser.get_bytes("/complaints/export", pseudonymise="0", category="waste")
    [header, row] = list(csv.reader(io.StringIO(body.decode())))
    assert row[header.index("citizen")].isdigit()
    status, headers, xlsx = await browser.get_bytes("/complaints/export", format="xlsx")
    assert status == 200 and xlsx[:2] == b"PK"
    assert headers["Content-Type"].endswith("spreadsheetml.sheet")
    exports = [
        e.detail for e in await rows_of(office.db, AuditEntry) if e.action == "complaints_export"
    ]
    assert exports == ["csv, 1 rows, ids", "xlsx, 2 rows, pseudonymised"]


async def test_the_audit_log_is_for_admins(browser, office, admin, agent, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(agent)
    await browser.get(f"/complaints/{number}")
    await browser.post(f"/complaints/{number}/note", {"note": "Vu"})
    assert (await browser.get("/audit")).status == 403
    other = office.client()
    try:
        await other.sign_in(admin)
        log = await other.get("/audit")
        assert log.status == 200
        assert "Youssef Agent" in log.text and "note interne" in log.text and number in log.text
        filtered = await other.get("/audit", action="sign_in")
        assert number not in filtered.text and "Amina Admin" in filtered.text
        day = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%d")
        assert "Aucune action" in (await other.get("/audit", since=day)).text
    finally:
        await other.close()


async def test_the_dashboard_counts_new_and_overdue_complaints(browser, office, admin, clock):
    await add_complaint(office.db, clock.now() - timedelta(days=30))
    await add_complaint(office.db, clock.now())
    await add_complaint(office.db, clock.now(), status="in_progress", acknowledged_at=clock.now())
    await browser.sign_in(admin)
    page = await browser.get("/")
    assert '<span class="figure" id="new-complaints">2</span>' in page.text
    assert '<span class="figure" id="overdue-complaints">1</span>' in page.text
    assert '<span class="figure" id="outbox-queued">0</span>' in page.text


async def test_every_page_reads_in_arabic(browser, office, admin, clock):
    _, number = await add_complaint(office.db, clock.now(), quarter="Derb Jdid")
    await browser.sign_in(admin)
    await browser.get("/")
    await browser.post("/language", {"locale": "ar", "next": "/"})
    for path, words in [
        ("/", "لوحة القيادة"),
        ("/complaints", "درب الجديد"),
        (f"/complaints/{number}", "تغيير الحالة"),
        ("/audit", "سجل التدقيق"),
        ("/no-such-page", "الصفحة غير موجودة."),
    ]:
        page = await browser.get(path)
        assert '<html lang="ar" dir="rtl">' in page.text, path
        assert words in page.text, path
        assert "Réclamations" not in page.text and "Tableau de bord" not in page.text, path
