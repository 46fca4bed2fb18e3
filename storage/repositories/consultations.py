"""Consultations: their definitions and status, the responses submitted (one row per
answer), the responses read back in batches for results and exports, and the citizens a
consultation targets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Citizen, ConsultationAnswer, ConsultationRecord, ConsultationResponse

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
STATUSES = (DRAFT, OPEN, CLOSED)


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
        found: list[ColumnElement[bool]] = []
        for column, value in (
            (ConsultationResponse.quarter, self.quarter),
            (ConsultationResponse.gender, self.gender),
            (ConsultationResponse.age_bracket, self.age_bracket),
        ):
            if value is not None:
                found.append(column == value)
        if self.language is not None and "-" in self.language:
            found.append(ConsultationResponse.locale == self.language)
        elif self.language is not None:
            found.append(ConsultationResponse.language == self.language)
        return found


ResponseWithAnswers = tuple[ConsultationResponse, list[ConsultationAnswer]]


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
        self, consultation_id: int, filters: ResponseFilters, *, batch: int = 500
    ) -> AsyncIterator[list[ResponseWithAnswers]]:
        """The responses (oldest first) with their answers, `batch` at a time, so results
        and exports of any size run in bounded memory."""
        after = 0
        while True:
            statement = (
                select(ConsultationResponse)
                .where(
                    ConsultationResponse.consultation_id == consultation_id,
                    ConsultationResponse.id > after,
                    *filters.conditions(),
                )
                .order_by(ConsultationResponse.id)
                .limit(batch)
            )
            found = list((await self._session.execute(statement)).scalars())
            if not found:
                return
            yield await self._with_answers(found)
            after = found[-1].id

    async def _with_answers(
        self, responses: list[ConsultationResponse]
    ) -> list[ResponseWithAnswers]:
        ids = [response.id for response in responses]
        statement = select(ConsultationAnswer).where(ConsultationAnswer.response_id.in_(ids))
        grouped: dict[int, list[ConsultationAnswer]] = {response_id: [] for response_id in ids}
        for answer in (await self._session.execute(statement)).scalars():
            grouped[answer.response_id].append(answer)
        return [(response, grouped[response.id]) for response in responses]

    async def count_of_citizen(self, citizen_id: int) -> int:
        """How many responses carry this citizen's id (anonymous ones do not)."""
        statement = select(func.count(ConsultationResponse.id)).where(
            ConsultationResponse.citizen_id == citizen_id
        )
        return (await self._session.execute(statement)).scalar_one()

    # --- targeting ----------------------------------------------------------------------
    async def citizens_in_segment(
        self,
        *,
        quarters: Sequence[str] = (),
        languages: Sequence[str] = (),
        genders: Sequence[str] = (),
        age_brackets: Sequence[str] = (),
        reachable_only: bool = True,
    ) -> list[Citizen]:
        """Citizens a segment includes (an unknown quarter, gender or age excludes no one),
        oldest first: who a broadcast of a consultation goes to."""
        statement = select(Citizen).order_by(Citizen.id)
        for column, wanted in (
            (Citizen.quarter, quarters),
            (Citizen.language, languages),
            (Citizen.gender, genders),
            (Citizen.age_bracket, age_brackets),
        ):
            if wanted:
                statement = statement.where(or_(column.is_(None), column.in_(list(wanted))))
        if reachable_only:
            statement = statement.where(Citizen.reachable.is_(True))
        return list((await self._session.execute(statement)).scalars())
