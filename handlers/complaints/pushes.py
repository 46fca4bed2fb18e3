"""The message a citizen receives when their complaint changes status: queued in the outbox
in the transaction of the change, in the language they filed in, with the rating and
reopening buttons once it is resolved.

Those buttons live on a push, not on a conversation step, so they are `r.<action>.<id>…`
ids (like staff actions) that `handlers.complaints.follow_ups` checks against the complaint
itself: its author, its status, the reopening window.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from handlers.complaints.views import local_date, status_label
from handlers.languages import is_rtl, translate
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings
from handlers.types import Button, Outgoing
from storage.models import Complaint, ComplaintEvent
from storage.unit_of_work import UnitOfWork

CITIZEN_ACTION_PREFIX = "r."  # not a hex digit: never mistaken for a conversation button
RATE, REOPEN = "rate", "reopen"
RATINGS = (1, 2, 3, 4, 5)
PUSH_KIND = "complaint"
FOLLOW_UPS = {
    "acknowledged": "complaint.push.acknowledged_hint",
    "forwarded": "complaint.push.forwarded_hint",
    "resolved": "complaint.push.rate_hint",
    "rejected": "complaint.push.reopen_hint",
    "outside_competence": "complaint.push.outside_hint",
}


def rating_buttons(complaint_id: int) -> tuple[Button, ...]:
    """One to five stars, for a resolved complaint."""
    return tuple(
        Button(f"{CITIZEN_ACTION_PREFIX}{RATE}.{complaint_id}.{n}", f"{n} ⭐") for n in RATINGS
    )


def reopen_button(label: str, complaint_id: int) -> Button:
    """Reopen a resolved or rejected complaint (checked against its window when pressed)."""
    return Button(f"{CITIZEN_ACTION_PREFIX}{REOPEN}.{complaint_id}", label)


def status_push_text(
    locale: str, settings: CoreSettings, complaint: Complaint, event: ComplaintEvent
) -> str:
    """What the citizen reads: the new status, the commune's comment, what they can do."""
    t = partial(translate, locale)
    params = {
        "number": complaint.tracking_number,
        "status": status_label(t, event.to_status),
        "service": complaint.assigned_service or "",
        "answer_by": local_date(settings, complaint.answer_by),
        "reopen_until": local_date(settings, complaint.reopen_until or event.at),
    }
    lines = [t("complaint.push.status", **params)]
    if event.public_comment:
        lines.append(t("complaint.push.comment", comment=event.public_comment))
    if event.to_status in FOLLOW_UPS:
        lines.append(t(FOLLOW_UPS[event.to_status], **params))
    return "\n\n".join(lines)


def push_buttons(
    locale: str, complaint_id: int, *, rating: bool, reopen: bool
) -> tuple[tuple[Button, ...], ...]:
    """The stars (1–5) and the reopening button a push offers."""
    rows: list[tuple[Button, ...]] = []
    if rating:
        rows.append(rating_buttons(complaint_id))
    if reopen:
        rows.append((reopen_button(translate(locale, "complaint.reopen"), complaint_id),))
    return tuple(rows)


async def queue_status_push(
    uow: UnitOfWork,
    settings: CoreSettings,
    complaint: Complaint,
    event: ComplaintEvent,
    now: datetime,
    *,
    rating: bool,
    reopen: bool,
) -> bool:
    """Queue the status push to the complaint's author (False if erased or queued before)."""
    citizen = await uow.citizens.get(complaint.citizen_id)
    if citizen is None:
        return False
    locale = complaint.locale
    buttons = push_buttons(locale, complaint.id, rating=rating, reopen=reopen)
    text = status_push_text(locale, settings, complaint, event)
    message = Outgoing(citizen.chat_id, text, buttons, rtl=is_rtl(locale))
    return await uow.outbox.add(
        channel=citizen.channel,
        chat_id=citizen.chat_id,
        kind=PUSH_KIND,
        payload=outgoing_to_dict(message),
        now=now,
        citizen_id=citizen.id,
        dedupe_key=f"complaint-status:{complaint.id}:{event.id}",
    )
