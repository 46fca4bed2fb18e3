"""The survey engine, pure: a session plus an input give a new session and events. Every
question type, the validation re-prompts, Back, Skip, skip logic both ways, progress and
the review."""

from __future__ import annotations

from typing import Any

import pytest

from surveys.definitions import Consultation
from surveys.documents import consultation_from_document
from surveys.engine import (
    Answered,
    Context,
    Control,
    Located,
    Outcome,
    Photographed,
    Picked,
    Session,
    Skipped,
    Submitted,
    Typed,
    Unreadable,
    WentBack,
    advance,
    resumable,
    start,
)
from surveys.inputs import Rejected
from surveys.views import QuestionView, ReviewView, progress, view
from tests.consultations import small_document

CONTEXT = Context(quarters=("Derb Jdid", "Medina", "Other"))
CHOICES = [{"id": i, "label": {"fr": i.title()}} for i in ("walk", "bike", "car")]


def q(key: str, kind: str, **more: Any) -> dict[str, Any]:
    return {"key": key, "type": kind, "label": {"fr": key}, **more}


def every_type() -> Consultation:
    return consultation_from_document(
        small_document(
            questions=[
                q("intro", "note"),
                q("mode", "single_choice", choices=CHOICES),
                q("modes", "multiple_choice", choices=CHOICES),
                q("ok", "yes_no"),
                q("score", "rating"),
                q("age", "number", min=0, max=120),
                q("budget", "number", integer=False, min=0.5),
                q("name", "text"),
                q("story", "long_text", required=False),
                q("day", "date"),
                q("quarter", "quarter"),
                q("spot", "location", required=False),
                q("photo", "photo", required=False),
            ]
        )
    )


def play(consultation: Consultation, *actions: Any) -> Outcome:
    session = start(consultation, "2026-12-03T09:00:00+00:00")
    outcome = Outcome(session)
    for action in actions:
        outcome = advance(consultation, outcome.session, action, CONTEXT)
    return outcome


def rejected(outcome: Outcome) -> str | None:
    found = outcome.first(Rejected)
    return None if found is None else found.message


ALL_ANSWERS = (
    Control.NEXT,
    Picked(1),
    Picked(0),
    Picked(2),
    Control.DONE,
    Picked(0),
    Typed("4"),
    Typed("٤٢"),
    Typed("12,5"),
    Typed("Amina"),
    Control.SKIP,
    Typed("31/12/2026"),
    Picked(1),
    Located(30.47, -8.87),
    Photographed("photo-ref-1"),
)


def test_every_type_is_answered_and_submitted():
    consultation = every_type()
    at_review = play(consultation, *ALL_ANSWERS)
    assert at_review.session.current is None
    submitted = advance(consultation, at_review.session, Control.SUBMIT, CONTEXT).first(Submitted)
    assert dict(submitted.answers) == {
        "mode": "bike",
        "modes": ["walk", "car"],
        "ok": "yes",
        "score": 4,
        "age": 42,
        "budget": 12.5,
        "name": "Amina",
        "day": "2026-12-31",
        "quarter": "Medina",
        "spot": [30.47, -8.87],
        "photo": "photo-ref-1",
    }, "skipped questions and notes record nothing"
    assert submitted.started_at == "2026-12-03T09:00:00+00:00"


def test_the_review_lists_every_question_asked_skipped_ones_included():
    shown = view(every_type(), play(every_type(), *ALL_ANSWERS).session, CONTEXT)
    assert isinstance(shown, ReviewView)
    assert [question.key for question, _ in shown.answers][6:8] == ["name", "story"]
    assert shown.answers[7][1] is None


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ((Control.NEXT, Typed("hello")), "consultation.error.choose"),
        ((Control.NEXT, Picked(7)), "consultation.error.choose"),
        ((Control.NEXT, Picked(0), Control.DONE), "consultation.error.pick_one"),
        ((Control.NEXT, Picked(0), Typed("plane")), "consultation.error.choose_many"),
        (
            (Control.NEXT, Picked(0), Picked(0), Control.DONE, Located(1, 2)),
            "consultation.error.choose",
        ),
        ((*ALL_ANSWERS[:6], Typed("7")), "consultation.error.rating"),
        ((*ALL_ANSWERS[:7], Typed("quarante")), "consultation.error.number"),
        ((*ALL_ANSWERS[:7], Typed("121")), "consultation.error.range"),
        ((*ALL_ANSWERS[:7], Typed("4.5")), "consultation.error.integer"),
        ((*ALL_ANSWERS[:8], Typed("0,1")), "consultation.error.min"),
        ((*ALL_ANSWERS[:9], Control.SKIP), "consultation.error.required"),
        ((*ALL_ANSWERS[:9], Located(1, 2)), "consultation.error.text"),
        ((*ALL_ANSWERS[:11], Typed("31/02/2026")), "consultation.error.date_impossible"),
        ((*ALL_ANSWERS[:11], Typed("next tuesday")), "consultation.error.date"),
        ((*ALL_ANSWERS[:13], Typed("near the mosque")), "consultation.error.location"),
        ((*ALL_ANSWERS[:14], Unreadable()), "consultation.error.photo"),
        ((Typed("ok"),), "consultation.error.note"),
        ((Control.BACK,), "consultation.error.first"),
    ],
)
def test_wrong_inputs_are_refused_and_the_question_stays(steps, message):
    before = play(every_type(), *steps[:-1]).session
    outcome = advance(every_type(), before, steps[-1], CONTEXT)
    assert rejected(outcome) == message
    assert outcome.session == before


def test_bounds_travel_with_the_refusal():
    outcome = play(every_type(), *ALL_ANSWERS[:7], Typed("300"))
    assert outcome.first(Rejected).params == {"min": "0", "max": "120"}


