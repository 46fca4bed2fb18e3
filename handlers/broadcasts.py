"""Broadcasts: one outbox row per targeted citizen, in their own language, queued once.

A consultation's announcement carries an "Answer now" button (`v.open.<consultation id>`):
like the complaint `r.` buttons it lives on a push, not on a conversation step, so it is
checked against the consultation when pressed. Every row has the dedupe key
`broadcast:<name>:<citizen id>`: running a broadcast again, or after a crash half-way
through, queues only what is missing, and the outbox sender never sends a row twice.

    staff ─ /broadcast KEY or `tachawor broadcast …` ─► outbox rows ─► OutboxSender (30/s)
    citizen ◄─ 🗳️ title, intro [Answer now] ─► the consultation's intro (or where they stopped)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from handlers.catalogs import is_rtl, locale_for, translate
from handlers.consultation_views import text_for
from handlers.consultations import open_invitation
from handlers.flows import reprompt
from handlers.quick_polls import poll_message
from handlers.serialization import outgoing_to_dict
from handlers.staff import ADMIN, staff_role
from handlers.turns import CoreSettings, Turn
from handlers.types import Button, Command, Outgoing
from storage.models import Citizen
from storage.repositories.consultations import OPEN
from storage.unit_of_work import UnitOfWork
from surveys.definitions import Consultation
from surveys.stored import definition_of, segment_citizens

BROADCAST_KIND = "broadcast"
INVITATION_PREFIX = "v.open."  # `v.` is not a hex digit: never a conversation button


class BroadcastRefused(ValueError):
    """No consultation by that key, or not open (a catalog-free reason for staff tools)."""


@dataclass(frozen=True, slots=True)
class BroadcastQueued:
    name: str  # what follows `broadcast:` in the dedupe keys
    targeted: int  # reachable citizens in the segment
    queued: int  # rows queued now (the others were queued by an earlier run)

    @property
    def dedupe_prefix(self) -> str:
        return broadcast_prefix(self.name)


def broadcast_prefix(name: str) -> str:
    return f"broadcast:{name}:"


def citizen_locale(citizen: Citizen) -> str:
    return locale_for(citizen.language, citizen.script)


def announcement(citizen: Citizen, record_id: int, consultation: Consultation) -> Outgoing:
    """The announcement of a consultation to one citizen, in their language."""
    locale = citizen_locale(citizen)
    text = translate(
        locale,
        "broadcast.announcement",
        title=text_for(consultation, consultation.title, locale),
        intro=text_for(consultation, consultation.intro, locale),
    )
    button = Button(f"{INVITATION_PREFIX}{record_id}", translate(locale, "broadcast.answer_now"))
    return Outgoing(citizen.chat_id, text, ((button,),), rtl=is_rtl(locale))


async def queue_to(
    uow: UnitOfWork, citizens: Sequence[Citizen], name: str, build, now: datetime
) -> int:
    """Queue `build(citizen)` to each citizen once; how many rows were new."""
    queued = 0
    for citizen in citizens:
        queued += bool(
            await uow.outbox.add(
                channel=citizen.channel,
                chat_id=citizen.chat_id,
                kind=BROADCAST_KIND,
                payload=outgoing_to_dict(build(citizen)),
                now=now,
                citizen_id=citizen.id,
                dedupe_key=f"{broadcast_prefix(name)}{citizen.id}",
            )
        )
    return queued


async def broadcast_consultation(
    uow: UnitOfWork, settings: CoreSettings, consultation_key: str, now: datetime
) -> BroadcastQueued:
    """Announce an open consultation to every reachable citizen it targets."""
    record = await uow.consultations.find(consultation_key)
    if record is None or record.status != OPEN:
        raise BroadcastRefused(f"no open consultation {consultation_key!r}")
    consultation = definition_of(record)
    citizens = await segment_citizens(uow, consultation)
    queued = await queue_to(
        uow, citizens, record.key, lambda c: invitation(c, record.id, consultation), now
    )
    return BroadcastQueued(record.key, len(citizens), queued)


def invitation(citizen: Citizen, record_id: int, consultation: Consultation) -> Outgoing:
    """What a broadcast of a consultation shows one citizen: a quick poll's poll itself,
    else the announcement."""
    if consultation.quick_poll:
        return poll_message(citizen.chat_id, citizen_locale(citizen), record_id, consultation)
    return announcement(citizen, record_id, consultation)


def message_name(text: str, quarters: Sequence[str]) -> str:
    """A staff message's broadcast name: the same text to the same quarters is one
    broadcast, so running the command again sends nothing twice."""
    digest = hashlib.sha256("\n".join([text, *sorted(quarters)]).encode()).hexdigest()
    return f"msg-{digest[:16]}"


async def broadcast_message(
    uow: UnitOfWork,
    settings: CoreSettings,
    text: str,
    now: datetime,
    *,
    quarters: Sequence[str] = (),
    name: str | None = None,
) -> BroadcastQueued:
    """Send a staff text, as written, to every reachable citizen (of these quarters)."""
    name = name or message_name(text, quarters)
    citizens = await uow.consultations.citizens_in_segment(quarters=quarters)
    queued = await queue_to(
        uow,
        citizens,
        name,
        lambda c: Outgoing(c.chat_id, text, rtl=is_rtl(citizen_locale(c))),
        now,
    )
    return BroadcastQueued(name, len(citizens), queued)


async def on_invitation(turn: Turn, button_id: str) -> None:
    """The citizen pressed "Answer now" on an announcement: the consultation opens (or
    they are told why it cannot, with the list of those open to them)."""
    record_id = button_id.removeprefix(INVITATION_PREFIX)
    if not turn.consented or not record_id.isdigit():
        turn.note(turn.t("error.stale_button"))
        await reprompt(turn)
        return
    await open_invitation(turn, int(record_id))


async def on_broadcast_command(turn: Turn, command: Command) -> None:
    """A staff admin announces an open consultation; to anyone else the command is unknown."""
    role = await staff_role(turn)
    if role is None:
        turn.note(turn.t("error.unknown_command"))
        await reprompt(turn)
        return
    if role != ADMIN:
        turn.say(turn.t("staff.only"))
        return
    key = command.args.strip()
    if not key:
        turn.say(turn.t("broadcast.usage"))
        return
    try:
        done = await broadcast_consultation(turn.uow, turn.settings, key, turn.now)
    except BroadcastRefused:
        turn.say(turn.t("broadcast.unknown", consultation=key))
        return
    turn.say(
        turn.t("broadcast.queued", consultation=key, targeted=done.targeted, queued=done.queued)
    )
