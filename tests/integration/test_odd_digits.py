"""Odd digits never crash a step (issue: `²` and 20-digit ids): forged buttons are stale
buttons, typed ones are wrong answers, and Arabic-Indic digits are the digits they are —
on SQLite and PostgreSQL, with nothing logged as a failure."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.types import ButtonPress
from storage.models import ConsultationAnswer
from tests.consultations import open_consultation, quick_poll_document, small_document
from tests.dialogue import consenting, failed_updates

HUGE = "9" * 20
FORGED = [
    "v.open.²",
    f"v.open.{HUGE}",
    "p.².0",
    "p.1.²",
    f"p.{HUGE}.0",
    "r.rate.².5",
    "r.rate.1.²",
    f"r.reopen.{HUGE}",
    "s.cst.².acknowledged",
    f"s.cst.{HUGE}.acknowledged",
]


@pytest.mark.parametrize("button_id", FORGED)
async def test_a_forged_button_with_odd_digits_is_answered_not_crashed(core, db, clock, button_id):
    await open_consultation(db, quick_poll_document(), clock.now())
    async with db.transaction() as uow:
        await uow.staff.save("test", "agent", "Agent", "admin", clock.now())
    for user in ("citizen", "agent"):
        person = await consenting(core, user)
        [*_, reply] = await person.send_payload(ButtonPress(button_id))
        assert not reply.text.startswith("Un problème technique"), reply.text
    assert await failed_updates(db, clock.now()) == 0


async def test_a_rating_typed_with_odd_digits(core, db, clock):
    await open_consultation(db, small_document(), clock.now())
    citizen = await consenting(core, "rater")
    await citizen.presses("🗳️ Consultations")
    await citizen.presses("🗳️ Petite")
    await citizen.presses("▶️")
    await citizen.presses("Non")
    await citizen.says("²")
    assert "Donnez une note de 1 à 5." in citizen.last_text
    await citizen.says("٤")
    await citizen.presses("📨")
    async with db.engine.connect() as connection:
        statement = select(ConsultationAnswer.number_value).where(
            ConsultationAnswer.question_key == "score"
        )
        assert (await connection.execute(statement)).scalar() == 4
    assert await failed_updates(db, clock.now()) == 0


async def test_a_tracking_number_typed_in_arabic_indic_digits(core, db, clock):
    citizen = await consenting(core, "reader")
    await citizen.says("TRD-٢٦-7K3QX")
    assert "TRD-26-7K3QX" in citizen.last_text
