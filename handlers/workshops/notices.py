"""What workshops push to citizens through the outbox, each in the citizen's language and
queued once (its dedupe key): the announcement with a Sign up button, a promotion from
the waitlist with a Decline button, a change of time or place, a cancellation, the
reminders and, after the workshop, the one-question feedback.

Buttons on these pushes are not tied to a conversation step (`w.join.<workshop>`,
`w.decline.<registration>`, `w.rate.<registration>.<1-5>`): the workshop browsing flow
checks each against the database when it is pressed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from handlers.languages import citizen_locale, is_rtl, translate
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings
from handlers.types import Button, Outgoing
from handlers.workshops.views import text_in, when_text
from storage.models import Citizen, Workshop, WorkshopRegistration
from storage.unit_of_work import UnitOfWork

JOIN_PREFIX, DECLINE_PREFIX, RATE_PREFIX = "w.join.", "w.decline.", "w.rate."
KIND = "workshop"
RATINGS = (1, 2, 3, 4, 5)


def _params(workshop: Workshop, locale: str, settings: CoreSettings) -> dict[str, str]:
    return {
        "title": text_in(workshop.title, locale),
        "when": when_text(workshop, settings.timezone),
        "place": workshop.place,
    }


async def _queue(
    uow: UnitOfWork,
    citizen: Citizen,
    message: Outgoing,
    now: datetime,
    dedupe_key: str,
    due_at: datetime | None = None,
) -> bool:
    queued = await uow.outbox.add(
        channel=citizen.channel,
        chat_id=citizen.chat_id,
        kind=KIND,
        payload=outgoing_to_dict(message),
        now=now,
        due_at=due_at,
        citizen_id=citizen.id,
        dedupe_key=dedupe_key,
    )
    return bool(queued)


def notice(
    citizen: Citizen,
    key: str,
    workshop: Workshop,
    settings: CoreSettings,
    buttons: tuple[tuple[Button, ...], ...] = (),
    **extra: object,
) -> Outgoing:
    locale = citizen_locale(citizen)
    text = translate(locale, key, **_params(workshop, locale, settings), **extra)
    return Outgoing(citizen.chat_id, text, buttons, rtl=is_rtl(locale))


def announcement(citizen: Citizen, workshop: Workshop, settings: CoreSettings) -> Outgoing:
    """A published workshop announced to one citizen, with a Sign up button."""
    locale = citizen_locale(citizen)
    button = Button(f"{JOIN_PREFIX}{workshop.id}", translate(locale, "workshop.sign_up"))
    return notice(citizen, "workshop.announcement", workshop, settings, ((button,),))


async def _queue_to_holders(
    uow: UnitOfWork,
    registrations: Sequence[WorkshopRegistration],
    build: Callable[[Citizen, WorkshopRegistration], Outgoing],
    dedupe_key: Callable[[WorkshopRegistration], str],
    now: datetime,
) -> list[WorkshopRegistration]:
    """Queue `build(citizen, registration)` to the holder of each registration (their
    citizens read in one query); the registrations whose message was new."""
    holders = await uow.citizens.by_ids([r.citizen_id for r in registrations])
    citizens = {citizen.id: citizen for citizen in holders}
    queued = []
    for registration in registrations:
        citizen = citizens.get(registration.citizen_id)
        if citizen is None:  # erased meanwhile
            continue
        message = build(citizen, registration)
        if await _queue(uow, citizen, message, now, dedupe_key(registration)):
            queued.append(registration)
    return queued


async def queue_promotion_notice(
    uow: UnitOfWork,
    settings: CoreSettings,
    workshop: Workshop,
    registration: WorkshopRegistration,
    now: datetime,
) -> None:
    def promoted(citizen: Citizen, registration: WorkshopRegistration) -> Outgoing:
        label = translate(citizen_locale(citizen), "workshop.decline")
        decline = Button(f"{DECLINE_PREFIX}{registration.id}", label)
        return notice(
            citizen, "workshop.promoted", workshop, settings, ((decline,),), code=registration.code
        )

    stamp = int(now.timestamp())
    await _queue_to_holders(
        uow, [registration], promoted, lambda r: f"ws-promoted:{r.id}:{stamp}", now
    )


async def queue_to_everyone_concerned(
    uow: UnitOfWork,
    settings: CoreSettings,
    workshop: Workshop,
    key: str,
    dedupe: str,
    now: datetime,
) -> int:
    """A notice (change, cancellation) to every registered and waitlisted citizen."""
    queued = await _queue_to_holders(
        uow,
        await uow.workshops.registrations(workshop.id),
        lambda citizen, _: notice(citizen, key, workshop, settings),
        lambda registration: f"{dedupe}:{registration.id}",
        now,
    )
    return len(queued)


async def queue_reminders(
    uow: UnitOfWork,
    settings: CoreSettings,
    workshop: Workshop,
    registrations: Sequence[WorkshopRegistration],
    dedupe_key: Callable[[WorkshopRegistration], str],
    now: datetime,
) -> list[WorkshopRegistration]:
    """The reminder, with the door code, to each registration's holder."""

    def reminder(citizen: Citizen, registration: WorkshopRegistration) -> Outgoing:
        return notice(citizen, "workshop.reminder", workshop, settings, code=registration.code)

    return await _queue_to_holders(uow, registrations, reminder, dedupe_key, now)


async def queue_feedback(
    uow: UnitOfWork,
    settings: CoreSettings,
    workshop: Workshop,
    registrations: Sequence[WorkshopRegistration],
    now: datetime,
) -> int:
    """The one-question feedback to attendees: a rating from 1 to 5."""

    def question(citizen: Citizen, registration: WorkshopRegistration) -> Outgoing:
        row = tuple(Button(f"{RATE_PREFIX}{registration.id}.{n}", "⭐" * n) for n in RATINGS)
        return notice(citizen, "workshop.feedback", workshop, settings, (row[:3], row[3:]))

    asked = await _queue_to_holders(
        uow, registrations, question, lambda r: f"ws-feedback:{r.id}", now
    )
    return len(asked)
