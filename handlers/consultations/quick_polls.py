"""Quick polls: a one-question consultation shown as a native poll where the channel has
them (Telegram), as buttons elsewhere (the terminal chat). A vote is a response like any
other, so results, exports and publishing need nothing special; a new vote replaces the
citizen's earlier one and a withdrawn vote (no option) deletes it.

    broadcast / list ─► Outgoing.poll (ref = consultation id, one `p.` button per option)
    Telegram: sendPoll ─► sent poll id recorded ─► poll_answer ─► on_poll_answer ─► vote
    terminal: [1] Oui [2] Non ─► p.<consultation id>.<position> ─► on_poll_button ─► vote
    closed or past its dates ─► close_finished_polls (scheduled) ─► stopPoll in each chat
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.consultations.sessions import citizen_token, refusal, response_values
from handlers.consultations.views import intro_text, text_for
from handlers.flows import reprompt
from handlers.languages import is_rtl, translate
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings, Turn
from handlers.types import Button, Outgoing, PollAnswer, PollRequest, PollShown
from storage.models import ConsultationRecord, SentPoll
from storage.unit_of_work import UnitOfWork
from surveys.answers import answer_columns
from surveys.definitions import NO, RATINGS, YES, Consultation
from surveys.numerals import read_position, read_whole
from surveys.stored import accepts_answers, definition_of

POLL_CLOSING_KIND = "poll_close"
WITHDRAW = "withdraw"  # the option position of the button that takes a vote back
POLL_PREFIX = "p."  # `p.<consultation id>.<position>`; not a hex digit, so never a step's button

logger = logging.getLogger(__name__)


def poll_choices(consultation: Consultation) -> list[str]:
    """The stored ids of a quick poll's options, in the order they are shown."""
    question = consultation.poll_question
    if question.type == "yes_no":
        return [YES, NO]
    if question.type == "rating":
        return [str(rating) for rating in RATINGS]
    return [option.id for option in question.options]


def choice_text(consultation: Consultation, choice: str, locale: str) -> str:
    """An option as a reader of `locale` sees it."""
    question = consultation.poll_question
    if question.type == "yes_no":
        return translate(locale, f"consultation.{choice}")
    if question.type == "rating":
        return f"{choice} ⭐"
    option = next(option for option in question.options if option.id == choice)
    return text_for(consultation, option.label, locale)


def poll_message(
    chat_id: str,
    locale: str,
    record_id: int,
    consultation: Consultation,
    current_vote: Sequence[str] = (),
) -> Outgoing:
    """The poll for one reader: title, intro and privacy note (and the vote they cast
    already, to change), then the question."""
    question = consultation.poll_question
    choices = poll_choices(consultation)
    withdraw = Button(f"{POLL_PREFIX}{record_id}.{WITHDRAW}", translate(locale, "poll.withdraw"))
    poll = PollRequest(
        question=text_for(consultation, question.label, locale),
        options=tuple(choice_text(consultation, choice, locale) for choice in choices),
        allows_multiple_answers=question.type == "multiple_choice",
        ref=str(record_id),
        option_buttons=tuple(f"{POLL_PREFIX}{record_id}.{i}" for i in range(len(choices))),
        withdraw_button=withdraw if current_vote else None,
    )
    text = intro_text(consultation, locale)
    if current_vote:
        shown = ", ".join(choice_text(consultation, choice, locale) for choice in current_vote)
        text = f"{text}\n\n{translate(locale, 'poll.current_vote', choices=shown)}"
    return Outgoing(chat_id, text, poll=poll, rtl=is_rtl(locale))


async def remember_sent_poll(
    uow: UnitOfWork,
    channel: str,
    message: Outgoing,
    citizen_id: int | None,
    shown: PollShown,
    now: datetime,
) -> None:
    """The channel showed `message`'s poll: its votes will find the consultation, and it
    can be closed with it."""
    consultation_id = None if message.poll is None else read_whole(message.poll.ref)
    if consultation_id is None:
        return
    sent = SentPoll(
        channel=channel,
        poll_ref=shown.poll_ref,
        consultation_id=consultation_id,
        citizen_id=citizen_id,
        chat_id=message.chat_id,
        message_ref=shown.message_ref,
        sent_at=now,
    )
    await uow.polls.record_sent(sent)


