"""Complaints on SQLite and PostgreSQL, through the core as citizens and staff use them:
filing, following, tracking numbers, status changes and their pushes, staff actions, the
CLI's use cases, exports and erasure."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import timedelta
from random import Random

import openpyxl
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.cli.complaints import StatusRequest, change_status, export_complaints, show_complaint
from bot.settings import Settings
from handlers.complaints.exports import pseudonym
from handlers.complaints.filing import file_complaint as file_complaint_now
from handlers.complaints.statuses import StatusChangeRefused, set_complaint_status
from handlers.conversation_core import ConversationCore
from handlers.languages.catalogs import translate
from handlers.serialization import outgoing_from_dict
from handlers.types import ButtonPress, Location, Media
from storage.models import Complaint, ComplaintEvent, OutboxMessage
from tests.dialogue import Citizen

STAFF_GROUP = "-100200300"
NUMBER = re.compile(r"TRD-\d\d-[2-9A-Z]{5}")
LAMP = "Le lampadaire devant l'école Ibn Khaldoun est éteint depuis une semaine."


@pytest.fixture
def staff_core(db, settings, clock) -> ConversationCore:
    """The core with a staff group and seeded tracking numbers."""
    commune = replace(settings, staff_chat_id=STAFF_GROUP, tracking_random=Random(26))
    return ConversationCore(db, commune, clock)


async def onboarded(core: ConversationCore, user_id: str) -> Citizen:
    citizen = Citizen(core, user_id)
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    return citizen


async def file_complaint(
    citizen: Citizen, *, category: str = "💡", quarter: str = "Derb Jdid", text: str = LAMP
) -> str:
    """File a complaint through the chat; its tracking number."""
    await citizen.command("menu")
    await citizen.presses("📝")
    await citizen.presses("✍️")
    await citizen.presses("📣")
    await citizen.presses(category)
    await citizen.says(text)
    await citizen.presses(quarter)
    await citizen.send_payload(Media("photo", "AgADphoto", "image/jpeg", 120_000))
    [filed, _menu] = await citizen.presses("✅ Envoyer")
    found = NUMBER.search(filed.text)
    assert found, filed.text
    return found.group(0)


async def complaint_row(db, number: str) -> Complaint:
    async with db.transaction() as uow:
        found = await uow.complaints.by_number(number)
    assert found is not None
    return found


async def outbox(db, kind: str) -> list[OutboxMessage]:
    async with db.engine.connect() as connection:
        rows = await connection.execute(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
        return list(rows.all())  # type: ignore[arg-type]


async def add_staff(db, user_id: str, role: str, clock, name: str = "Agent Ait Lahcen") -> None:
    async with db.transaction() as uow:
        await uow.staff.save("test", user_id, name, role, clock.now())


async def test_a_citizen_files_a_complaint_and_gets_a_number_and_deadlines(staff_core, db, clock):
    citizen = await onboarded(staff_core, "amina")
    number = await file_complaint(citizen)
    assert "20/01/2026" in citizen.transcript[-2].text  # 15 days, shown in Casablanca time
    assert "06/03/2026" in citizen.transcript[-2].text  # 60 days
    row = await complaint_row(db, number)
    assert (row.kind, row.category, row.quarter, row.status) == (
        "complaint",
        "lighting",
        "Derb Jdid",
        "received",
    )
    assert row.description == LAMP and row.locale == "fr"
    assert (row.attachment_kind, row.attachment_file_ref, row.attachment_size) == (
        "photo",
        "AgADphoto",
        120_000,
    )
    assert row.filed_at == clock.now()
    assert row.acknowledge_by - row.filed_at == timedelta(days=15)
    assert row.answer_by - row.filed_at == timedelta(days=60)
    async with db.transaction() as uow:
        [received] = await uow.complaints.history(row.id)
    assert (received.from_status, received.to_status, received.actor) == (
        None,
        "received",
        "citizen",
    )


async def test_bad_input_while_filing_gets_translated_answers_and_loses_nothing(core, db):
    citizen = await onboarded(core, "karim")
    await citizen.presses("📝")
    await citizen.presses("✍️")
    await citizen.presses("👁️")
    await citizen.presses("🚰")
    [emoji] = await citizen.says("😡😡😡!!!!!!!!!!")
    assert emoji.text.startswith(translate("fr", "complaint.description.no_words"))
    [short] = await citizen.says("fuite")
    assert short.text.startswith("C'est un peu court")
    [huge] = await citizen.says("x" * 10_240)
    assert huge.text.startswith("Votre message est trop long")
    [long] = await citizen.says("fuite " * 400)
    assert long.text.startswith("C'est trop long (2399 caractères)")
    await citizen.says("Fuite d'eau importante rue Bab Zorgane depuis hier soir")
    [far] = await citizen.send_payload(Location(33.5731, -7.5898))  # Casablanca
    assert far.text.startswith("⚠️ Cette position est à environ")
    [too_big] = await citizen.send_payload(Media("document", "BQAD", "application/pdf", 21 << 20))
    assert too_big.text.startswith("Ce fichier est trop lourd : 20 Mo au plus")
    [summary] = await citizen.presses("⏭️")
    assert "Fuite d'eau importante" in summary.text and "33.57310" in summary.text
    assert "Pièce jointe : aucune" in summary.text


async def test_editing_one_field_comes_back_to_the_summary(core, db):
    citizen = await onboarded(core, "edit")
    await citizen.presses("📝")
    await citizen.presses("✍️")
    await citizen.presses("💡")
    await citizen.presses("🌳")
    await citizen.says("Les arbres du jardin public ne sont plus arrosés.")
    await citizen.says("Avenue Mohammed V, près de la poste")
    await citizen.presses("⏭️")
    await citizen.presses("✏️")
    await citizen.presses("Catégorie")
    [summary] = await citizen.presses("🗑️")
    assert "Déchets et propreté" in summary.text
    assert "Avenue Mohammed V" in summary.text and "Les arbres" in summary.text
    [cancelled, *_] = await citizen.presses("✖️")
    assert cancelled.text.startswith("C'est annulé")
    async with db.engine.connect() as connection:
        assert (await connection.execute(select(func.count(Complaint.id)))).scalar() == 0


async def test_my_complaints_shows_the_public_history_only(staff_core, db, clock, settings):
    citizen = await onboarded(staff_core, "sara")
    number = await file_complaint(citizen)
    row = await complaint_row(db, number)
    clock.advance(timedelta(days=2))
    async with db.transaction() as uow:
        complaint = await uow.complaints.get(row.id)
        await set_complaint_status(
            uow,
            settings,
            complaint,
            "acknowledged",
            "Agent",
            "Équipe prévenue",
            "appel au 05",
            clock.now(),
        )
    await citizen.command("menu")
    await citizen.presses("📝")
    [listing] = await citizen.presses("📂")
    assert listing.button_labels[0] == f"{number} · Prise en charge · 05/01/2026"
    [detail] = await citizen.presses(number)
    assert "Équipe prévenue" in detail.text and "appel au 05" not in detail.text
    assert "07/01/2026 — Prise en charge" in detail.text


async def test_a_typed_number_opens_only_the_authors_complaint(staff_core, db):
    author = await onboarded(staff_core, "author")
    number = await file_complaint(author)
    [mine] = await author.says(number.lower().replace("-", " "))
    assert mine.text.startswith(f"📄 Réclamation {number}")

    other = await onboarded(staff_core, "other")
    [theirs] = await other.says(number)
    unused = "TRD-26-2222" + ("3" if number[-5:] != "22223" else "4")
    [unknown] = await other.says(unused)
    assert theirs.text == unknown.text.replace(unused, number)
    assert theirs.button_labels == unknown.button_labels
    assert LAMP not in theirs.text


async def test_a_status_change_writes_history_and_queues_the_citizens_push(
    staff_core, db, clock, settings
):
    citizen = await onboarded(staff_core, "push")
    number = await file_complaint(citizen)
    async with db.transaction() as uow:
        complaint = await complaint_row(db, number)
        complaint = await uow.complaints.get(complaint.id)
        event = await set_complaint_status(
            uow, settings, complaint, "acknowledged", "Agent Ait Lahcen", None, None, clock.now()
        )
    [push] = await outbox(db, "complaint")
    assert push.dedupe_key == f"complaint-status:{complaint.id}:{event.id}"
    assert (push.channel, push.chat_id) == ("test", "push")
    assert push.citizen_id == complaint.citizen_id
    message = outgoing_from_dict(push.payload)
    assert message.text.startswith(f"📬 Votre réclamation {number} : Prise en charge.")
    assert "06/03/2026" in message.text and not message.buttons
    row = await complaint_row(db, number)
    assert row.acknowledged_at == clock.now() and row.status == "acknowledged"
    async with db.transaction() as uow:
        history = await uow.complaints.history(row.id)
    assert [(e.from_status, e.to_status, e.actor) for e in history][-1] == (
        "received",
        "acknowledged",
        "Agent Ait Lahcen",
    )


async def test_a_status_set_from_the_cli_is_pushed_like_one_from_chat(staff_core, db, clock):
    citizen = await onboarded(staff_core, "cli")
    number = await file_complaint(citizen)
    settings = Settings(_env_file=None, database_url=db.url)  # type: ignore[call-arg]
    request = StatusRequest(
        number.lower(), "outside_competence", "Relève de la RADEEMA", actor="BO"
    )
    said = await change_status(db, settings, request, clock.now())
    assert said.startswith(f"{number} : outside_competence (Hors compétence de la commune)")
    [push] = await outbox(db, "complaint")
    text = push.payload["text"]
    assert "Hors compétence" in text and "Relève de la RADEEMA" in text and "chikaya.ma" in text
    with pytest.raises(Exception, match="Aucune réclamation TRD-26-22222"):
        await change_status(db, settings, StatusRequest("TRD-26-22222", "resolved"), clock.now())


async def test_resolution_offers_rating_and_reopening_to_the_author_only(
    staff_core, db, clock, settings
):
    citizen = await onboarded(staff_core, "rate")
    number = await file_complaint(citizen)
    row = await complaint_row(db, number)
    async with db.transaction() as uow:
        complaint = await uow.complaints.get(row.id)
        for status in ("acknowledged", "in_progress", "resolved"):
            await set_complaint_status(
                uow, settings, complaint, status, "Agent", "Lampe changée", None, clock.now()
            )
    push = outgoing_from_dict((await outbox(db, "complaint"))[-1].payload)
    assert push.button_labels == ["1 ⭐", "2 ⭐", "3 ⭐", "4 ⭐", "5 ⭐", "🔁 Rouvrir"]
    stranger = await onboarded(staff_core, "stranger")
    [forged] = await stranger.send_payload(ButtonPress(push.buttons[0][0].id))
    assert forged.text.startswith("Ce bouton vient d'un message précédent")

    [thanks] = await citizen.send_payload(ButtonPress(push.buttons[0][3].id))
    assert thanks.text.startswith("Merci pour votre note : 4/5")
    await citizen.says("Rapide, merci")
    row = await complaint_row(db, number)
    assert (row.rating, row.rating_comment) == (4, "Rapide, merci")

    await citizen.send_payload(ButtonPress(push.buttons[1][0].id))
    [reopened] = await citizen.says("La lampe s'éteint de nouveau chaque soir")
    assert reopened.text.startswith(f"🔁 La réclamation {number} est rouverte")
    assert (await complaint_row(db, number)).status == "reopened"
    staff_pushes = await outbox(db, "staff")
    assert "La lampe s'éteint de nouveau" in staff_pushes[-1].payload["text"]


async def test_reopening_after_the_window_is_refused(staff_core, db, clock, settings):
    citizen = await onboarded(staff_core, "late")
    number = await file_complaint(citizen)
    row = await complaint_row(db, number)
    async with db.transaction() as uow:
        complaint = await uow.complaints.get(row.id)
        await set_complaint_status(
            uow,
            settings,
            complaint,
            "rejected",
            "Admin",
            "Doublon de TRD-26-ABCDE",
            None,
            clock.now(),
        )
    push = outgoing_from_dict((await outbox(db, "complaint"))[-1].payload)
    assert push.button_labels == ["🔁 Rouvrir"]
    clock.advance(timedelta(days=16))
    [refused] = await citizen.send_payload(ButtonPress(push.buttons[0][0].id))
    assert refused.text.startswith("Le délai pour rouvrir cette réclamation est dépassé")
    assert (await complaint_row(db, number)).status == "rejected"


async def test_a_rejection_without_a_reason_is_refused(staff_core, db, clock, settings):
    citizen = await onboarded(staff_core, "noreason")
    row = await complaint_row(db, await file_complaint(citizen))
    async with db.transaction() as uow:
        complaint = await uow.complaints.get(row.id)
        with pytest.raises(StatusChangeRefused):
            await set_complaint_status(
                uow, settings, complaint, "rejected", "Admin", "  ", None, clock.now()
            )
    assert (await complaint_row(db, row.tracking_number)).status == "received"
    assert await outbox(db, "complaint") == []


async def test_staff_reject_through_the_group_with_a_reason(staff_core, db, clock):
    citizen = await onboarded(staff_core, "rejected")
    row = await complaint_row(db, await file_complaint(citizen))
    await add_staff(db, "agent-1", "agent", clock)
    await add_staff(db, "admin-1", "admin", clock, name="Admin Ouali")
    reject = ButtonPress(f"s.cst.{row.id}.rejected")
    [refused] = await Citizen(staff_core, "agent-1").send_payload(reject)
    assert refused.text.startswith("Seul·e un·e administrateur·rice peut faire cela")
    admin = Citizen(staff_core, "admin-1")
    [asked] = await admin.send_payload(reject)
    assert asked.text.startswith(f"{row.tracking_number} — Non retenue : écrivez le motif")
    [nothing] = await admin.command("reason")
    assert nothing.text == asked.text, "an empty /reason asks again"
    [done] = await admin.command("reason", "Hors du périmètre communal, voir la province")
    assert done.text.startswith(f"✅ {row.tracking_number} : Non retenue (par Admin Ouali)")
    assert done.button_labels == [], "a rejected complaint has no next staff status"
    push = (await outbox(db, "complaint"))[-1].payload["text"]
    assert "Hors du périmètre communal" in push
    [again] = await admin.command("reason", "encore")
    assert again.text == "Aucun changement de statut n'attend de motif."


async def test_a_citizen_forging_a_staff_status_action_changes_nothing(staff_core, db):
    citizen = await onboarded(staff_core, "forger")
    row = await complaint_row(db, await file_complaint(citizen))
    [stale] = await citizen.send_payload(ButtonPress("9.nothing"))
    [forged] = await citizen.send_payload(ButtonPress(f"s.cst.{row.id}.resolved"))
    assert forged.text == stale.text
    [unknown] = await citizen.command("nimportequoi")
    [command] = await citizen.command("complaint", row.tracking_number)
    assert command.text == unknown.text
    assert (await complaint_row(db, row.tracking_number)).status == "received"


async def test_staff_are_told_of_each_new_complaint_with_a_duplicate_hint(staff_core, db, clock):
    first = await file_complaint(await onboarded(staff_core, "first"))
    clock.advance(timedelta(days=3))
    second = await file_complaint(await onboarded(staff_core, "second"))
    clock.advance(timedelta(days=1))
    other_quarter = await file_complaint(await onboarded(staff_core, "third"), quarter="Medina")
    pushes = await outbox(db, "staff")
    assert [p.chat_id for p in pushes] == [STAFF_GROUP] * 3
    texts = [p.payload["text"] for p in pushes]
    assert texts[0].startswith(f"🆕 Nouvelle demande\n\n📄 {first}")
    assert "Doublon possible" not in texts[0]
    hint = "Doublon possible (même catégorie, même quartier, 7 derniers jours)"
    assert f"{hint} : {first}" in texts[1]
    assert second not in texts[2] and "Doublon" not in texts[2], other_quarter
    ids = [b["id"] for row in pushes[0].payload["buttons"] for b in row]
    row = await complaint_row(db, first)
    assert ids == [
        f"s.cst.{row.id}.{s}" for s in ("acknowledged", "rejected", "outside_competence")
    ]
    assert all(len(i.encode()) <= 64 for i in ids)


async def test_staff_press_acknowledged_and_look_a_complaint_up(staff_core, db, clock):
    number = await file_complaint(await onboarded(staff_core, "ack"))
    row = await complaint_row(db, number)
    await add_staff(db, "agent-2", "agent", clock)
    agent = Citizen(staff_core, "agent-2")
    [done] = await agent.send_payload(ButtonPress(f"s.cst.{row.id}.acknowledged"))
    assert done.text.startswith(f"✅ {number} : Prise en charge (par Agent Ait Lahcen)")
    assert done.button_labels == [
        "➡️ Transmettre",
        "🔧 En cours",
        "⛔ Rejeter",
        "🚫 Hors compétence",
    ]
    [twice] = await agent.send_payload(ButtonPress(f"s.cst.{row.id}.acknowledged"))
    assert twice.text.startswith("Ce changement de statut n'est pas possible")
    [card, file] = await agent.command("complaint", number.lower())
    assert card.text.startswith(f"📄 {number}") and LAMP in card.text
    assert "• Fichier : image/jpeg · 117 Ko" in card.text
    assert file.media is not None and file.media.file_ref == "AgADphoto", "what the citizen sent"
    assert file.text == f"📎 Pièce jointe de {number}"
    [missing] = await agent.command("complaint", "TRD-26-22222")
    assert missing.text == "Aucune réclamation TRD-26-22222."


async def test_exports_in_csv_and_xlsx(staff_core, db, tmp_path):
    citizen = await onboarded(staff_core, "export")
    number = await file_complaint(citizen, text='=HYPERLINK("http://x") lampe cassée rue 5')
    row = await complaint_row(db, number)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=db.url, pseudonym_key=SecretStr("k3y")
    )
    await export_complaints(db, settings, "csv", tmp_path / "c.csv", pseudonymise=True)
    [header, line] = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text())))
    values = dict(zip(header, line, strict=True))
    assert values["tracking_number"] == number and values["status"] == "received"
    assert values["citizen"] == pseudonym("k3y", row.citizen_id) != str(row.citizen_id)
    assert values["filed_at"] == "2026-01-05 10:00"  # 09:00 UTC is 10:00 in Casablanca
    assert values["description"].startswith("'=HYPERLINK"), "never a formula"

    await export_complaints(db, settings, "xlsx", tmp_path / "c.xlsx", pseudonymise=False)
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    assert [cell.value for cell in sheet[1]][:3] == ["tracking_number", "citizen", "kind"]
    assert sheet["A2"].value == number and sheet["B2"].value == row.citizen_id
    description = sheet.cell(row=2, column=header.index("description") + 1)
    assert description.value.startswith("'=HYPERLINK") and description.data_type == "s"


async def test_my_data_lists_complaints_and_erasure_removes_them(staff_core, db):
    """My data shows each complaint as the citizen wrote it, not only a count."""
    citizen = await onboarded(staff_core, "erase")
    number = await file_complaint(citizen)
    await citizen.command("menu")
    [mine] = await citizen.presses("🔒")
    assert "• Réclamations : 1" in mine.text
    assert f"  – {number} (Reçue)" in mine.text
    assert "Description : Le lampadaire devant l'école Ibn Khaldoun" in mine.text
    await citizen.presses("🗑️")
    await citizen.presses("Oui")
    async with db.engine.connect() as connection:
        assert (await connection.execute(select(func.count(Complaint.id)))).scalar() == 0
        assert (await connection.execute(select(func.count(ComplaintEvent.id)))).scalar() == 0


class Replaying(Random):
    """Draws the given characters in order: two numbers can be made to collide."""

    def __init__(self, characters: str) -> None:
        super().__init__(0)
        self._characters = iter(characters)

    def choice(self, seq):  # type: ignore[override]
        return next(self._characters)


async def test_a_taken_tracking_number_is_never_reused(db, settings, clock):
    await onboarded(ConversationCore(db, settings, clock), "collide")
    draft = {"kind": "complaint", "category": "roads", "description": LAMP}
    colliding = replace(settings, tracking_random=Replaying("2345" + "2345" + "6789"))
    async with db.transaction() as uow:
        citizen = await uow.citizens.find("test", "collide")
        assert citizen is not None
        first = await file_complaint_now(uow, colliding, citizen.id, draft, "fr", clock.now())
        second = await file_complaint_now(uow, colliding, citizen.id, draft, "fr", clock.now())
    assert first.tracking_number.startswith("TRD-26-2345")
    assert second.tracking_number.startswith("TRD-26-6789")


async def test_the_staff_group_gets_the_citizens_file_where_its_reference_works(
    db, settings, clock
):
    """The staff group sees the photo the citizen sent, right after the card — only on the
    channel the file came through (a reference means nothing on another one)."""
    for staff_channel, expected in (("test", ["AgADphoto"]), ("telegram", [])):
        commune = replace(settings, staff_chat_id=STAFF_GROUP, staff_channel=staff_channel)
        core = ConversationCore(db, commune, clock)
        before = len(await outbox(db, "staff"))
        await file_complaint(await onboarded(core, f"sender-{staff_channel}"))
        pushes = [outgoing_from_dict(row.payload) for row in await outbox(db, "staff")]
        files = [push.media.file_ref for push in pushes[before:] if push.media is not None]
        assert files == expected, staff_channel


async def test_complaints_show_gives_the_rating_comment_and_the_file(staff_core, db, settings):
    citizen = await onboarded(staff_core, "rater")
    number = await file_complaint(citizen)
    row = await complaint_row(db, number)
    async with db.transaction() as uow:
        complaint = await uow.complaints.get(row.id, for_update=True)
        complaint.rating, complaint.rating_comment = 4, "Réparé vite, merci"
    shown = await show_complaint(db, Settings(_env_file=None, pseudonym_key=None), number)
    assert "• Commentaire de la note : Réparé vite, merci" in shown
    assert "• Fichier : image/jpeg · 117 Ko" in shown
