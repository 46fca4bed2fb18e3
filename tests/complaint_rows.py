"""Complaint rows written straight into a test database (no conversation needed): a
citizen, then complaints with the deadlines of the commune's rules unless told otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import insert, select

from storage.database import Database
from storage.models import Citizen, Complaint

_numbers = count(1)


async def add_citizen(db: Database, now: datetime) -> int:
    async with db.engine.begin() as connection:
        existing = (await connection.execute(select(Citizen.id).limit(1))).scalar()
        if existing is not None:
            return existing
        result = await connection.execute(
            insert(Citizen).returning(Citizen.id),
            {
                "channel": "test",
                "channel_user_id": "citizen-1",
                "chat_id": "citizen-1",
                "language": "fr",
                "script": "Latn",
                "consent_at": now,
                "reachable": True,
                "created_at": now,
                "last_seen_at": now,
            },
        )
        return result.scalar_one()


def complaint_values(citizen_id: int, filed_at: datetime, **overrides: Any) -> dict[str, Any]:
    """A complaint filed at `filed_at`, still `received`, due in 15 and 60 days."""
    values: dict[str, Any] = {
        "tracking_number": f"TRD-26-T{next(_numbers):04d}",
        "citizen_id": citizen_id,
        "kind": "complaint",
        "category": "roads",
        "description": "Un nid-de-poule devant l'école",
        "quarter": "Derb Jdid",
        "status": "received",
        "filed_at": filed_at,
        "acknowledge_by": filed_at + timedelta(days=15),
        "answer_by": filed_at + timedelta(days=60),
        "acknowledged_at": None,
        "resolved_at": None,
        "closed_at": None,
        "rating": None,
        "locale": "fr",
    }
    values.update(overrides)
    return values


async def add_complaints(db: Database, rows: list[dict[str, Any]]) -> list[int]:
    """Insert complaint rows (see `complaint_values`); their ids, in order."""
    async with db.engine.begin() as connection:
        result = await connection.execute(insert(Complaint).returning(Complaint.id), rows)
        return list(result.scalars())


async def add_complaint(db: Database, filed_at: datetime, **overrides: Any) -> tuple[int, str]:
    """One complaint: (id, tracking number)."""
    citizen_id = await add_citizen(db, filed_at)
    values = complaint_values(citizen_id, filed_at, **overrides)
    [complaint_id] = await add_complaints(db, [values])
    return complaint_id, values["tracking_number"]


async def set_fields(db: Database, complaint_id: int, **values: Any) -> None:
    """Change a complaint as a status change would (status, timestamps)."""
    async with db.engine.begin() as connection:
        await connection.execute(
            Complaint.__table__.update().where(Complaint.id == complaint_id).values(**values)
        )
