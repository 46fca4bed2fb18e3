"""Values a channel hands in are checked at the core's door, on SQLite and PostgreSQL: a
place off the map, a file of impossible size, a NUL byte or hundreds of digits are
answered in the citizen's language, never a crashed (or unrecorded) update."""

from __future__ import annotations

import math

import pytest

from handlers.boundary import InvalidIncoming
from handlers.types import Incoming, Location, Media, Text
from storage.models import Complaint
from tests.consultations import open_consultation, small_document
from tests.dialogue import Citizen, consenting, failed_updates

CANNOT_READ = "Je ne peux pas lire ce type de message ici."
BAD_PLACES = [
    Location(math.nan, math.nan),
    Location(math.inf, 0.0),
    Location(0.0, -math.inf),
    Location(91.0, 0.0),
    Location(0.0, 181.0),
]
BAD_FILES = [
    Media("photo", "AgAD", "image/jpeg", -(2**70)),
    Media("photo", "AgAD", "image/jpeg", 2**70),
    Media("document", "x" * 300),
    Media("document", ""),
    Media("document", "Ag\x00AD"),
]


@pytest.mark.parametrize("place", BAD_PLACES, ids=repr)
async def test_a_place_off_the_map_is_answered(core, db, clock, place):
    newcomer = Citizen(core, "newcomer")
    [greeting, *_] = await newcomer.send_payload(place)
    assert "bienvenue" in greeting.text
    citizen = await consenting(core, "filer")
    await citizen.presses("📝")
    await citizen.presses("✍️")
    await citizen.presses("📣")
    await citizen.presses("💡")
    await citizen.says("Le lampadaire de la place est éteint depuis une semaine.")
    [refused, *_] = await citizen.send_payload(place)
    assert refused.text.startswith(CANNOT_READ)
    assert "Où est-ce ?" in citizen.last_text
    assert await failed_updates(db, clock.now()) == 0


async def test_files_of_impossible_size_or_name_are_answered_and_filing_still_works(
    core, db, clock
):
    citizen = await consenting(core, "attacher")
    await citizen.presses("📝")
    await citizen.presses("✍️")
    await citizen.presses("📣")
    await citizen.presses("💡")
    await citizen.says("Le lampadaire de la place est éteint depuis une semaine.")
    await citizen.presses("Medina")
    for bad in BAD_FILES:
        [refused, *_] = await citizen.send_payload(bad)
        assert refused.text.startswith(CANNOT_READ), bad
    await citizen.send_payload(Media("document", "AgADdoc", "application/pdf", 1000, "p\x00.pdf"))
    [filed, _menu] = await citizen.presses("✅ Envoyer")
    assert "TRD-" in filed.text
    async with db.transaction() as uow:
        citizen_row = await uow.citizens.find("test", "attacher")
        [complaint] = await uow.complaints.of_citizen(citizen_row.id)
    assert isinstance(complaint, Complaint) and complaint.attachment_name == "p.pdf"
    assert await failed_updates(db, clock.now()) == 0


async def test_nul_bytes_and_hundreds_of_digits_are_answered(core, db, clock):
    document = small_document(
        questions=[{"key": "count", "type": "number", "label": {"fr": "Combien ?"}}]
    )
    await open_consultation(db, document, clock.now())
    citizen = await consenting(core, "typist")
    await citizen.says("Bon\x00jour")
    await citizen.presses("🗳️ Consultations")
    await citizen.presses("🗳️ Petite")
    await citizen.presses("▶️")
    await citizen.says("9" * 400)
    assert "J'attends un nombre" in citizen.last_text
    await citizen.says("12")
    assert citizen.last_text.startswith("Vérifiez vos réponses")
    assert await failed_updates(db, clock.now()) == 0


@pytest.mark.parametrize("field", ["user_id", "chat_id", "update_id"])
async def test_an_identity_no_person_can_have_is_refused_before_anything_is_stored(core, db, field):
    values = {"user_id": "u1", "chat_id": "u1", "update_id": "1"} | {field: "x" * 65}
    with pytest.raises(InvalidIncoming):
        await core.receive(Incoming(channel="test", payload=Text("salam"), **values))
    with pytest.raises(InvalidIncoming):
        await core.store([Incoming(channel="test", payload=Text("salam"), **values)])
