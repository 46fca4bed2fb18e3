"""How a consultation looks in chat: the current question with its progress and buttons
(short opaque ids: a choice's position, never its label), and the review before sending.
Consultation texts come from the consultation file in the citizen's language (Tachelhit
transliterated for Tifinagh and Arabic-script readers), else the next of its fallbacks,
which the intro then says; the bot's own words come from the catalogs."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.languages import LOCALES, derive_text, is_rtl, place_name, translate
from handlers.menu import in_rows
from handlers.turns import Turn
from handlers.types import Button
from surveys.definitions import RATINGS, Consultation, Question, Texts
from surveys.engine import Control
from surveys.texts import text_in
from surveys.views import QuestionView, ReviewView

CHOICE, LATER = "c", "m"
CONTROL_IDS = {
    Control.BACK: "b",
    Control.SKIP: "s",
    Control.DONE: "d",
    Control.KEEP: "k",
    Control.NEXT: "n",
    Control.SUBMIT: "ok",
}
INSTRUCTIONS = {
    "multiple_choice": "consultation.hint.multiple",
    "rating": "consultation.hint.rating",
    "number": "consultation.hint.number",
    "text": "consultation.hint.text",
    "long_text": "consultation.hint.text",
    "date": "consultation.hint.date",
    "location": "consultation.hint.location",
    "photo": "consultation.hint.photo",
}
OTHER_QUARTER = "Other"
REVIEW_TEXT_LENGTH = 120


def text_of(turn: Turn, consultation: Consultation, texts: Texts | None) -> str:
    """A consultation text for this citizen: their language, else the fallback order."""
    return text_for(consultation, texts, turn.locale)


def own_language(locale: str) -> str:
    """The consultation language a reader of `locale` reads as their own: the locale, or
    the one it is transliterated from (`shi` for `shi-Tfng` and `shi-Arab`)."""
    info = LOCALES.get(locale)
    return info.language if info is not None and info.derived_by else locale


def text_for(consultation: Consultation, texts: Texts | None, locale: str) -> str:
    """A consultation text for a reader of `locale` (Tifinagh and Arabic-script readers get
    the `shi` text transliterated)."""
    language, text = text_in(consultation, texts, locale)
    return derive_text(locale, text) if language == own_language(locale) else text


def translation_gap(consultation: Consultation, locale: str) -> str | None:
    """The note telling a reader the consultation is not written in their language, naming
    the one they read it in (its intro's); None when it is theirs, transliterated or not."""
    language, _ = text_in(consultation, consultation.intro, locale)
    if language in ("", own_language(locale)):
        return None
    name = translate(locale, f"language.name_of.{language}")
    return translate(locale, "consultation.translation_gap", language=name)


def introduction(consultation: Consultation, locale: str) -> str:
    """A consultation's intro for a reader of `locale`, after the translation-gap note when
    it is not in their language."""
    intro = text_for(consultation, consultation.intro, locale)
    gap = translation_gap(consultation, locale)
    return f"{gap}\n\n{intro}" if gap else intro


def intro_text(consultation: Consultation, locale: str) -> str:
    """What a consultation says before its questions: title, intro (told first, in the
    reader's language, when it is not theirs), privacy note."""
    parts = [f"🗳️ {text_for(consultation, consultation.title, locale)}"]
    parts += [introduction(consultation, locale)]
    parts += [text_for(consultation, consultation.privacy, locale)]
    if consultation.anonymous:
        parts.append(translate(locale, "consultation.anonymous"))
    return "\n\n".join(parts)


def choice_label(turn: Turn, consultation: Consultation, question: Question, choice: str) -> str:
    if question.type == "yes_no":
        return turn.t(f"consultation.{choice}")
    if question.type == "rating":
        return f"{choice} ⭐"
    if question.type == "quarter":
        if choice == OTHER_QUARTER:
            return turn.t("consultation.quarter_other")
        return place_name(turn.locale, choice)
    option = next((o for o in question.options if o.id == choice), None)
    return text_of(turn, consultation, option.label) if option else choice


def control(turn: Turn, action: Control, label_key: str) -> Button:
    return turn.button(CONTROL_IDS[action], turn.t(label_key))


def show_question(turn: Turn, consultation: Consultation, view: QuestionView) -> None:
    """The question, its progress and what the citizen can press."""
    question = view.question
    lines = [f"🗳️ {text_of(turn, consultation, consultation.title)}"]
    if view.number:
        lines[0] += " — " + turn.t("consultation.progress", number=view.number, total=view.total)
    lines += ["", text_of(turn, consultation, question.label)]
    if question.hint:
        lines.append(text_of(turn, consultation, question.hint))
    if question.type in INSTRUCTIONS:
        lines.append(_instruction(turn, question))
    if view.has_previous:
        shown = answer_shown(turn, consultation, question, view.previous)
        lines.append(turn.t("consultation.previous", answer=shown))
    buttons = [*_choice_rows(turn, consultation, view), _controls(turn, view)]
    turn.say("\n".join(lines), buttons, number_expected=view.question.type == "number")


def _instruction(turn: Turn, question: Question) -> str:
    low, high = question.minimum, question.maximum
    if question.type == "number" and low is not None and high is not None:
        return turn.t("consultation.hint.number_range", min=_number(low), max=_number(high))
    return turn.t(INSTRUCTIONS[question.type], min=RATINGS[0], max=RATINGS[-1])


def _choice_rows(turn: Turn, consultation: Consultation, view: QuestionView) -> list[list[Button]]:
    question = view.question
    buttons = []
    for position, choice in enumerate(view.choices):
        label = choice_label(turn, consultation, question, choice)
        if question.type == "multiple_choice":
            label = ("✅ " if choice in view.selected else "⬜ ") + label
        buttons.append(turn.button(f"{CHOICE}{position}", label))
    if question.type in ("rating", "yes_no"):
        return [buttons]
    per_row = 2 if question.type == "quarter" else 1
    return in_rows(buttons, per_row)


def _controls(turn: Turn, view: QuestionView) -> list[Button]:
    question = view.question
    row = []
    if view.can_back:
        row.append(control(turn, Control.BACK, "consultation.back"))
    if question.type == "multiple_choice":
        row.append(control(turn, Control.DONE, "consultation.done"))
    if question.type == "note":
        row.append(control(turn, Control.NEXT, "consultation.next"))
    if view.has_previous:
        row.append(control(turn, Control.KEEP, "consultation.keep"))
    if not question.required and question.asks:
        row.append(control(turn, Control.SKIP, "consultation.skip"))
    row.append(turn.button(LATER, turn.t("consultation.later")))
    return row


def show_review(turn: Turn, consultation: Consultation, view: ReviewView) -> None:
    """Every answer, then Send (or Back to change the last one)."""
    lines = [
        turn.t("consultation.review.title", title=text_of(turn, consultation, consultation.title))
    ]
    for number, (question, value) in enumerate(view.answers, start=1):
        label = text_of(turn, consultation, question.label)
        shown = answer_shown(turn, consultation, question, value)
        lines.append(f"{number}. {label}\n   → {shown}")
    lines.append(turn.t("consultation.review.confirm"))
    buttons = [
        [control(turn, Control.SUBMIT, "consultation.submit")],
        [
            control(turn, Control.BACK, "consultation.back"),
            turn.button(LATER, turn.t("consultation.later")),
        ],
    ]
    turn.say("\n\n".join(lines), buttons)


def answer_shown(turn: Turn, consultation: Consultation, question: Question, value: Any) -> str:
    """An answer as the citizen reads it back."""
    if value is None:
        return turn.t("consultation.skipped")
    kind = question.type
    if kind == "multiple_choice":
        separator = "، " if is_rtl(turn.locale) else ", "
        return separator.join(choice_label(turn, consultation, question, c) for c in value)
    if kind in ("single_choice", "yes_no", "quarter"):
        return choice_label(turn, consultation, question, str(value))
    if kind == "rating":
        return f"{value}/{RATINGS[-1]}"
    if kind == "date":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if kind == "location":
        return f"📍 {value[0]:.5f}, {value[1]:.5f}"
    if kind == "photo":
        return "📷 " + turn.t("consultation.photo_received")
    if kind == "number":
        return _number(float(value))
    text = str(value)
    return text if len(text) <= REVIEW_TEXT_LENGTH else text[: REVIEW_TEXT_LENGTH - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")