async def close_finished_polls(uow: UnitOfWork, settings: CoreSettings, now: datetime) -> int:
    """Queue the closing of every poll still open in a chat whose consultation no longer
    takes answers (closed by staff, or past its closing date); how many."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    closing = 0
    for record_id in await uow.polls.consultations_with_open_polls():
        record = await uow.consultations.get(record_id)
        if record is None or accepts_answers(record, definition_of(record), today):
            continue
        for poll in await uow.polls.close_all(record_id, now):
            await uow.outbox.add(
                channel=poll.channel,
                chat_id=poll.chat_id,
                kind=POLL_CLOSING_KIND,
                payload=outgoing_to_dict(Outgoing(poll.chat_id, "", closes_poll=poll.message_ref)),
                now=now,
                citizen_id=poll.citizen_id,
                dedupe_key=f"poll-close:{poll.id}",
            )
            closing += 1
    return closing


async def show_poll(turn: Turn, record: ConsultationRecord, consultation: Consultation) -> None:
    """The citizen picked a quick poll from the list: the poll itself, to vote in (with
    the vote they cast already, which they may change or take back)."""
    current = await _current_vote(turn, record, consultation)
    chat_id, locale = turn.incoming.chat_id, turn.locale
    turn.show(poll_message(chat_id, locale, record.id, consultation, current))


# --- votes -------------------------------------------------------------------------------
async def on_poll_answer(turn: Turn, answer: PollAnswer) -> None:
    """A vote in a native poll the bot sent (no option: the vote is withdrawn)."""
    record_id = await turn.uow.polls.consultation_of(turn.incoming.channel, answer.poll_ref)
    record = await turn.uow.consultations.get(record_id) if record_id is not None else None
    if record is None:
        turn.say(turn.t("consultation.unknown"))
        return
    consultation = definition_of(record)
    choices = poll_choices(consultation)
    several = consultation.poll_question.type == "multiple_choice"
    out_of_range = any(not 0 <= index < len(choices) for index in answer.option_ids)
    if out_of_range or (len(set(answer.option_ids)) > 1 and not several):
        logger.warning("a vote poll %s cannot hold: nothing stored", record.id)
        turn.say(turn.t("poll.invalid_vote"))
        return
    picked = sorted(set(answer.option_ids))
    await _vote(turn, record, consultation, [choices[i] for i in picked])


async def on_poll_button(turn: Turn, button_id: str) -> None:
    """An option pressed where polls show as buttons: it is the vote, or for several
    choices it is added to (or taken out of) the vote."""
    record_id, _, position = button_id.removeprefix(POLL_PREFIX).partition(".")
    found = await _poll(turn, record_id)
    if found is not None and position == WITHDRAW:
        await _vote(turn, *found, [])
        return
    index = None if found is None else read_position(position, len(poll_choices(found[1])))
    if found is None or index is None:
        turn.note(turn.t("error.stale_button"))
        await reprompt(turn)
        return
    record, consultation = found
    choice = poll_choices(consultation)[index]
    if consultation.poll_question.type != "multiple_choice":
        await _vote(turn, record, consultation, [choice])
        return
    voted = set(await _current_vote(turn, record, consultation)) ^ {choice}
    picked = [c for c in poll_choices(consultation) if c in voted]
    await _vote(turn, record, consultation, picked, toggling=True)


async def _poll(turn: Turn, record_id: str) -> tuple[ConsultationRecord, Consultation] | None:
    consultation_id = read_whole(record_id)
    record = None if consultation_id is None else await turn.uow.consultations.get(consultation_id)
    if record is None:
        return None
    consultation = definition_of(record)
    return (record, consultation) if consultation.quick_poll else None


async def _current_vote(
    turn: Turn, record: ConsultationRecord, consultation: Consultation
) -> list[str]:
    if not turn.consented:
        return []
    return await turn.uow.polls.choices_voted(record.id, citizen_token(turn, consultation))


async def _vote(
    turn: Turn,
    record: ConsultationRecord,
    consultation: Consultation,
    choices: list[str],
    *,
    toggling: bool = False,
) -> None:
    """Store the citizen's vote in place of any earlier one, and say what was kept
    (`toggling`: choices are added and taken out one button at a time)."""
    if not turn.consented:
        turn.note(turn.t("poll.consent_first"))
        await reprompt(turn)
        return
    refused = await refusal(turn, record, replacing=True)
    if refused is not None:
        turn.say(turn.t(refused))
        return
    citizen = await turn.citizen()
    assert citizen is not None
    await turn.uow.polls.withdraw_vote(record.id, citizen_token(turn, consultation))
    if not choices:
        turn.say(turn.t("poll.withdrawn"))
        return
    question = consultation.poll_question
    value = choices if question.type == "multiple_choice" else choices[0]
    values = response_values(turn, citizen, record, consultation, 1, turn.now)
    await turn.uow.consultations.add_response(values, [answer_columns(question, value)])
    shown = ", ".join(choice_text(consultation, choice, turn.locale) for choice in choices)
    if toggling:
        turn.say(turn.t("poll.voted_several", choices=shown))
    else:
        thanks = text_for(consultation, consultation.thanks, turn.locale)
        turn.say(f"{turn.t('poll.voted', choices=shown)}\n\n{thanks}")
