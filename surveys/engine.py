"""The survey engine, pure (goflow's idea): a saved `Session` plus the citizen's input
give a new `Session` and events. It never sends or stores anything; the conversation
renders `view(...)` and saves the session, and stores the answers on `Submitted`.

    start ─► question ─(answer | skip)─► next relevant question … ─► review ─(submit)─► done
                 ▲ back: the previous question answered (irrelevant ones are never visited)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from surveys.conditions import decide
from surveys.definitions import NO, RATINGS, YES, Consultation, Question
from surveys.inputs import Rejected, read_date, read_number, read_rating, read_text


@dataclass(frozen=True, slots=True)
class Session:
    """Where one citizen stands in one consultation; `current` None means the review."""

    consultation: str
    started_at: str
    current: str | None
    answers: Mapping[str, Any] = field(default_factory=dict)  # None: skipped
    history: tuple[str, ...] = ()  # questions visited before `current`, for Back
    selection: tuple[str, ...] = ()  # a multiple choice being composed

    def to_dict(self) -> dict[str, Any]:
        return {
            "consultation": self.consultation,
            "started_at": self.started_at,
            "current": self.current,
            "answers": dict(self.answers),
            "history": list(self.history),
            "selection": list(self.selection),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        return cls(
            consultation=data["consultation"],
            started_at=data["started_at"],
            current=data.get("current"),
            answers=dict(data.get("answers") or {}),
            history=tuple(data.get("history") or ()),
            selection=tuple(data.get("selection") or ()),
        )


# --- what the citizen can do -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Typed:
    text: str


@dataclass(frozen=True, slots=True)
class Picked:
    """A choice button, by its position among the question's choices."""

    index: int


@dataclass(frozen=True, slots=True)
class Located:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Photographed:
    file_ref: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Something no question takes (a voice message, a sticker…)."""


class Control(StrEnum):
    BACK = "back"
    SKIP = "skip"
    DONE = "done"  # a multiple choice is complete
    KEEP = "keep"  # keep the answer given before going back
    NEXT = "next"  # a note was read
    SUBMIT = "submit"


Action = Typed | Picked | Located | Photographed | Unreadable | Control
TYPE_IT = {"number": "consultation.error.number", "date": "consultation.error.date"}


# --- what happened -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Answered:
    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class Skipped:
    key: str


@dataclass(frozen=True, slots=True)
class WentBack:
    key: str


@dataclass(frozen=True, slots=True)
class Submitted:
    answers: tuple[tuple[str, Any], ...]  # (question key, value), skipped ones left out
    started_at: str


Event = Rejected | Answered | Skipped | WentBack | Submitted


@dataclass(frozen=True, slots=True)
class Outcome:
    session: Session
    events: tuple[Event, ...] = ()

    def first(self, kind: type[Any]) -> Any:
        return next((event for event in self.events if isinstance(event, kind)), None)


@dataclass(frozen=True, slots=True)
class Context:
    """What the engine needs from the commune: the quarters offered by quarter questions."""

    quarters: tuple[str, ...] = ()


def choice_ids(question: Question, context: Context) -> tuple[str, ...]:
    """The ids a button question offers, in order (buttons carry their position)."""
    if question.type == "yes_no":
        return (YES, NO)
    if question.type == "rating":
        return tuple(str(rating) for rating in RATINGS)
    if question.type == "quarter":
        return context.quarters
    return tuple(option.id for option in question.options)


# --- moving ------------------------------------------------------------------------------
def start(consultation: Consultation, started_at: str) -> Session:
    """A new session at the first relevant question."""
    current, answers = _next(consultation, -1, {})
    return Session(consultation.key, started_at, current, answers)


def resumable(consultation: Consultation, session: Session) -> bool:
    """False for a session the consultation's questions no longer match."""
    keys = {question.key for question in consultation.questions}
    return session.current in keys | {None} and set(session.history) <= keys


def advance(
    consultation: Consultation, session: Session, action: Action, context: Context
) -> Outcome:
    """The session after the citizen's action, and what happened."""
    if session.current is None:
        return _on_review(session, action)
    question = consultation.question(session.current)
    if action is Control.BACK:
        return _back(consultation, session)
    if action is Control.SKIP:
        if question.required:
            return Outcome(session, (Rejected("consultation.error.required"),))
        return _forward(consultation, session, question, None)
    if action is Control.KEEP and question.key in session.answers:
        return _forward(consultation, session, question, session.answers[question.key])
    if question.type == "note":
        if action is Control.NEXT:
            return _forward(consultation, session, question, None)
        return Outcome(session, (Rejected("consultation.error.note"),))
    if question.type == "multiple_choice":
        return _compose(consultation, session, question, action)
    value = read_answer(question, action, context)
    if isinstance(value, Rejected):
        return Outcome(session, (value,))
    return _forward(consultation, session, question, value)


