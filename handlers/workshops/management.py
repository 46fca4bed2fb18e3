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

from handlers.staff import ADMIN, broadcast_prefix, queue_broadcast
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


@dataclass(frozen=True, slots=True)
class Reason:
    """One problem, as staff read it (a catalog key `workshop.refused.*` and its
    parameters) and in English (the exception's message, for logs)."""

    key: str
    english: str
    params: Mapping[str, object] = field(default_factory=dict)


def reason(name: str, english: str, **params: object) -> Reason:
    return Reason(f"workshop.refused.{name}", english, params)


class WorkshopRefused(ValueError):
    """What staff asked for cannot be done; `reasons` names every problem, `where` the
    file they come from, if any."""

    def __init__(self, *reasons: Reason, where: str | None = None) -> None:
        message = "; ".join(r.english for r in reasons)
        super().__init__(f"{where}: {message}" if where else message)
        self.reasons = reasons
        self.where = where


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
        english = f"{text!r} is not a time such as '2027-01-16 10:00'"
        raise WorkshopRefused(reason("time", english, text=text)) from None
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
        names = ", ".join(sorted(unknown))
        raise WorkshopRefused(reason("unknown_fields", f"unknown fields: {names}", names=names))
    return fields_given


def _one_of(name: str, allowed: tuple[str, ...]) -> Reason:
    choices = ", ".join(allowed)
    return reason("one_of", f"{name}: one of {choices}", field=name, choices=choices)


def _text_problems(values: WorkshopFields) -> list[Reason]:
    problems = []
    for name in ("title", "description"):
        texts = getattr(values, name)
        missing = [locale for locale in TEXT_LOCALES if not str(texts.get(locale, "")).strip()]
        if missing:
            locales = ", ".join(missing)
            english = f"{name}: missing in {locales}"
            problems.append(reason("missing", english, field=name, locales=locales))
        if any(len(str(text)) > 1000 for text in texts.values()):
            english = f"{name}: at most 1000 characters"
            problems.append(reason("too_long", english, field=name, max=1000))
    return problems


def problems_of(values: WorkshopFields, settings: CoreSettings) -> list[Reason]:
    problems = []
    if values.kind not in KINDS:
        problems.append(_one_of("kind", KINDS))
    if values.audience not in AUDIENCES:
        problems.append(_one_of("audience", AUDIENCES))
    problems += _text_problems(values)
    if values.quarter not in settings.commune_quarters:
        problems.append(_one_of("quarter", settings.commune_quarters))
    if not values.place.strip() or len(values.place) > 200:
        problems.append(reason("place", "place: 1 to 200 characters"))
    if values.starts_at is None or values.ends_at is None:
        problems.append(reason("times", "starts and ends: both required"))
    elif values.ends_at <= values.starts_at:
        problems.append(reason("ends", "ends: must be after starts"))
    if not 0 < values.capacity <= MAX_CAPACITY:
        english = f"capacity: a whole number from 1 to {MAX_CAPACITY}"
        problems.append(reason("capacity", english, max=MAX_CAPACITY))
    return problems


def _check(values: WorkshopFields, settings: CoreSettings) -> None:
    problems = problems_of(values, settings)
    if problems:
        raise WorkshopRefused(*problems)


def fields_of(workshop: Workshop) -> WorkshopFields:
    return WorkshopFields(**{f.name: getattr(workshop, f.name) for f in fields(WorkshopFields)})


async def create_workshop(
    uow: UnitOfWork, settings: CoreSettings, values: WorkshopFields, now: datetime
) -> Workshop:
    """A draft workshop (citizens see it once it is published)."""
    _check(values, settings)
    if values.starts_at is not None and values.starts_at <= now:
        raise WorkshopRefused(reason("past", "starts: must be in the future"))
    columns: dict[str, Any] = {f.name: getattr(values, f.name) for f in fields(WorkshopFields)}
    return await uow.workshops.add(
        {**columns, "status": DRAFT, "version": 1, "created_at": now, "updated_at": now}
    )


def unknown_workshop(workshop_id: int) -> Reason:
    return reason("unknown", f"no workshop {workshop_id}", workshop=workshop_id)


async def _get(uow: UnitOfWork, workshop_id: int) -> Workshop:
    workshop = await uow.workshops.lock(workshop_id)
    if workshop is None:
        raise WorkshopRefused(unknown_workshop(workshop_id))
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
        english = "a cancelled or started workshop cannot be edited"
        raise WorkshopRefused(reason("not_editable", english))
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
        english = "a cancelled or past workshop cannot be published"
        raise WorkshopRefused(reason("not_publishable", english))
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
        english = f"workshop {workshop_id} is already cancelled"
        raise WorkshopRefused(reason("already_cancelled", english, workshop=workshop_id))
    if workshop.starts_at <= now:
        english = "a workshop that has started cannot be cancelled"
        raise WorkshopRefused(reason("started", english))
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


# What reaches the public (opening sign-ups, announcing, cancelling) is for admins, in the
# staff chat and in the back-office alike; both roles follow and mark attendance.
ADMIN_ACTIONS = ("publish", "announce", "cancel")


def staff_may_run(action: str, role: str | None) -> bool:
    """Whether a staff member with this role may do this to a workshop."""
    return role is not None and (action not in ADMIN_ACTIONS or role == ADMIN)
