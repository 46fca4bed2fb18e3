"""Workshops through the core, on SQLite and PostgreSQL: signing up (the profile asked
first, once), the waitlist and its promotions, cancelling, My workshops, the buttons on
pushes, attendance by code, and every bad input answered with nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.types import ButtonPress
from handlers.workshops import (
    WorkshopRefused,
    cancel_workshop,
    create_workshop,
    edit_workshop,
    mark_attendance,
    publish_workshop,
)
from storage.models import WorkshopRegistration
from tests.dialogue import Citizen, consenting
from tests.workshop_rows import TITLE, published_workshop, pushes, workshop_fields


async def signed_up(
    core, user_id: str, *, profile: tuple[str, ...] = ("🤐", "🤐", "🤐")
) -> Citizen:
    """A consenting citizen who opened the workshop and pressed Sign up (or the waitlist)."""
    citizen = await consenting(core, user_id)
    await citizen.presses("🗓️")
    await citizen.presses("🗣️ " + TITLE)
    label = "✍️" if any(b.label.startswith("✍️") for b in citizen.buttons) else "⏳"
    await citizen.presses(label)
    for answer in profile if "quartier" in citizen.last_text else ():
        await citizen.presses(answer)
    return citizen


async def registrations(db) -> list[WorkshopRegistration]:
    async with AsyncSession(db.engine) as session:
        statement = select(WorkshopRegistration).order_by(WorkshopRegistration.id)
        return list((await session.execute(statement)).scalars())


async def test_the_first_sign_up_asks_the_profile_once_then_gives_a_seat_and_a_code(
    core, db, settings, clock
):
    await published_workshop(db, settings, clock.now())
    citizen = await consenting(core, "amina")
    [listing] = await citizen.presses("🗓️")
    assert "Ateliers, formations et rencontres à venir" in listing.text
    [details] = await citizen.presses("🗣️ " + TITLE)
    assert "📍 Talmqalat — Maison de quartier" in details.text
    assert "🕒 07/01/2026 10:00–12:00" in details.text, "Casablanca time (UTC+1)"
    assert "2 place(s) libre(s) sur 2" in details.text
    [quarter] = await citizen.presses("✍️")
    assert "Dans quel quartier" in quarter.text and "statistiques de participation" in quarter.text
    await citizen.presses("Talmqalat")
    await citizen.presses("Une femme")
    [done] = await citizen.presses("18–29")
    assert "🎉 C'est fait, votre inscription est confirmée !" in done.text
    [row] = await registrations(db)
    assert row.status == "registered" and f"Votre code : {row.code}" in done.text
    assert f"Votre code à montrer à l'entrée : {row.code}" in done.text

    [again] = await citizen.send_payload(ButtonPress(f"w.join.{row.workshop_id}"))
    assert "Votre inscription à cet atelier est déjà confirmée" in again.text, "nothing asked"
    assert len(await registrations(db)) == 1


async def test_a_full_workshop_offers_the_waitlist_and_a_freed_seat_promotes_the_first(
    core, db, settings, clock
):
    await published_workshop(db, settings, clock.now(), capacity=1)
    first = await signed_up(core, "first")
    second = await consenting(core, "second")
    await second.presses("🗓️")
    [full] = await second.presses("🗣️ " + TITLE)
    assert "Complet" in full.text and "⏳ Rejoindre la liste d'attente" in full.button_labels
    await second.presses("⏳")
    await second.presses("🤐")
    await second.presses("🤐")
    [waiting] = await second.presses("🤐")
    assert "liste d'attente, n° 1" in waiting.text
    third = await signed_up(core, "third")
    assert "n° 2" in third.last_text

    await first.presses("❌")
    [cancelled] = await first.presses("Oui, annuler")
    assert "Votre inscription est annulée" in cancelled.text
    rows = {r.citizen_id: r for r in await registrations(db)}
    statuses = sorted(r.status for r in rows.values())
    assert statuses == ["cancelled", "registered", "waitlisted"]
    [promoted] = await pushes(db, "second", "ws-promoted:")
    assert "Une place s'est libérée" in promoted.payload["text"]
    decline = promoted.payload["buttons"][0][0]
    assert decline["label"] == "❌ Je ne peux pas venir"

    [declined] = await second.send_payload(ButtonPress(decline["id"]))
    assert "votre place passe à la personne suivante" in declined.text
    assert len(await pushes(db, "third", "ws-promoted:")) == 1, "the next one is promoted"
    [stale] = await second.send_payload(ButtonPress(decline["id"]))
    assert "bouton" in stale.text.lower(), "declining twice changes nothing"


async def test_my_workshops_lists_the_places_with_codes_and_ranks(core, db, settings, clock):
    await published_workshop(db, settings, clock.now(), capacity=1)
    await signed_up(core, "holder")
    waiting = await signed_up(core, "waiting")
    await waiting.command("menu")
    await waiting.presses("🗓️")
    [mine] = await waiting.presses("📋")
    assert "Vous êtes n° 1 sur la liste d'attente." in mine.text


async def test_bad_sign_ups_get_a_message_and_change_nothing(core, db, settings, clock):
    now = clock.now()
    past_id = await published_workshop(db, settings, now, starts_at=now + timedelta(hours=1),
                                       ends_at=now + timedelta(hours=2))  # fmt: skip
    cancelled_id = await published_workshop(db, settings, now)
    async with db.transaction() as uow:
        await cancel_workshop(uow, settings, cancelled_id, now)
    clock.advance(timedelta(hours=1, minutes=1))
    citizen = await consenting(core, "late")
    for workshop_id in (past_id, cancelled_id, 999_999):
        [refused] = await citizen.send_payload(ButtonPress(f"w.join.{workshop_id}"))
        assert "ne prend plus d'inscriptions" in refused.text
    for forged in ("w.join.x", "w.decline.1", "w.rate.1.5", "w.rate.1.99", "w.nothing"):
        [stale] = await citizen.send_payload(ButtonPress(forged))
        assert "bouton" in stale.text.lower()
    assert await registrations(db) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"kind": "party"}, "kind"),
        ({"quarter": "Paris"}, "quarter"),
        ({"title": {"fr": "Seulement en français"}}, "title: missing in ar, ary, ary-Latn, shi"),
    ],
)
async def test_staff_cannot_create_an_impossible_workshop(db, settings, clock, changes, problem):
    async with db.transaction() as uow:
        with pytest.raises(WorkshopRefused, match=problem):
            await create_workshop(
                uow, settings, workshop_fields(clock.now(), **changes), clock.now()
            )


async def test_an_end_before_the_start_is_refused_at_creation_and_edit(db, settings, clock):
    now = clock.now()
    fields = workshop_fields(now)
    async with db.transaction() as uow:
        with pytest.raises(WorkshopRefused, match="ends: must be after starts"):
            await create_workshop(
                uow, settings, workshop_fields(now, ends_at=fields.starts_at), now
            )
    workshop_id = await published_workshop(db, settings, now)
    async with db.transaction() as uow:
        with pytest.raises(WorkshopRefused, match="ends"):
            await edit_workshop(uow, settings, workshop_id, {"ends_at": now}, now)


async def test_a_larger_capacity_promotes_from_the_waitlist(core, db, settings, clock):
    workshop_id = await published_workshop(db, settings, clock.now(), capacity=1)
    await signed_up(core, "one")
    await signed_up(core, "two")
    async with db.transaction() as uow:
        await edit_workshop(uow, settings, workshop_id, {"capacity": 2}, clock.now())
    assert [r.status for r in await registrations(db)] == ["registered", "registered"]
    assert len(await pushes(db, "two", "ws-promoted:")) == 1


async def test_a_moved_or_cancelled_workshop_is_announced_to_everyone_concerned(
    core, db, settings, clock
):
    now = clock.now()
    workshop_id = await published_workshop(db, settings, now, capacity=1)
    await signed_up(core, "seated")
    await signed_up(core, "queued")
    async with db.transaction() as uow:
        await edit_workshop(uow, settings, workshop_id, {"place": "Salle communale"}, now)
        await edit_workshop(uow, settings, workshop_id, {"place": "Salle communale"}, now)
    for chat in ("seated", "queued"):
        [moved] = await pushes(db, chat, "ws-changed:")
        assert "lieu : Salle communale" in moved.payload["text"], "once per change"
    async with db.transaction() as uow:
        assert await cancel_workshop(uow, settings, workshop_id, now) == 2
    for chat in ("seated", "queued"):
        [gone] = await pushes(db, chat, "ws-cancelled:")
        assert "est annulé" in gone.payload["text"]


async def test_attendance_by_code_refuses_another_workshops_code(core, db, settings, clock):
    here = await published_workshop(db, settings, clock.now())
    elsewhere = await published_workshop(db, settings, clock.now())
    citizen = await signed_up(core, "guest")
    [row] = await registrations(db)
    clock.advance(timedelta(days=2))
    async with db.transaction() as uow:
        assert (
            await mark_attendance(uow, elsewhere, row.code, clock.now())
        ).outcome == "other_workshop"
        assert (await mark_attendance(uow, here, "ZZZZZZ", clock.now())).outcome == "unknown_code"
        assert (
            await mark_attendance(uow, here, row.code.lower(), clock.now())
        ).outcome == "present"
        assert (await mark_attendance(uow, here, row.code, clock.now())).outcome == "already"
    [marked] = await registrations(db)
    assert marked.attended_at is not None
    assert citizen.user_id == "guest"


async def test_the_staff_command_marks_presence_and_does_not_exist_for_citizens(
    core, db, settings, clock
):
    workshop_id = await published_workshop(db, settings, clock.now())
    await signed_up(core, "visitor")
    [row] = await registrations(db)
    [unknown] = await (await consenting(core, "nosy")).command(
        "workshop", f"{workshop_id} present {row.code}"
    )
    assert "commande" in unknown.text.lower()
    async with db.transaction() as uow:
        await uow.staff.save("test", "agent-1", "Agent", "agent", clock.now())
    staff = Citizen(core, "agent-1")
    [listing] = await staff.command("workshop")
    assert f"#{workshop_id} {TITLE}" in listing.text and "1/2 inscrits" in listing.text
    clock.advance(timedelta(days=2))
    [present] = await staff.command("workshop", f"{workshop_id} present {row.code}")
    assert present.text == f"✅ {row.code} : présence enregistrée."
    [wrong] = await staff.command("workshop", f"{workshop_id} present ABCDEF")
    assert wrong.text.startswith("⚠️ Aucun code ABCDEF")


async def test_my_data_shows_the_sign_ups_and_erasure_removes_them(core, db, settings, clock):
    await published_workshop(db, settings, clock.now())
    citizen = await signed_up(core, "erasing")
    [row] = await registrations(db)
    await citizen.command("menu")
    [mine] = await citizen.presses("🔒")
    assert "• Ateliers : 1" in mine.text and row.code in mine.text
    await citizen.presses("🗑️")
    await citizen.presses("Oui")
    assert await registrations(db) == []


async def test_publishing_announces_to_the_audience_once_with_a_sign_up_button(
    core, db, settings, clock
):
    now = clock.now()
    for user_id, gender in (("woman", "female"), ("man", "male"), ("unsaid", None)):
        await consenting(core, user_id)
        async with db.transaction() as uow:
            (await uow.citizens.find("test", user_id)).gender = gender
    async with db.transaction() as uow:
        workshop = await create_workshop(uow, settings, workshop_fields(now, audience="women"), now)
        first = await publish_workshop(uow, settings, workshop.id, now, announce=True)
        again = await publish_workshop(uow, settings, workshop.id, now, announce=True)
    assert (first.announced, again.announced) == (1, 0)
    [announcement] = await pushes(db, "woman", "broadcast:")
    assert announcement.payload["text"].startswith(f"🗓️ Nouvel atelier : {TITLE}")
    [[button]] = announcement.payload["buttons"]
    assert (button["id"], button["label"]) == (f"w.join.{workshop.id}", "✍️ M'inscrire")
    assert await pushes(db, "man", "broadcast:") == await pushes(db, "unsaid", "broadcast:") == []


async def test_admins_publish_and_cancel_from_the_staff_chat_agents_may_not(
    core, db, settings, clock
):
    now = clock.now()
    async with db.transaction() as uow:
        draft = await create_workshop(uow, settings, workshop_fields(now), now)
        await uow.staff.save("test", "agent-2", "Agent", "agent", now)
        await uow.staff.save("test", "admin-2", "Admin", "admin", now)
    [refused] = await Citizen(core, "agent-2").command("workshop", f"{draft.id} publish")
    assert refused.text == "Cette action est réservée au personnel de la commune."
    admin = Citizen(core, "admin-2")
    [published] = await admin.command("workshop", f"{draft.id} publish")
    assert published.text == f"Atelier n° {draft.id} publié ; 0 annonce(s) en file d'envoi."
    [cancelled] = await admin.command("workshop", f"{draft.id} cancel")
    assert cancelled.text.startswith(f"Atelier n° {draft.id} annulé ; 0 personne(s)")
    [again] = await admin.command("workshop", f"{draft.id} publish")
    assert again.text.startswith(f"L'atelier n° {draft.id} est annulé ou déjà commencé")


async def test_the_list_shows_the_citizens_quarter_first_then_the_soonest(
    core, db, settings, clock
):
    now = clock.now()
    for quarter, days, title in (("Assarag", 1, "Bientôt"), ("Talmqalat", 5, "Chez moi"),
                                 ("Medina", 3, "Ensuite")):  # fmt: skip
        texts = {locale: title for locale in ("fr", "ar", "ary", "ary-Latn", "shi")}
        start = now + timedelta(days=days)
        await published_workshop(db, settings, now, quarter=quarter, title=texts,
                                 starts_at=start, ends_at=start + timedelta(hours=1))  # fmt: skip
    citizen = await consenting(core, "talmqalat")
    async with db.transaction() as uow:
        (await uow.citizens.find("test", "talmqalat")).quarter = "Talmqalat"
    [listing] = await citizen.presses("🗓️")
    titles = [label.split(" — ")[0] for label in listing.button_labels[:3]]
    assert titles == ["🗣️ Chez moi", "🗣️ Bientôt", "🗣️ Ensuite"]
