"""The personal-data registry: a capability that registers what it keeps appears in My
data and is erased with the citizen, without an edit to My data; and each capability's
eraser removes its own rows of that citizen only (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from handlers.personal_data import (
    PERSONAL_DATA,
    PersonalData,
    erase_personal_data,
    register_personal_data,
)
from storage.models import (
    Citizen,
    Complaint,
    ComplaintEvent,
    ConsultationAnswer,
    ConsultationRecord,
    ConsultationResponse,
    SentPoll,
)
from tests.complaint_rows import add_complaints, complaint_values
from tests.dialogue import Citizen as ScriptedCitizen

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def notebook():
    """A capability of the test's own, registered the way a real one registers."""
    erased: list[int] = []

    async def describe(turn, citizen) -> list[str]:
        return [f"• Carnet : 3 notes de {citizen.channel_user_id}"]

    async def erase(uow, citizen_id: int) -> None:
        erased.append(citizen_id)

    register_personal_data(PersonalData("notebook", describe, erase, order=99))
    yield erased
    del PERSONAL_DATA["notebook"]


async def test_a_registered_capability_is_shown_and_erased_without_editing_my_data(
    core, db, notebook
):
    citizen = ScriptedCitizen(core, "u1")
    await citizen.says("Bonjour")
    await citizen.presses("Français")
    await citizen.presses("✅")
    async with db.transaction() as uow:
        citizen_id = (await uow.citizens.find("test", "u1")).id
    await citizen.presses("🔒")
    assert "• Carnet : 3 notes de u1" in citizen.last_text
    await citizen.presses("🗑️")
    await citizen.presses("Oui")
    assert notebook == [citizen_id]


def test_every_capability_that_keeps_data_is_registered():
    assert {"complaints", "consultations"} <= set(PERSONAL_DATA)


async def _citizen(db, user_id: str) -> int:
    values = {
        "channel": "test",
        "channel_user_id": user_id,
        "chat_id": user_id,
        "language": "fr",
        "script": "Latn",
        "consent_at": NOW,
        "reachable": True,
        "created_at": NOW,
        "last_seen_at": NOW,
    }
    async with db.engine.begin() as connection:
        return (await connection.execute(insert(Citizen).returning(Citizen.id), values)).scalar()


async def _kept_about(db, citizen_id: int, consultation_id: int) -> None:
    """A complaint with its history, a response with an answer and a sent poll."""
    [complaint_id] = await add_complaints(db, [complaint_values(citizen_id, NOW)])
    response: dict[str, Any] = {
        "consultation_id": consultation_id,
        "citizen_id": citizen_id,
        "dedupe_token": f"token-{citizen_id}",
        "started_at": NOW - timedelta(minutes=5),
        "submitted_at": NOW,
        "locale": "fr",
        "language": "fr",
    }
    async with db.engine.begin() as connection:
        await connection.execute(
            insert(ComplaintEvent),
            {"complaint_id": complaint_id, "at": NOW, "actor": "citizen", "to_status": "received"},
        )
        response_id = (
            await connection.execute(
                insert(ConsultationResponse).returning(ConsultationResponse.id), response
            )
        ).scalar()
        await connection.execute(
            insert(ConsultationAnswer),
            {"response_id": response_id, "question_key": "q1", "text_value": "oui"},
        )
        await connection.execute(
            insert(SentPoll),
            {
                "channel": "test",
                "poll_ref": f"poll-{citizen_id}",
                "consultation_id": consultation_id,
                "citizen_id": citizen_id,
                "chat_id": str(citizen_id),
                "message_ref": "1",
                "sent_at": NOW,
            },
        )


async def _counts(db) -> dict[str, int]:
    tables = (Complaint, ComplaintEvent, ConsultationResponse, ConsultationAnswer, SentPoll)
    async with db.engine.connect() as connection:
        return {
            table.__tablename__: (
                await connection.execute(select(func.count()).select_from(table))
            ).scalar()
            for table in tables
        }


async def test_each_capability_erases_its_own_rows_of_that_citizen_only(db):
    async with db.engine.begin() as connection:
        consultation_id = (
            await connection.execute(
                insert(ConsultationRecord).returning(ConsultationRecord.id),
                {
                    "key": "poll",
                    "definition": {},
                    "status": "open",
                    "created_at": NOW,
                    "updated_at": NOW,
                },
            )
        ).scalar()
    leaving, staying = await _citizen(db, "leaving"), await _citizen(db, "staying")
    await _kept_about(db, leaving, consultation_id)
    await _kept_about(db, staying, consultation_id)

    async with db.transaction() as uow:
        await erase_personal_data(uow, leaving)

    # The citizen's own row is still there: only the capabilities' erasers ran, so
    # nothing here relies on the cascade from the citizen's row.
    async with db.transaction() as uow:
        assert await uow.citizens.get(leaving) is not None
        assert await uow.complaints.count_of_citizen(leaving) == 0
        assert await uow.consultations.count_of_citizen(leaving) == 0
        assert await uow.complaints.count_of_citizen(staying) == 1
        assert await uow.consultations.count_of_citizen(staying) == 1
    assert await _counts(db) == {
        "complaints": 1,
        "complaint_events": 1,
        "consultation_responses": 1,
        "consultation_answers": 1,
        "sent_polls": 1,
    }