def test_a_text_too_long_for_a_short_answer():
    outcome = play(every_type(), *ALL_ANSWERS[:9], Typed("x" * 301))
    assert rejected(outcome) == "consultation.error.text_long"


def test_choices_can_be_typed_by_label_in_any_language():
    consultation = consultation_from_document(
        small_document(
            languages=["fr"],
            questions=[
                q(
                    "mode",
                    "single_choice",
                    choices=[{"id": "walk", "label": {"fr": "À pied", "ary": "على رجلي"}}],
                )
            ],
        )
    )
    assert play(consultation, Typed("على رجلي")).first(Answered) == Answered("mode", "walk")
    assert play(consultation, Typed("à PIED")).first(Answered) == Answered("mode", "walk")


def test_multiple_choice_toggles_then_done():
    outcome = play(every_type(), Control.NEXT, Picked(0), Picked(2), Picked(1), Picked(2))
    assert outcome.session.selection == ("bike",)
    assert outcome.session.current == "modes"
    done = advance(every_type(), outcome.session, Control.DONE, CONTEXT)
    assert done.first(Answered) == Answered("modes", ["bike"])


def test_back_returns_to_the_previous_question_with_its_answer_kept():
    consultation = every_type()
    outcome = play(consultation, Control.NEXT, Picked(1), Picked(0), Picked(2), Control.DONE)
    back = advance(consultation, outcome.session, Control.BACK, CONTEXT)
    assert back.first(WentBack) == WentBack("modes")
    assert back.session.current == "modes"
    assert back.session.selection == ("walk", "car"), "the earlier selection is shown again"
    again = advance(consultation, back.session, Control.BACK, CONTEXT)
    assert again.session.current == "mode"
    shown = view(consultation, again.session, CONTEXT)
    assert isinstance(shown, QuestionView) and shown.previous == "bike" and shown.has_previous
    kept = advance(consultation, again.session, Control.KEEP, CONTEXT)
    assert kept.first(Answered) == Answered("mode", "bike")
    assert kept.session.current == "modes"


def test_keep_without_an_earlier_answer_is_refused():
    assert rejected(play(every_type(), Control.NEXT, Control.KEEP)) == "consultation.error.choose"


def skip_logic() -> Consultation:
    return consultation_from_document(
        small_document(
            questions=[
                q("lives", "yes_no"),
                q("years", "number", relevant="${lives} = 'yes'"),
                q("street", "text", relevant="${lives} = 'yes' and ${years} > 5"),
                q("score", "rating"),
            ]
        )
    )


def test_skip_logic_moving_forward():
    consultation = skip_logic()
    no = play(consultation, Picked(1))
    assert no.session.current == "score", "years and street do not apply"
    yes = play(consultation, Picked(0), Typed("3"))
    assert yes.session.current == "score", "street applies after more than 5 years only"
    long = play(consultation, Picked(0), Typed("12"))
    assert long.session.current == "street"


def test_skip_logic_moving_back_and_changing_an_answer():
    consultation = skip_logic()
    outcome = play(consultation, Picked(0), Typed("12"), Typed("Derb Jdid"))
    assert outcome.session.current == "score"
    back = advance(consultation, outcome.session, Control.BACK, CONTEXT)
    assert back.session.current == "street"
    back = advance(consultation, back.session, Control.BACK, CONTEXT)
    back = advance(consultation, back.session, Control.BACK, CONTEXT)
    assert back.session.current == "lives"
    changed = advance(consultation, back.session, Picked(1), CONTEXT)
    assert changed.session.current == "score"
    assert "years" not in changed.session.answers and "street" not in changed.session.answers
    reviewed = advance(consultation, changed.session, Typed("5"), CONTEXT)
    back_from_review = advance(consultation, reviewed.session, Control.BACK, CONTEXT)
    assert back_from_review.session.current == "score"
    back_again = advance(consultation, back_from_review.session, Control.BACK, CONTEXT)
    assert back_again.session.current == "lives", "Back never lands on a skipped question"
    submitted = advance(consultation, reviewed.session, Control.SUBMIT, CONTEXT).first(Submitted)
    assert dict(submitted.answers) == {"lives": "no", "score": 5}


def test_progress_counts_the_questions_that_may_still_apply():
    consultation = skip_logic()
    assert progress(consultation, start(consultation, "t")) == (1, 4)
    assert progress(consultation, play(consultation, Picked(1)).session) == (2, 2)
    assert progress(consultation, play(consultation, Picked(0)).session) == (2, 4)
    assert progress(consultation, play(consultation, Picked(0), Typed("2")).session) == (3, 3)


def test_notes_are_not_numbered():
    consultation = every_type()
    shown = view(consultation, start(consultation, "t"), CONTEXT)
    assert isinstance(shown, QuestionView) and shown.number == 0 and shown.total == 12
    after = view(consultation, play(consultation, Control.NEXT).session, CONTEXT)
    assert (after.number, after.total) == (1, 12)


def test_skipping_an_optional_question():
    consultation = consultation_from_document(small_document())
    outcome = play(consultation, Picked(0), Control.SKIP)
    assert outcome.first(Skipped) == Skipped("why")
    assert outcome.session.answers["why"] is None


def test_the_review_takes_submit_or_back_only():
    consultation = skip_logic()
    at_review = play(consultation, Picked(1), Picked(4))
    assert rejected(advance(consultation, at_review.session, Typed("ok"), CONTEXT)) == (
        "consultation.error.review"
    )


def test_sessions_survive_a_round_trip_through_json():
    consultation = every_type()
    session = play(consultation, Control.NEXT, Picked(1), Picked(0)).session
    assert Session.from_dict(session.to_dict()) == session
    assert resumable(consultation, session)
    assert not resumable(skip_logic(), session)