def _on_review(session: Session, action: Action) -> Outcome:
    if action is Control.SUBMIT:
        answers = tuple(
            (key, session.answers[key])
            for key in session.history
            if session.answers.get(key) is not None
        )
        return Outcome(session, (Submitted(answers, session.started_at),))
    if action is Control.BACK and session.history:
        return _step_back(session, None)
    return Outcome(session, (Rejected("consultation.error.review"),))


def _back(consultation: Consultation, session: Session) -> Outcome:
    if not session.history:
        return Outcome(session, (Rejected("consultation.error.first"),))
    return _step_back(session, consultation.question(session.history[-1]))


def _step_back(session: Session, previous: Question | None) -> Outcome:
    key = session.history[-1]
    selection = session.answers.get(key) if previous and previous.type == "multiple_choice" else ()
    moved = replace(
        session, current=key, history=session.history[:-1], selection=tuple(selection or ())
    )
    return Outcome(moved, (WentBack(key),))


def _forward(
    consultation: Consultation, session: Session, question: Question, value: Any
) -> Outcome:
    answers = dict(session.answers)
    if question.asks:
        answers[question.key] = value
    current, answers = _next(consultation, consultation.index(question.key), answers)
    upcoming = consultation.question(current) if current else None
    selection = answers.get(current) if upcoming and upcoming.type == "multiple_choice" else ()
    moved = Session(
        session.consultation,
        session.started_at,
        current,
        answers,
        (*session.history, question.key),
        tuple(selection or ()),
    )
    event = Skipped(question.key) if value is None else Answered(question.key, value)
    return Outcome(moved, (event,))


def _next(
    consultation: Consultation, index: int, answers: dict[str, Any]
) -> tuple[str | None, dict[str, Any]]:
    """The first relevant question after `index` (None: the review); the answers of the
    questions passed over as irrelevant are dropped."""
    for question in consultation.questions[index + 1 :]:
        if question.relevant is None or decide(question.relevant, answers):
            return question.key, answers
        answers.pop(question.key, None)
    return None, answers


def _compose(
    consultation: Consultation, session: Session, question: Question, action: Action
) -> Outcome:
    """Multiple choice: each press toggles a choice; Done records the selection."""
    ids = [option.id for option in question.options]
    if action is Control.DONE:
        if not session.selection and question.required:
            return Outcome(session, (Rejected("consultation.error.pick_one"),))
        chosen = [choice for choice in ids if choice in session.selection]
        return _forward(consultation, session, question, chosen or None)
    toggled = _picked_id(question, action, tuple(ids))
    if toggled is None:
        return Outcome(session, (Rejected("consultation.error.choose_many"),))
    selection = set(session.selection) ^ {toggled}
    return Outcome(replace(session, selection=tuple(i for i in ids if i in selection)))


def _picked_id(question: Question, action: Action, ids: tuple[str, ...]) -> str | None:
    """The id a button press or a typed label (in any language) designates."""
    if isinstance(action, Picked):
        return ids[action.index] if 0 <= action.index < len(ids) else None
    if isinstance(action, Typed):
        typed = action.text.strip().casefold()
        for option in question.options:
            if typed == option.id.casefold() or typed in _casefolded(option.label.values()):
                return option.id
        return next((i for i in ids if i.casefold() == typed), None)
    return None


def _casefolded(texts: Any) -> set[str]:
    return {text.strip().casefold() for text in texts}


def read_answer(question: Question, action: Action, context: Context) -> Any:
    """The value an action gives this question, or why it does not answer it."""
    kind = question.type
    if kind == "rating" and isinstance(action, Typed):
        return read_rating(action.text)
    if question.answered_by_buttons:
        chosen = _picked_id(question, action, choice_ids(question, context))
        if chosen is None:
            return Rejected("consultation.error.choose")
        return int(chosen) if kind == "rating" else chosen
    if kind == "location":
        if isinstance(action, Located):
            return [action.latitude, action.longitude]
        return Rejected("consultation.error.location")
    if kind == "photo":
        if isinstance(action, Photographed):
            return action.file_ref
        return Rejected("consultation.error.photo")
    if not isinstance(action, Typed):
        return Rejected(TYPE_IT.get(kind, "consultation.error.text"))
    if kind == "number":
        return read_number(action.text, question)
    if kind == "date":
        return read_date(action.text)
    return read_text(action.text, long=kind == "long_text")
