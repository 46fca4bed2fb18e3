"""What a citizen's consultations rest on: their sessions in progress (kept in the
conversation state, so they resume days later and after a restart), which consultations
are open to them, storing a submitted response, and the reminder 24 h after a start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.languages import is_rtl
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings, Turn
from handlers.types import Outgoing
from storage.models import Citizen, ConsultationRecord
from storage.repositories.consultations import DRAFT
from surveys.answers import answer_columns
from surveys.definitions import Consultation
from surveys.engine import Session, Submitted, resumable
from surveys.pseudonyms import dedupe_token
from surveys.stored import accepts_answers, definition_of, includes

SESSIONS = "consultations"  # conversation-level data: consultation key -> session
REMINDER_KIND = "reminder"


@dataclass(frozen=True, slots=True)
class Offer:
    record: ConsultationRecord
    consultation: Consultation
    answered: bool  # one response allowed and given
    in_progress: bool


def today(turn: Turn) -> date:
    return turn.now.astimezone(ZoneInfo(turn.settings.timezone)).date()


# --- sessions in the conversation state ------------------------------------------------
def _sessions(turn: Turn) -> dict[str, Any]:
    return turn.conversation.data.setdefault(SESSIONS, {})


def saved_session(turn: Turn, consultation: Consultation) -> Session | None:
    stored = _sessions(turn).get(consultation.key)
    if stored is None:
        return None
    session = Session.from_dict(stored)
    return session if resumable(consultation, session) else None


def save_session(turn: Turn, session: Session) -> None:
    _sessions(turn)[session.consultation] = session.to_dict()


def drop_session(turn: Turn, consultation_key: str) -> None:
    _sessions(turn).pop(consultation_key, None)


def sessions_in_progress(turn: Turn) -> int:
    return len(turn.conversation.data.get(SESSIONS) or {})


# --- who may answer what ---------------------------------------------------------------
def citizen_token(turn: Turn, consultation: Consultation) -> str:
    """The once-only token of the person writing."""
    assert turn.conversation.citizen_id is not None, "consultations are only offered after consent"
    incoming = turn.incoming
    key = turn.settings.pseudonym_key
    return dedupe_token(key, consultation.key, incoming.channel, incoming.user_id)


def account_token(settings: CoreSettings, consultation: Consultation, citizen: Citizen) -> str:
    """The once-only token of a stored citizen (the same as theirs when they write)."""
    channel, user_id = citizen.channel, citizen.channel_user_id
    return dedupe_token(settings.pseudonym_key, consultation.key, channel, user_id)


async def has_answered(turn: Turn, record: ConsultationRecord, consultation: Consultation) -> bool:
    token = citizen_token(turn, consultation)
    return await turn.uow.consultations.count_responses(record.id, token) > 0


async def refusal(
    turn: Turn, record: ConsultationRecord | None, *, replacing: bool = False
) -> str | None:
    """Why this citizen cannot answer this consultation now (a catalog key), or None.
    `replacing`: the answer replaces their earlier one (a quick poll's vote)."""
    if record is None or record.status == DRAFT:
        return "consultation.unknown"
    consultation = definition_of(record)
    if not accepts_answers(record, consultation, today(turn)):
        return "consultation.closed"
    citizen = await turn.citizen()
    if citizen is None or not includes(consultation, citizen):
        return "consultation.not_for_you"
    if replacing:
        return None
    if consultation.one_response and await has_answered(turn, record, consultation):
        return "consultation.already_answered"
    return None


async def offers(turn: Turn) -> list[Offer]:
    """The consultations open today that target this citizen, oldest first."""
    citizen = await turn.citizen()
    if citizen is None:
        return []
    found = []
    for record in await turn.uow.consultations.open_ones():
        consultation = definition_of(record)
        if accepts_answers(record, consultation, today(turn)) and includes(consultation, citizen):
            answered = consultation.one_response and await has_answered(turn, record, consultation)
            in_progress = saved_session(turn, consultation) is not None
            found.append(Offer(record, consultation, answered, in_progress))
    return found


# --- submitting and reminding ------------------------------------------------------------
async def store_response(
    turn: Turn, record: ConsultationRecord, consultation: Consultation, submitted: Submitted
) -> bool:
    """Store the response, one row per answer; False if only one is allowed and this
    citizen already gave it. Their pending reminder is withdrawn."""
    citizen = await turn.citizen()
    assert citizen is not None
    token = citizen_token(turn, consultation)
    before = await turn.uow.consultations.count_responses(record.id, token)
    if before and consultation.one_response:
        return False
    started_at = datetime.fromisoformat(submitted.started_at)
    values = response_values(turn, citizen, record, consultation, before + 1, started_at)
    rows = [answer_columns(consultation.question(key), value) for key, value in submitted.answers]
    await turn.uow.consultations.add_response(values, rows)
    await turn.uow.outbox.cancel(reminder_key(consultation.key, citizen.id))
    return True


def response_values(
    turn: Turn,
    citizen: Citizen,
    record: ConsultationRecord,
    consultation: Consultation,
    sequence: int,
    started_at: datetime,
) -> dict[str, Any]:
    """A response row: who (unless anonymous) and their quarter, gender, age bracket and
    language as they are now, for the result filters."""
    return {
        "consultation_id": record.id,
        "citizen_id": None if consultation.anonymous else citizen.id,
        "dedupe_token": citizen_token(turn, consultation),
        "sequence": sequence,
        "started_at": started_at,
        "submitted_at": turn.now,
        "locale": turn.locale,
        "language": citizen.language,
        "quarter": citizen.quarter,
        "gender": citizen.gender,
        "age_bracket": citizen.age_bracket,
    }


def reminder_key(consultation_key: str, citizen_id: int) -> str:
    return f"consultation-reminder:{consultation_key}:{citizen_id}"


async def queue_reminder(turn: Turn, consultation: Consultation, title: str) -> None:
    """One reminder, due a day after the start (the outbox sender delivers it then, unless
    the response was sent before and the reminder withdrawn)."""
    citizen = await turn.citizen()
    assert citizen is not None
    text = turn.t("consultation.reminder", title=title)
    message = Outgoing(citizen.chat_id, text, rtl=is_rtl(turn.locale))
    await turn.uow.outbox.add(
        channel=citizen.channel,
        chat_id=citizen.chat_id,
        kind=REMINDER_KIND,
        payload=outgoing_to_dict(message),
        now=turn.now,
        due_at=turn.now + timedelta(hours=turn.settings.consultation_reminder_hours),
        citizen_id=citizen.id,
        dedupe_key=reminder_key(consultation.key, citizen.id),
    )
