"""Staff use cases — create, edit, publish, cancel — shared by the CLI and the staff chat.
A workshop is checked as a whole (every problem named at once); a change of time or place
of a published workshop, or its cancellation, is pushed to everyone signed up or
waitlisted, once per change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.staff import broadcast_prefix, queue_broadcast
from handlers.turns import CoreSettings
from handlers.workshops.notices import announcement, queue_to_everyone_concerned
from handlers.workshops.seats import fill_free_seats, reminder_prefix
from storage.models import Workshop
from storage.repositories.workshops import CANCELLED, DRAFT, PUBLISHED
from storage.unit_of_work import UnitOfWork

KINDS = ("workshop", "training", "meeting")
AUDIENCES = ("everyone", "women", "youth", "traders")
TEXT_LOCALES = ("fr", "ar", "ary", "ary-Latn", "shi")  # every language citizens read
# Whom an announcement reaches, by audience (traders are not a profile field: everyone).
AUDIENCE_SEGMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "women": {"genders": ("female",)},
    "youth": {"age_brackets": ("under-18", "18-29")},
}
MAX_CAPACITY = 10_000


def announcement_name(workshop_id: int) -> str:
    """The broadcast name of a workshop's announcement (in its rows' dedupe keys)."""
    return f"workshop-{workshop_id}"


class WorkshopRefused(ValueError):
    """What staff asked for cannot be done; the message names every problem."""


@dataclass(frozen=True, slots=True)
class WorkshopFields:
    kind: str = "workshop"
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    quarter: str = ""
    place: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    capacity: int = 0
    audience: str = "everyone"


def local_moment(text: str, timezone: str) -> datetime:
    """A time staff typed, `YYYY-MM-DD HH:MM` in the commune's zone."""
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise WorkshopRefused(f"{text!r} is not a time such as '2027-01-16 10:00'") from None
    return moment.replace(tzinfo=ZoneInfo(timezone))


def fields_from_document(document: Mapping[str, Any], timezone: str) -> dict[str, Any]:
    """The fields a workshop file gives (see handlers/workshops/samples/): `starts` and
    `ends` are local times; any other name must be a field of `WorkshopFields`."""
    fields_given = dict(document)
    for name in ("starts", "ends"):
        if name in fields_given:
            fields_given[f"{name}_at"] = local_moment(str(fields_given.pop(name)), timezone)
    unknown = set(fields_given) - set(WorkshopFields.__dataclass_fields__)
    if unknown:
        raise WorkshopRefused(f"unknown fields: {', '.join(sorted(unknown))}")
    return fields_given


def problems_of(values: WorkshopFields, settings: CoreSettings) -> list[str]:
    problems = []
    if values.kind not in KINDS:
        problems.append(f"kind: one of {', '.join(KINDS)}")
    if values.audience not in AUDIENCES:
        problems.append(f"audience: one of {', '.join(AUDIENCES)}")
    for name in ("title", "description"):
        texts = getattr(values, name)
        missing = [locale for locale in TEXT_LOCALES if not str(texts.get(locale, "")).strip()]
        if missing:
            problems.append(f"{name}: missing in {', '.join(missing)}")
        if any(len(str(text)) > 1000 for text in texts.values()):
            problems.append(f"{name}: at most 1000 characters")
    if values.quarter not in settings.commune_quarters:
        problems.append(f"quarter: one of {', '.join(settings.commune_quarters)}")
    if not values.place.strip() or len(values.place) > 200:
        problems.append("place: 1 to 200 characters")
    if values.starts_at is None or values.ends_at is None:
        problems.append("starts and ends: both required")
    elif values.ends_at <= values.starts_at:
        problems.append("ends: must be after starts")
    if not 0 < values.capacity <= MAX_CAPACITY:
        problems.append(f"capacity: a whole number from 1 to {MAX_CAPACITY}")
    return problems


def _check(values: WorkshopFields, settings: CoreSettings) -> None:
    problems = problems_of(values, settings)
    if problems:
        raise WorkshopRefused("; ".join(problems))


def fields_of(workshop: Workshop) -> WorkshopFields:
    return WorkshopFields(**{f.name: getattr(workshop, f.name) for f in fields(WorkshopFields)})


