"""Consultations, for citizens: the consultations open to them, one question per message,
the review, then sending. The survey engine decides what comes next; this module reads
the citizen's input, saves the session in the conversation state and renders the result.

    menu ─► 🗳️ Consultations ─► list ─► intro [Start] ─► question 1/n ─► … ─► review [Send]
                                  │                      ▲ Back / Skip / ⏸️ Later (kept)
                                  └─ one in progress ────┘ resumes where the citizen stopped

A consultation closed meanwhile, a second response where one is allowed, a stale button:
each gets a translated message and the citizen is never left without a way forward.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.citizens import ask_profile_first, register_resumption
from handlers.consultations.quick_polls import show_poll
from handlers.consultations.sessions import (
    Offer,
    drop_session,
    offers,
    queue_reminder,
    refusal,
    save_session,
    saved_session,
    sessions_in_progress,
    store_response,
)
from handlers.consultations.views import (
    CHOICE,
    CONTROL_IDS,
    LATER,
    answer_shown,
    intro_text,
    show_question,
    show_review,
    text_of,
)
from handlers.flows import (
    Choice,
    Input,
    MenuEntry,
    RequestTarget,
    Step,
    enter,
    not_an_answer,
    read_request,
    register_flow,
    register_menu_entry,
    register_request_target,
)
from handlers.intents import words_in_common
from handlers.menu import show_menu
from handlers.personal_data import PersonalData, register_personal_data
from handlers.turns import Turn
from handlers.types import Location, Media, Text
from storage.models import Citizen, ConsultationRecord
from storage.unit_of_work import UnitOfWork
from surveys import engine
from surveys.answers import answer_value
from surveys.definitions import Consultation
from surveys.engine import Action, Context, Submitted
from surveys.inputs import Rejected
from surveys.numerals import read_whole
from surveys.stored import definition_of
from surveys.views import QuestionView, view

FLOW = "consultations"
OPEN, START, MENU = "o", "start", "menu"
CONTROLS = {choice: action for action, choice in CONTROL_IDS.items()}


async def open_consultations(turn: Turn) -> None:
    """The citizen opens the consultations open to them."""
    await enter(turn, FLOW, "list")


def _offer_label(turn: Turn, offer: Offer) -> str:
    title = text_of(turn, offer.consultation, offer.consultation.title)
    mark = "✅ " if offer.answered else ("⏸️ " if offer.in_progress else "🗳️ ")
    return mark + title


async def _prompt_list(turn: Turn) -> None:
    available = await offers(turn)
    if not available:
        await show_menu(turn, turn.t("consultation.none"))
        return
    rows = [[turn.button(f"{OPEN}{o.record.id}", _offer_label(turn, o))] for o in available]
    turn.say(turn.t("consultation.list"), [*rows, [turn.button(MENU, turn.t("menu.back"))]])


async def _handle_list(turn: Turn, answer: Input) -> None:
    """The citizen picks a consultation (or goes back to the menu)."""
    if answer == Choice(MENU):
        await show_menu(turn)
    elif isinstance(answer, Choice) and (record_id := read_whole(answer.value[1:])) is not None:
        await _choose(turn, record_id)
    else:
        await not_an_answer(turn, answer, _prompt_list)


async def _choose(turn: Turn, record_id: int) -> None:
    record = await turn.uow.consultations.get(record_id)
    quick_poll = record is not None and definition_of(record).quick_poll
    refused = await refusal(turn, record, replacing=quick_poll)  # a vote can be changed
    if refused or record is None:
        turn.note(turn.t(refused or "consultation.unknown"))
        await _prompt_list(turn)
        return
    consultation = definition_of(record)
    if await ask_profile_first(turn, consultation.profile_fields, FLOW, record.id):
        return  # the consultation opens once its profile questions are answered or skipped
    if consultation.quick_poll:
        await show_poll(turn, record, consultation)
    elif saved_session(turn, consultation) is not None:
        turn.note(turn.t("consultation.resumed"))
        await enter(turn, FLOW, "question", {"id": record.id})
    else:
        await enter(turn, FLOW, "intro", {"id": record.id})


async def open_invitation(turn: Turn, record_id: int) -> None:
    """The citizen pressed "Answer now" on an announcement: that consultation opens."""
    turn.go(FLOW, "list")
    await _choose(turn, record_id)


async def _current(turn: Turn) -> tuple[ConsultationRecord, Consultation] | None:
    """The consultation this step is about, if the citizen may still answer it; else they
    are told why and get the menu (a session of a closed consultation is dropped)."""
    record = await turn.uow.consultations.get(int(turn.data.get("id", 0)))
    refused = await refusal(turn, record)
    if refused is None and record is not None:
        return record, definition_of(record)
    if record is not None:
        drop_session(turn, record.key)
    await show_menu(turn, turn.t(refused or "consultation.unknown"))
    return None


async def _prompt_intro(turn: Turn) -> None:
    if (current := await _current(turn)) is None:
        return
    _, consultation = current
    count = len(consultation.asked)
    buttons = [[turn.button(START, turn.t("consultation.start", count=count))]]
    buttons.append([turn.button(MENU, turn.t("menu.back"))])
    turn.say(intro_text(consultation, turn.locale), buttons)


async def _handle_intro(turn: Turn, answer: Input) -> None:
    """The citizen starts answering (a reminder is queued for a day later) or leaves."""
    if answer == Choice(MENU):
        await show_menu(turn)
        return
    if answer != Choice(START):
        await not_an_answer(turn, answer, _prompt_intro)
        return
    if (current := await _current(turn)) is None:
        return
    _, consultation = current
    save_session(turn, engine.start(consultation, turn.now.isoformat()))
    await queue_reminder(turn, consultation, text_of(turn, consultation, consultation.title))
    turn.go(FLOW, "question")
    await _show(turn, consultation)


def _context(turn: Turn) -> Context:
    return Context(quarters=turn.settings.commune_quarters)


async def _prompt_question(turn: Turn) -> None:
    if (current := await _current(turn)) is not None:
        await _show(turn, current[1])


async def _show(turn: Turn, consultation: Consultation) -> None:
    """The current question of the citizen's session, or the review."""
    session = saved_session(turn, consultation)
    if session is None:
        await enter(turn, FLOW, "intro")
        return
    shown = view(consultation, session, _context(turn))
    if isinstance(shown, QuestionView):
        show_question(turn, consultation, shown)
    else:
        show_review(turn, consultation, shown)


