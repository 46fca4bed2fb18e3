"""A consultation's results: per question, how many answered, counts and percentages of
each choice, averages of ratings and numbers, and the free-text answers; optionally for
one quarter, gender, age bracket or language only (`ResponseFilters`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from storage.repositories.answer_tallies import AnswerGroup, AnswerTallies, TallyPlan
from storage.repositories.consultations import AnswerRow, ResponseFilters
from storage.unit_of_work import UnitOfWork
from surveys.answers import ONE_ID, choice_label, reads_choice_list, text_writer, value_reader
from surveys.definitions import NO, RATINGS, YES, Consultation, Question
from surveys.texts import text_in

COUNTED = frozenset({"single_choice", "multiple_choice", "yes_no", "rating", "quarter"})
AVERAGED = frozenset({"rating", "number"})


@dataclass(frozen=True, slots=True)
class Count:
    choice: str
    label: str
    count: int
    percent: float  # of those who answered the question


@dataclass(frozen=True, slots=True)
class QuestionResult:
    question: Question
    label: str
    answered: int
    counts: tuple[Count, ...] = ()
    average: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: tuple[str, ...] = ()  # free text, dates, places, photo references


@dataclass(frozen=True, slots=True)
class Results:
    responses: int
    questions: tuple[QuestionResult, ...]


@dataclass
class _Column:
    answered: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    numbers: int = 0  # how many numbers, their sum, the smallest and the largest
    total: float = 0.0
    minimum: float | None = None
    maximum: float | None = None
    values: list[Any] = field(default_factory=list)

    def add_number(self, value: float) -> None:
        self.numbers += 1
        self.total += value
        self.minimum = value if self.minimum is None else min(self.minimum, value)
        self.maximum = value if self.maximum is None else max(self.maximum, value)


def stored_answers(consultation: Consultation, rows: Iterable[AnswerRow]) -> dict[str, Any]:
    """A response's answers as engine values, by question key (unknown keys left out)."""
    return AnswerReader(consultation)(rows)


class AnswerReader:
    """`stored_answers` for many responses of one consultation: each question's reader
    is chosen once, not once per answer. `choice_lists`: the questions whose rows'
    `choice_values` it reads."""

    def __init__(self, consultation: Consultation) -> None:
        self._readers = {question.key: value_reader(question) for question in consultation.asked}
        self.choice_lists = frozenset(q.key for q in consultation.asked if reads_choice_list(q))

    def __call__(self, rows: Iterable[AnswerRow]) -> dict[str, Any]:
        readers, answers = self._readers, {}
        for row in rows:
            read = readers.get(row.question_key)
            if read is not None:
                answers[row.question_key] = read(row)
        return answers


@dataclass(frozen=True, slots=True)
class _Plan:
    """What `Tally.add` does with one question's answers, worked out once."""

    key: str
    column: _Column
    counted: bool
    averaged: bool
    kept: bool


class Tally:
    """Adds responses one at a time (any number of them), then gives the results."""

    def __init__(self, consultation: Consultation) -> None:
        self.consultation = consultation
        self.responses = 0
        self._columns = {question.key: _Column() for question in consultation.asked}
        self._plans = tuple(
            _Plan(
                q.key,
                self._columns[q.key],
                counted=q.type in COUNTED,
                averaged=q.type in AVERAGED,
                kept=q.type not in COUNTED,
            )
            for q in consultation.asked
        )

    def add(self, answers: Mapping[str, Any]) -> None:
        self.responses += 1
        for plan in self._plans:
            value = answers.get(plan.key)
            if value is None:
                continue
            column = plan.column
            column.answered += 1
            if plan.counted and isinstance(value, list):
                column.counts.update(map(str, value))
            elif plan.counted:
                column.counts[str(value)] += 1
            if plan.averaged:
                column.add_number(float(value))
            if plan.kept:
                column.values.append(value)

    def results(self, language: str = "fr", builtin: Mapping[str, str] | None = None) -> Results:
        """The results, labels in `language`; `builtin` names yes/no (and "Other")."""
        builtin = builtin or {}
        return Results(
            self.responses,
            tuple(self._result(q, language, builtin) for q in self.consultation.asked),
        )

    def _result(
        self, question: Question, language: str, builtin: Mapping[str, str]
    ) -> QuestionResult:
        column = self._columns[question.key]
        return QuestionResult(
            question=question,
            label=text_in(self.consultation, question.label, language)[1],
            answered=column.answered,
            counts=self._counts(question, column, language, builtin),
            average=round(column.total / column.numbers, 2) if column.numbers else None,
            minimum=column.minimum,
            maximum=column.maximum,
            texts=self._texts(question, column, language, builtin),
        )

    def _texts(
        self, question: Question, column: _Column, language: str, builtin: Mapping[str, str]
    ) -> tuple[str, ...]:
        if question.type == "number":
            return ()
        text = text_writer(self.consultation, question, language, builtin)
        return tuple(map(text, column.values))

    def _counts(
        self, question: Question, column: _Column, language: str, builtin: Mapping[str, str]
    ) -> tuple[Count, ...]:
        if question.type not in COUNTED:
            return ()
        choices = _choice_order(question, column.counts)
        base = column.answered or 1
        return tuple(
            Count(
                choice,
                choice_label(self.consultation, question, choice, language, builtin),
                column.counts[choice],
                round(100 * column.counts[choice] / base, 1),
            )
            for choice in choices
        )


