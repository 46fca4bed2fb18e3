"""Workshops for tests: a valid set of fields, created and published through the use
cases, and the outbox rows a workshop queued."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.turns import CoreSettings
from handlers.workshops import TEXT_LOCALES, WorkshopFields, create_workshop, publish_workshop
from storage.database import Database
from storage.models import OutboxMessage

TITLE = "Atelier du quartier"


def workshop_fields(now: datetime, **changes: Any) -> WorkshopFields:
    """A workshop in Talmqalat two days after `now`, two hours long, 2 seats."""
    values = WorkshopFields(
        kind="workshop",
        title={locale: TITLE for locale in TEXT_LOCALES} | {"ary": "ورشة الحومة"},
        description={locale: "Choisir ensemble les projets." for locale in TEXT_LOCALES},
        quarter="Talmqalat",
        place="Maison de quartier",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        capacity=2,
        audience="everyone",
    )
    return replace(values, **changes)


async def published_workshop(
    db: Database, settings: CoreSettings, now: datetime, **changes: Any
) -> int:
    async with db.transaction() as uow:
        workshop = await create_workshop(uow, settings, workshop_fields(now, **changes), now)
        await publish_workshop(uow, settings, workshop.id, now, announce=False)
        return workshop.id


async def pushes(db: Database, chat_id: str, prefix: str = "") -> list[OutboxMessage]:
    """The outbox rows for a chat (whose dedupe key starts with `prefix`), oldest first."""
    statement = (
        select(OutboxMessage).where(OutboxMessage.chat_id == chat_id).order_by(OutboxMessage.id)
    )
    async with AsyncSession(db.engine) as session:
        rows = list((await session.execute(statement)).scalars())
    return [row for row in rows if (row.dedupe_key or "").startswith(prefix)]