async def _handle_question(turn: Turn, answer: Input) -> None:
    """The citizen answers, goes back, skips, pauses, or sends their answers."""
    if (current := await _current(turn)) is None:
        return
    record, consultation = current
    session = saved_session(turn, consultation)
    if session is None:
        await enter(turn, FLOW, "intro")
        return
    if answer == Choice(LATER):
        await show_menu(turn, turn.t("consultation.paused"))
        return
    outcome = engine.advance(consultation, session, action_of(answer), _context(turn))
    if (rejected := outcome.first(Rejected)) is not None:
        if isinstance(answer, Text) and await read_request(turn, answer.text):
            return  # a request, not an answer: the answers so far are kept, to resume
        turn.note(turn.t(rejected.message, **rejected.params))
    if (submitted := outcome.first(Submitted)) is not None:
        await _submit(turn, record, consultation, submitted)
        return
    save_session(turn, outcome.session)
    await _show(turn, consultation)


async def _submit(
    turn: Turn, record: ConsultationRecord, consultation: Consultation, submitted: Submitted
) -> None:
    drop_session(turn, consultation.key)
    if not await store_response(turn, record, consultation, submitted):
        await show_menu(turn, turn.t("consultation.already_answered"))
        return
    await show_menu(turn, text_of(turn, consultation, consultation.thanks))


def action_of(answer: Input) -> Action:
    """The engine's reading of what the citizen sent."""
    if isinstance(answer, Choice):
        if answer.value in CONTROLS:
            return CONTROLS[answer.value]
        position = read_whole(answer.value.removeprefix(CHOICE))
        return engine.Unreadable() if position is None else engine.Picked(position)
    if isinstance(answer, Text):
        return engine.Typed(answer.text)
    if isinstance(answer, Location):
        return engine.Located(answer.latitude, answer.longitude)
    if isinstance(answer, Media) and _is_image(answer):
        return engine.Photographed(answer.file_ref)
    return engine.Unreadable()


def _is_image(media: Media) -> bool:
    return media.kind == "photo" or (media.mime_type or "").startswith("image/")


async def consultations_section(turn: Turn, citizen: Citizen) -> list[str]:
    """My data: responses that carry the citizen's id, and consultations in progress."""
    answered = await turn.uow.consultations.count_of_citizen(citizen.id)
    started = sessions_in_progress(turn)
    if not answered and not started:
        return []
    field = turn.t("my_data.field.consultations")
    value = turn.t("consultation.my_data", answered=answered, started=started)
    lines = [turn.t("layout.field", label=field, value=value)]
    for response, answers in await turn.uow.consultations.answers_of_citizen(citizen.id):
        record = await turn.uow.consultations.get(response.consultation_id)
        if record is None:
            continue
        consultation = definition_of(record)
        day = local_day(turn, response.submitted_at)
        lines.append(f"  – {text_of(turn, consultation, consultation.title)} ({day})")
        for answer in answers:
            if not any(q.key == answer.question_key for q in consultation.questions):
                continue
            question = consultation.question(answer.question_key)
            shown = answer_shown(turn, consultation, question, answer_value(question, answer))
            lines.append(f"    {text_of(turn, consultation, question.label)} → {shown}")
    return lines


def local_day(turn: Turn, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(turn.settings.timezone)).strftime("%d/%m/%Y")


register_flow(
    FLOW,
    {
        "list": Step(_prompt_list, _handle_list),
        "intro": Step(_prompt_intro, _handle_intro),
        "question": Step(_prompt_question, _handle_question),
    },
)
register_menu_entry(MenuEntry("consultations", "menu.consultations", open_consultations, order=30))


async def _consultation_requested(turn: Turn, words: tuple[str, ...]) -> None:
    """ "sondage dyal l'ma": the one open consultation whose title has most of the other
    words of the request, else the list to choose from."""
    available = [offer for offer in await offers(turn) if not offer.answered]
    scored = [
        (words_in_common(words, " ".join(o.consultation.title.values())), o) for o in available
    ]
    best = max((score for score, _ in scored), default=0)
    named = [offer for score, offer in scored if best and score == best]
    if len(named) == 1:
        await open_invitation(turn, named[0].record.id)
    else:
        await open_consultations(turn)


register_request_target(
    RequestTarget("consultation", "menu.consultations", _consultation_requested)
)
register_resumption(FLOW, open_invitation)


async def erase_consultation_data(uow: UnitOfWork, citizen_id: int) -> None:
    """Erasure: the responses carrying the citizen's id, and the polls sent to them
    (sessions in progress live in the conversation, which is erased with it)."""
    await uow.consultations.erase_of_citizen(citizen_id)
    await uow.polls.erase_of_citizen(citizen_id)


register_personal_data(
    PersonalData("consultations", consultations_section, erase_consultation_data, order=10)
)
