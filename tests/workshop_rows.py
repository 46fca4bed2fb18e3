"""Workshops for tests: a valid set of fields, created and published through the use
cases, and the outbox rows a workshop queued."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.turns import CoreSettings
from handlers.workshops import (
    TEXT_LOCALES,
    WorkshopFields,
    create_workshop,
    fields_from_document,
    publish_workshop,
    register_for_workshop,
)
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


SAMPLES = Path(__file__).resolve().parents[1] / "handlers" / "workshops" / "samples"


async def open_workshops_for_transcript(
    core: Any, specs: list[dict[str, Any]], now: datetime
) -> None:
    """Publish the sample workshops a transcript's `workshops:` lists, each starting
    `starts_in_days` after `now` with `capacity` seats, `seats_taken` of them by others."""
    core.clock.advance(now - core.clock.now())
    for number, spec in enumerate(specs):
        document = yaml.safe_load((SAMPLES / spec["file"]).read_text(encoding="utf-8"))
        starts = now + timedelta(days=spec.get("starts_in_days", 3))
        values = WorkshopFields(**fields_from_document(document, core.settings.timezone))
        values = replace(
            values,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=spec.get("capacity", values.capacity),
        )
        async with core.db.transaction() as uow:
            workshop = await create_workshop(uow, core.settings, values, now)
            await publish_workshop(uow, core.settings, workshop.id, now, announce=False)
            for seat in range(spec.get("seats_taken", 0)):
                citizen_id = await uow.citizens.register(
                    {"channel": "test", "channel_user_id": f"neighbour-{number}-{seat}",
                     "chat_id": f"neighbour-{number}-{seat}", "language": "fr", "script": "Latn",
                     "consent_at": now, "created_at": now, "last_seen_at": now}
                )  # fmt: skip
                citizen = await uow.citizens.get(citizen_id)
                await register_for_workshop(uow, core.settings, workshop.id, citizen, now)
