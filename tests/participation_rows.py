"""Rows for the participation report written straight into a test database: citizens with
a profile, consultation responses (named or anonymous), workshops and their registrations.
Complaints come from tests/complaint_rows.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import insert

from storage.database import Database
from storage.models import (
    Citizen,
    ConsultationRecord,
    ConsultationResponse,
    Workshop,
    WorkshopRegistration,
)

_serial = count(1)


async def _insert(db: Database, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    async with db.engine.begin() as connection:
        return list((await connection.execute(insert(model).returning(model.id), rows)).scalars())


def profile(gender: str | None = None, age: str | None = None, quarter: str | None = None):
    return {"gender": gender, "age_bracket": age, "quarter": quarter}


async def add_citizens(db: Database, now: datetime, profiles: list[dict[str, Any]]) -> list[int]:
    """One consenting citizen per profile (see `profile`); their ids, in order."""
    rows = []
    for values in profiles:
        user = f"p-{next(_serial)}"
        rows.append(
            {
                "channel": "test",
                "channel_user_id": user,
                "chat_id": user,
                "language": "fr",
                "script": "Latn",
                "consent_at": now,
                "reachable": True,
                "created_at": now,
                "last_seen_at": now,
                **values,
            }
        )
    return await _insert(db, Citizen, rows)


async def add_consultation(db: Database, now: datetime) -> int:
    key = f"consultation-{next(_serial)}"
    row = {"key": key, "definition": {"key": key}, "status": "open"}
    [consultation_id] = await _insert(db, ConsultationRecord, [row | stamped(now)])
    return consultation_id


def stamped(now: datetime) -> dict[str, datetime]:
    return {"created_at": now, "updated_at": now}


async def add_responses(
    db: Database, consultation_id: int, submitted_at: datetime, citizens: list[int | None], **copied
) -> None:
    """A response per citizen id submitted at `submitted_at`; None is an anonymous one,
    carrying `copied` (quarter, gender, age_bracket) as its own profile."""
    rows = [
        {
            "consultation_id": consultation_id,
            "citizen_id": citizen_id,
            "dedupe_token": f"token-{next(_serial)}",
            "started_at": submitted_at - timedelta(minutes=4),
            "submitted_at": submitted_at,
            "locale": "fr",
            "language": "fr",
            **copied,
        }
        for citizen_id in citizens
    ]
    await _insert(db, ConsultationResponse, rows)


async def add_workshop(
    db: Database, starts_at: datetime, *, status: str = "published", quarter: str = "Medina"
) -> int:
    """A two-hour workshop starting at `starts_at`."""
    row = {
        "kind": "workshop",
        "title": {"fr": "Atelier"},
        "description": {"fr": "Un atelier"},
        "quarter": quarter,
        "place": "Maison de quartier",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "capacity": 30,
        "status": status,
    }
    [workshop_id] = await _insert(db, Workshop, [row | stamped(starts_at - timedelta(days=9))])
    return workshop_id


async def add_registrations(
    db: Database,
    workshop_id: int,
    citizens: list[int],
    *,
    status: str = "registered",
    attended_at: datetime | None = None,
) -> None:
    queued = datetime.fromisoformat("2025-12-01T10:00:00+00:00")
    rows = [
        {
            "workshop_id": workshop_id,
            "citizen_id": citizen_id,
            "status": status,
            "code": f"C{next(_serial):06d}",
            "queued_at": queued,
            "attended_at": attended_at,
            "created_at": queued,
        }
        for citizen_id in citizens
    ]
    await _insert(db, WorkshopRegistration, rows)
