"""Consultations as stored: the definition of a record (built once, then cached), whether
one accepts answers on a day, and whom it targets (the citizens a broadcast would reach)."""

from __future__ import annotations

import json
from datetime import date

from storage.models import Citizen, ConsultationRecord
from storage.repositories.consultations import OPEN
from storage.unit_of_work import UnitOfWork
from surveys.definitions import Consultation
from surveys.documents import consultation_from_document

_BUILT: dict[str, Consultation] = {}
CACHE_SIZE = 128


def definition_of(record: ConsultationRecord) -> Consultation:
    """The consultation a record holds (it was checked when it was loaded)."""
    text = json.dumps(record.definition, sort_keys=True, ensure_ascii=False)
    built = _BUILT.get(text)
    if built is None:
        if len(_BUILT) >= CACHE_SIZE:
            _BUILT.clear()
        built = _BUILT[text] = consultation_from_document(record.definition)
    return built


def accepts_answers(record: ConsultationRecord, consultation: Consultation, today: date) -> bool:
    """Open (by staff) and within its dates (`today` in the commune's zone)."""
    return record.status == OPEN and consultation.accepts_on(today)


def includes(consultation: Consultation, citizen: Citizen) -> bool:
    """Whether the consultation's target includes this citizen."""
    return consultation.segment.includes(
        quarter=citizen.quarter,
        language=citizen.language,
        gender=citizen.gender,
        age_bracket=citizen.age_bracket,
    )


async def segment_citizens(uow: UnitOfWork, consultation: Consultation) -> list[Citizen]:
    """The citizens a consultation targets (for broadcasts announcing it), those who
    blocked the bot included: their announcement waits until they unblock it."""
    segment = consultation.segment
    languages = sorted({language.split("-")[0] for language in segment.languages})
    return await uow.consultations.citizens_in_segment(
        quarters=segment.quarters,
        languages=languages,
        genders=segment.genders,
        age_brackets=segment.age_brackets,
    )
