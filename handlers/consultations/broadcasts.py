"""Broadcasting a consultation: each targeted citizen gets its announcement (or a quick
poll's poll itself) in their language, through the staff broadcasts' outbox rows.

The announcement carries an "Answer now" button (`v.open.<consultation id>`): like the
complaint `r.` buttons it lives on a push, not on a conversation step, so it is checked
against the consultation when pressed.

    staff ─ /broadcast KEY or `tachawor broadcast consultation KEY` ─► outbox rows
    citizen ◄─ 🗳️ title, intro [Answer now] ─► the consultation's intro (or where they stopped)
"""

from __future__ import annotations

from datetime import datetime

from handlers.consultations.answering import open_invitation
from handlers.consultations.quick_polls import poll_message
from handlers.consultations.sessions import account_token
from handlers.consultations.views import introduction, text_for
from handlers.flows import reprompt
from handlers.languages import citizen_locale, is_rtl, translate
from handlers.staff import ADMIN, BroadcastQueued, queue_broadcast, staff_role
from handlers.turns import CoreSettings, Turn
from handlers.types import Button, Command, Outgoing
from storage.models import Citizen
from storage.repositories.consultations import OPEN
from storage.unit_of_work import UnitOfWork
from surveys.definitions import Consultation
from surveys.numerals import read_whole
from surveys.stored import definition_of, segment_citizens

INVITATION_PREFIX = "v.open."  # `v.` is not a hex digit: never a conversation button


BROADCASTING_ROLES = (ADMIN,)  # what reaches every citizen of a segment: admins decide


def staff_may_broadcast(role: str | None) -> bool:
    """Whether a staff member may announce a consultation or publish its results to all
    who took part (the staff chat's /broadcast and the back-office alike)."""
    return role in BROADCASTING_ROLES


class BroadcastRefused(ValueError):
    """No consultation by that key, or not open (a catalog-free reason for staff tools)."""


def announcement(citizen: Citizen, record_id: int, consultation: Consultation) -> Outgoing:
    """The announcement of a consultation to one citizen, in their language."""
    locale = citizen_locale(citizen)
    text = translate(
        locale,
        "broadcast.announcement",
        title=text_for(consultation, consultation.title, locale),
        intro=introduction(consultation, locale),
    )
    button = Button(f"{INVITATION_PREFIX}{record_id}", translate(locale, "broadcast.answer_now"))
    return Outgoing(citizen.chat_id, text, ((button,),), rtl=is_rtl(locale))


async def broadcast_consultation(
    uow: UnitOfWork, settings: CoreSettings, consultation_key: str, now: datetime
) -> BroadcastQueued:
    """Announce an open consultation to every citizen it targets."""
    record = await uow.consultations.find(consultation_key)
    if record is None or record.status != OPEN:
        raise BroadcastRefused(f"no open consultation {consultation_key!r}")
    consultation = definition_of(record)
    citizens = await not_answered_yet(uow, settings, record.id, consultation)
    queued = await queue_broadcast(
        uow, citizens, record.key, lambda c: invitation(c, record.id, consultation), now
    )
    return BroadcastQueued(record.key, len(citizens), queued)


async def consultation_audience(
    uow: UnitOfWork, settings: CoreSettings, consultation_key: str
) -> int:
    """How many citizens a broadcast of this consultation would reach now: its segment,
    less those who have had their say (0 for a consultation not open)."""
    record = await uow.consultations.find(consultation_key)
    if record is None or record.status != OPEN:
        return 0
    return len(await not_answered_yet(uow, settings, record.id, definition_of(record)))


async def not_answered_yet(
    uow: UnitOfWork, settings: CoreSettings, record_id: int, consultation: Consultation
) -> list[Citizen]:
    """The citizens the consultation targets, less those who answered it already when it
    takes one response each (a vote in a quick poll included): broadcasting it again
    invites only who has not had their say."""
    citizens = await segment_citizens(uow, consultation)
    if not consultation.one_response:
        return citizens
    tokens = {citizen.id: account_token(settings, consultation, citizen) for citizen in citizens}
    answered = await uow.consultations.answered(record_id, list(tokens.values()))
    return [citizen for citizen in citizens if tokens[citizen.id] not in answered]


def invitation(citizen: Citizen, record_id: int, consultation: Consultation) -> Outgoing:
    """What a broadcast of a consultation shows one citizen: a quick poll's poll itself,
    else the announcement."""
    if consultation.quick_poll:
        return poll_message(citizen.chat_id, citizen_locale(citizen), record_id, consultation)
    return announcement(citizen, record_id, consultation)


async def on_invitation(turn: Turn, button_id: str) -> None:
    """The citizen pressed "Answer now" on an announcement: the consultation opens (or
    they are told why it cannot, with the list of those open to them)."""
    record_id = read_whole(button_id.removeprefix(INVITATION_PREFIX))
    if not turn.consented or record_id is None:
        turn.note(turn.t("error.stale_button"))
        await reprompt(turn)
        return
    await open_invitation(turn, record_id)


async def on_broadcast_command(turn: Turn, command: Command) -> None:
    """A staff admin announces an open consultation; to anyone else the command is unknown."""
    role = await staff_role(turn)
    if role is None:
        turn.note(turn.t("error.unknown_command"))
        await reprompt(turn)
        return
    if not staff_may_broadcast(role):
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