def _choice_order(question: Question, counts: Counter[str]) -> list[str]:
    """Every choice the question offers, in order (zeros included), then any other."""
    offered = {
        "yes_no": [YES, NO],
        "rating": [str(rating) for rating in RATINGS],
    }.get(question.type, [option.id for option in question.options])
    if question.type == "quarter":
        offered = [choice for choice, _ in counts.most_common()]
    return offered + [choice for choice in counts if choice not in offered]


# Which column of an answer row says a question was answered, by question type (a
# multiple choice is answered by its row, even with no choice ticked).
ANSWERED_BY = {
    **dict.fromkeys(ONE_ID, "text_value"),
    "rating": "number_value",
    "number": "number_value",
    "date": "date_value",
    "location": "latitude",
    "photo": "media_ref",
}


def tally_plan(consultation: Consultation, texts_limit: int | None) -> TallyPlan:
    asked = consultation.asked
    return TallyPlan(
        counted=[q.key for q in asked if q.type in COUNTED],
        others=[q.key for q in asked if q.type not in COUNTED],
        kept=[q.key for q in asked if q.type not in COUNTED and q.type != "number"],
        kept_limit=texts_limit,
    )


def _add_group(column: _Column, question: Question, group: AnswerGroup) -> None:
    """One group of same-valued answers, as if each had been added on its own."""
    if question.type == "multiple_choice":
        column.answered += group.count
        for choice in group.choice_values or ():
            column.counts[str(choice)] += group.count
    elif question.type == "rating" and group.number_value is not None:
        column.answered += group.count
        value = int(group.number_value)
        column.counts[str(value)] += group.count
        column.numbers += group.count
        column.total += value * group.count
        column.minimum = value if column.minimum is None else min(column.minimum, value)
        column.maximum = value if column.maximum is None else max(column.maximum, value)
    elif question.type in ONE_ID and group.text_value is not None:
        column.answered += group.count
        column.counts[group.text_value] += group.count


def tally_of(consultation: Consultation, counted: AnswerTallies) -> Tally:
    """The tally the answers counted by the database make, as if added one by one."""
    tally = Tally(consultation)
    tally.responses = counted.responses
    columns, questions = tally._columns, {q.key: q for q in consultation.asked}
    # Oldest first: each choice enters its Counter when it did one response at a time,
    # so `most_common` orders ties the same way.
    for group in sorted(counted.groups, key=lambda g: g.first_response):
        if group.question_key in questions:
            _add_group(columns[group.question_key], questions[group.question_key], group)
    for question in consultation.asked:
        if question.type in COUNTED:
            continue
        column = columns[question.key]
        by = ANSWERED_BY.get(question.type, "text_value")
        column.answered = counted.filled.get((question.key, by), 0)
        summary = counted.numbers.get(question.key)
        if summary is not None and question.type == "number":
            column.numbers, column.total = summary.count, summary.total
            column.minimum, column.maximum = summary.minimum, summary.maximum
    readers = {q.key: value_reader(q) for q in consultation.asked}
    for row in counted.kept:
        value = readers[row.question_key](row)
        if value is not None:
            columns[row.question_key].values.append(value)
    return tally


async def consultation_results(
    uow: UnitOfWork,
    consultation_id: int,
    consultation: Consultation,
    filters: ResponseFilters | None = None,
    *,
    language: str = "fr",
    builtin: Mapping[str, str] | None = None,
    texts_limit: int | None = None,
) -> Results:
    """The results of the stored responses that pass `filters`, counted by the database;
    `texts_limit`: at most that many free-text (date, place, photo) answers per question,
    the oldest first (None: all)."""
    plan = tally_plan(consultation, texts_limit)
    counted = await uow.answer_tallies.tally(consultation_id, filters or ResponseFilters(), plan)
    return tally_of(consultation, counted).results(language, builtin)
