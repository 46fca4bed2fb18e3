"""What a citizen should see for a session: the current question with its progress
("3/8", counting the questions that may still apply), or the review before submitting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from surveys.conditions import decide
from surveys.definitions import Consultation, Question
from surveys.engine import Context, Session, choice_ids


@dataclass(frozen=True, slots=True)
class QuestionView:
    question: Question
    number: int  # 0 for a note (notes are not numbered)
    total: int
    choices: tuple[str, ...]  # the ids its buttons offer, in order
    selected: tuple[str, ...]  # a multiple choice being composed
    previous: Any  # the answer given before going back, if any
    has_previous: bool
    can_back: bool


@dataclass(frozen=True, slots=True)
class ReviewView:
    answers: tuple[tuple[Question, Any], ...]  # every question visited; None: skipped


View = QuestionView | ReviewView


def view(consultation: Consultation, session: Session, context: Context) -> View:
    if session.current is None:
        visited = (consultation.question(key) for key in session.history)
        return ReviewView(tuple((q, session.answers.get(q.key)) for q in visited if q.asks))
    question = consultation.question(session.current)
    number, total = progress(consultation, session)
    return QuestionView(
        question=question,
        number=number,
        total=total,
        choices=choice_ids(question, context),
        selected=session.selection,
        previous=session.answers.get(question.key),
        has_previous=session.answers.get(question.key) is not None,
        can_back=bool(session.history),
    )


def progress(consultation: Consultation, session: Session) -> tuple[int, int]:
    """(the current question's number, how many questions there may be in all): those
    answered so far, plus those from here on whose conditions are not already false."""
    done = sum(1 for key in session.history if consultation.question(key).asks)
    if session.current is None:
        return done, done
    here = consultation.index(session.current)
    ahead = consultation.questions[here:]
    unknown = {question.key for question in ahead}
    coming = sum(
        1
        for question in ahead
        if question.asks
        and (question.relevant is None or decide(question.relevant, session.answers, unknown))
        is not False
    )
    return done + (1 if consultation.questions[here].asks else 0), done + coming