async def create_workshop(
    uow: UnitOfWork, settings: CoreSettings, values: WorkshopFields, now: datetime
) -> Workshop:
    """A draft workshop (citizens see it once it is published)."""
    _check(values, settings)
    if values.starts_at is not None and values.starts_at <= now:
        raise WorkshopRefused("starts: must be in the future")
    columns: dict[str, Any] = {f.name: getattr(values, f.name) for f in fields(WorkshopFields)}
    return await uow.workshops.add(
        {**columns, "status": DRAFT, "version": 1, "created_at": now, "updated_at": now}
    )


async def _get(uow: UnitOfWork, workshop_id: int) -> Workshop:
    workshop = await uow.workshops.lock(workshop_id)
    if workshop is None:
        raise WorkshopRefused(f"no workshop {workshop_id}")
    return workshop


async def edit_workshop(
    uow: UnitOfWork,
    settings: CoreSettings,
    workshop_id: int,
    changes: dict[str, Any],
    now: datetime,
) -> Workshop:
    """Change a workshop; those concerned are told when its time or place moves, and a
    larger capacity promotes from the waitlist."""
    workshop = await _get(uow, workshop_id)
    if workshop.status == CANCELLED or workshop.starts_at <= now:
        raise WorkshopRefused("a cancelled or started workshop cannot be edited")
    before = fields_of(workshop)
    after = replace(before, **changes)
    _check(after, settings)
    moved = (before.starts_at, before.ends_at, before.place, before.quarter) != (
        after.starts_at, after.ends_at, after.place, after.quarter,
    )  # fmt: skip
    for name in changes:
        setattr(workshop, name, getattr(after, name))
    workshop.updated_at = now
    if workshop.status == PUBLISHED and moved:
        workshop.version += 1
        await uow.outbox.cancel(reminder_prefix(workshop.id), prefix=True)
        key = f"ws-changed:{workshop.id}:{workshop.version}"
        await queue_to_everyone_concerned(uow, settings, workshop, "workshop.changed", key, now)
    if workshop.status == PUBLISHED:
        await fill_free_seats(uow, settings, workshop, now)
    return workshop


@dataclass(frozen=True, slots=True)
class Published:
    workshop: Workshop
    announced: int  # announcements queued now


async def publish_workshop(
    uow: UnitOfWork, settings: CoreSettings, workshop_id: int, now: datetime, *, announce: bool
) -> Published:
    """Open sign-ups; with `announce`, tell the workshop's audience (once per citizen)."""
    workshop = await _get(uow, workshop_id)
    if workshop.status == CANCELLED or workshop.starts_at <= now:
        raise WorkshopRefused("a cancelled or past workshop cannot be published")
    workshop.status, workshop.updated_at = PUBLISHED, now
    announced = 0
    if announce:
        segment = AUDIENCE_SEGMENTS.get(workshop.audience, {})
        citizens = await uow.consultations.citizens_in_segment(**segment)
        announced = await queue_broadcast(
            uow, citizens, announcement_name(workshop.id),
            lambda citizen: announcement(citizen, workshop, settings), now,
        )  # fmt: skip
    return Published(workshop, announced)


async def cancel_workshop(
    uow: UnitOfWork, settings: CoreSettings, workshop_id: int, now: datetime
) -> int:
    """Cancel a workshop: pending reminders withdrawn, everyone concerned told. How many
    notices were queued."""
    workshop = await _get(uow, workshop_id)
    if workshop.status == CANCELLED:
        raise WorkshopRefused(f"workshop {workshop_id} is already cancelled")
    if workshop.starts_at <= now:
        raise WorkshopRefused("a workshop that has started cannot be cancelled")
    was_published = workshop.status == PUBLISHED
    workshop.status, workshop.updated_at = CANCELLED, now
    await uow.outbox.cancel(reminder_prefix(workshop.id), prefix=True)
    await uow.outbox.cancel(broadcast_prefix(announcement_name(workshop.id)), prefix=True)
    if not was_published:
        return 0
    key = f"ws-cancelled:{workshop.id}"
    return await queue_to_everyone_concerned(
        uow, settings, workshop, "workshop.cancelled", key, now
    )
