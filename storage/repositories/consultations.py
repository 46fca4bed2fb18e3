"""Consultations: their definitions and status, the responses submitted (one row per
answer), the responses read back in batches for results and exports, and the citizens a
consultation targets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Citizen, ConsultationAnswer, ConsultationRecord, ConsultationResponse

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
STATUSES = (DRAFT, OPEN, CLOSED)
RESPONSES = ConsultationResponse.__table__
ANSWERS = ConsultationAnswer.__table__


class NotADraft(ValueError):
    """A consultation already opened keeps its definition (answers refer to it)."""


@dataclass(frozen=True, slots=True)
class ResponseFilters:
    """Which responses to read; None: any. `language` is a language (`ary`) or, with a
    script, a locale (`ary-Latn`)."""

    quarter: str | None = None
    gender: str | None = None
    age_bracket: str | None = None
    language: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        # Table columns, not ORM attributes: a statement of plain columns then skips the
        # ORM's loading (much slower per row), see `ConsultationRepository.responses`.
        found: list[ColumnElement[bool]] = []
        for column, value in (
            (RESPONSES.c.quarter, self.quarter),
            (RESPONSES.c.gender, self.gender),
            (RESPONSES.c.age_bracket, self.age_bracket),
        ):
            if value is not None:
                found.append(column == value)
        if self.language is not None and "-" in self.language:
            found.append(RESPONSES.c.locale == self.language)
        elif self.language is not None:
            found.append(RESPONSES.c.language == self.language)
        return found


class StoredResponse(NamedTuple):
    """A response as `responses` reads it: a plain tuple of its columns, not an ORM object
    (an object or a SQLAlchemy row per row read made most of the time of results)."""

    id: int
    consultation_id: int
    citizen_id: int | None
    dedupe_token: str
    sequence: int
    started_at: datetime
    submitted_at: datetime
    locale: str
    language: str
    quarter: str | None
    gender: str | None
    age_bracket: str | None


class StoredAnswer(NamedTuple):
    """An answer as `responses` reads it (see `StoredResponse`)."""

    response_id: int
    question_key: str
    text_value: str | None
    number_value: float | None
    date_value: date | None
    choice_values: list[str] | None
    latitude: float | None
    longitude: float | None
    media_ref: str | None


class AnswerRow(Protocol):
    """What readers of answers use: a `StoredAnswer` or a `ConsultationAnswer`."""

    @property
    def question_key(self) -> str: ...
    @property
    def text_value(self) -> str | None: ...
    @property
    def number_value(self) -> float | None: ...
    @property
    def date_value(self) -> date | None: ...
    @property
    def choice_values(self) -> list[str] | None: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...
    @property
    def media_ref(self) -> str | None: ...


ResponseWithAnswers = tuple[StoredResponse, list[StoredAnswer]]
RESPONSE_COLUMNS = [RESPONSES.c[name] for name in StoredResponse._fields]


def answer_columns_read(choice_lists: Collection[str] | None) -> list[ColumnElement[Any]]:
    """The columns of `StoredAnswer`, `choice_values` only for the `choice_lists`
    questions."""
    columns: list[ColumnElement[Any]] = [ANSWERS.c[name] for name in StoredAnswer._fields]
    if choice_lists is not None:
        read = ANSWERS.c.question_key.in_(list(choice_lists))
        choices = case((read, ANSWERS.c.choice_values), else_=None).label("choice_values")
        columns = [choices if column.name == "choice_values" else column for column in columns]
    return columns


class ConsultationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- definitions and status ---------------------------------------------------------
    async def save(self, key: str, definition: dict[str, Any], now: datetime) -> bool:
        """Store a new consultation as a draft, or replace a draft's definition; True when
        it is new. NotADraft once it was opened."""
        record = await self.find(key)
        if record is None:
            self._session.add(
                ConsultationRecord(
                    key=key, definition=definition, status=DRAFT, created_at=now, updated_at=now
                )
            )
            await self._session.flush()
            return True
        if record.status != DRAFT:
            raise NotADraft(key)
        record.definition, record.updated_at = definition, now
        return False

    async def find(self, key: str) -> ConsultationRecord | None:
        statement = select(ConsultationRecord).where(ConsultationRecord.key == key)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def get(self, consultation_id: int) -> ConsultationRecord | None:
        return await self._session.get(ConsultationRecord, consultation_id)

    async def all(self) -> list[ConsultationRecord]:
        statement = select(ConsultationRecord).order_by(ConsultationRecord.id)
        return list((await self._session.execute(statement)).scalars())

    async def open_ones(self) -> list[ConsultationRecord]:
        statement = (
            select(ConsultationRecord)
            .where(ConsultationRecord.status == OPEN)
            .order_by(ConsultationRecord.opened_at, ConsultationRecord.id)
        )
        return list((await self._session.execute(statement)).scalars())

    async def set_status(self, record: ConsultationRecord, status: str, now: datetime) -> None:
        record.status, record.updated_at = status, now
        if status == OPEN:
            record.opened_at, record.closed_at = now, None
        elif status == CLOSED:
            record.closed_at = now

    # --- responses ----------------------------------------------------------------------
    async def count_responses(self, consultation_id: int, dedupe_token: str | None = None) -> int:
        """All responses to a consultation, or those of one citizen (by their token)."""
        statement = select(func.count(ConsultationResponse.id)).where(
            ConsultationResponse.consultation_id == consultation_id
        )
        if dedupe_token is not None:
            statement = statement.where(ConsultationResponse.dedupe_token == dedupe_token)
        return (await self._session.execute(statement)).scalar_one()

    async def answered(self, consultation_id: int, tokens: Sequence[str]) -> set[str]:
        """Which of these once-only tokens have a response to the consultation."""
        found: set[str] = set()
        for start in range(0, len(tokens), 1000):  # bounded IN lists
            statement = select(ConsultationResponse.dedupe_token).where(
                ConsultationResponse.consultation_id == consultation_id,
                ConsultationResponse.dedupe_token.in_(tokens[start : start + 1000]),
            )
            found.update((await self._session.execute(statement)).scalars())
        return found

    async def add_response(self, values: dict[str, Any], answers: Sequence[dict[str, Any]]) -> int:
        """Store a response and its answers (one row each); its id."""
        response = ConsultationResponse(**values)
        self._session.add(response)
        await self._session.flush()
        self._session.add_all(
            ConsultationAnswer(response_id=response.id, **answer) for answer in answers
        )
        await self._session.flush()
        return response.id

    async def responses(
        self,
        consultation_id: int,
        filters: ResponseFilters,
        *,
        batch: int = 2000,
        choice_lists: Collection[str] | None = None,
    ) -> AsyncIterator[list[ResponseWithAnswers]]:
        """The responses (oldest first) with their answers, `batch` at a time, so results
        and exports of any size run in bounded memory. Plain rows, not ORM objects: building
        an object per answer row was most of the time of results and exports.

        `choice_lists`: the questions whose answers' `choice_values` are read (None: all);
        the others' are None (decoding JSON that a reader ignores costs as much as reading
        the rest of the row)."""
        chosen = [RESPONSES.c.consultation_id == consultation_id, *filters.conditions()]
        answers = answer_columns_read(choice_lists)
        after = 0
        while True:
            statement = (
                select(*RESPONSE_COLUMNS)
                .where(*chosen, RESPONSES.c.id > after)
                .order_by(RESPONSES.c.id)
                .limit(batch)
            )
            result = await self._session.execute(statement)
            found = [StoredResponse._make(row) for row in result]
            if not found:
                return
            window = [RESPONSES.c.id > after, RESPONSES.c.id <= found[-1].id]
            yield await self._with_answers(found, answers, [*chosen, *window])
            after = found[-1].id

    async def _with_answers(
        self,
        responses: list[StoredResponse],
        columns: list[ColumnElement[Any]],
        chosen: list[ColumnElement[bool]],
    ) -> list[ResponseWithAnswers]:
        """The answers of `responses`, read by the same conditions (and their id range)
        rather than a list of thousands of ids."""
        statement = (
            select(*columns)
            .join_from(ANSWERS, RESPONSES, ANSWERS.c.response_id == RESPONSES.c.id)
            .where(*chosen)
        )
        grouped: dict[int, list[StoredAnswer]] = {response.id: [] for response in responses}
        for row in await self._session.execute(statement):
            answer = StoredAnswer._make(row)
            grouped[answer.response_id].append(answer)
        return [(response, grouped[response.id]) for response in responses]

    async def count_of_citizen(self, citizen_id: int) -> int:
        """How many responses carry this citizen's id (anonymous ones do not)."""
        statement = select(func.count(ConsultationResponse.id)).where(
            ConsultationResponse.citizen_id == citizen_id
        )
        return (await self._session.execute(statement)).scalar_one()

    async def answers_of_citizen(
        self, citizen_id: int
    ) -> list[tuple[ConsultationResponse, list[ConsultationAnswer]]]:
        """The responses carrying the citizen's id, oldest first, each with its answers
        (for My data: the citizen sees what they said, not only how often)."""
        responses = list(
            (
                await self._session.execute(
                    select(ConsultationResponse)
                    .where(ConsultationResponse.citizen_id == citizen_id)
                    .order_by(ConsultationResponse.submitted_at, ConsultationResponse.id)
                )
            ).scalars()
        )
        if not responses:
            return []
        answers = (
            await self._session.execute(
                select(ConsultationAnswer)
                .where(ConsultationAnswer.response_id.in_([r.id for r in responses]))
                .order_by(ConsultationAnswer.id)
            )
        ).scalars()
        by_response: dict[int, list[ConsultationAnswer]] = {r.id: [] for r in responses}
        for answer in answers:
            by_response[answer.response_id].append(answer)
        return [(response, by_response[response.id]) for response in responses]

    async def erase_of_citizen(self, citizen_id: int) -> None:
        """Delete the responses that carry a citizen's id, and their answers with them
        (anonymous responses carry none: nothing links them to anyone)."""
        await self._session.execute(
            delete(ConsultationResponse).where(ConsultationResponse.citizen_id == citizen_id)
        )

    # --- targeting ----------------------------------------------------------------------
    async def citizens_in_segment(
        self,
        *,
        quarters: Sequence[str] = (),
        languages: Sequence[str] = (),
        genders: Sequence[str] = (),
        age_brackets: Sequence[str] = (),
    ) -> list[Citizen]:
        """Citizens known to be in a segment, oldest first: who a broadcast goes to (an
        unknown quarter, gender or age is outside any segment that selects on it). Those
        who blocked the bot are included: their messages wait in the outbox until they
        unblock it, like any other."""
        statement = select(Citizen).order_by(Citizen.id)
        for column, wanted in (
            (Citizen.quarter, quarters),
            (Citizen.language, languages),
            (Citizen.gender, genders),
            (Citizen.age_bracket, age_brackets),
        ):
            if wanted:
                statement = statement.where(column.in_(list(wanted)))
        return list((await self._session.execute(statement)).scalars())
