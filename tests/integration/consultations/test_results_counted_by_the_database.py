"""Results counted by the database (grouped queries) read exactly as results counted one
response at a time in Python — the way they were counted before, kept here as the
reference — on SQLite and PostgreSQL, with and without filters; and free-text answers
come back oldest first, at most as many as asked for."""

from __future__ import annotations

import pytest

from bench.results import document, fill
from handlers.consultations import builtin_labels
from storage.repositories.consultations import ResponseFilters
from surveys.results import AnswerReader, Results, Tally, consultation_results
from tests.consultations import MEDINA, open_consultation
from tests.integration.consultations.test_results import NOW, RESPONSES, store

FILTERS = [
    ResponseFilters(),
    ResponseFilters(quarter="Medina"),
    ResponseFilters(gender="female"),
    ResponseFilters(language="ar"),
    ResponseFilters(quarter="Nowhere"),
]


async def one_by_one(uow, record_id, consultation, filters, language) -> Results:
    """The reference: every response read back and added to a Tally in Python."""
    tally, read = Tally(consultation), AnswerReader(consultation)
    async for batch in uow.consultations.responses(record_id, filters):
        for _response, rows in batch:
            tally.add(read(rows))
    return tally.results(language, builtin_labels(language))


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
async def test_the_medina_results_read_the_same_both_ways(db, filters):
    record_id, consultation = await open_consultation(db, MEDINA, NOW)
    await store(db, record_id, consultation, RESPONSES)
    async with db.transaction() as uow:
        for language in ("fr", "ar"):
            expected = await one_by_one(uow, record_id, consultation, filters, language)
            counted = await consultation_results(
                uow, record_id, consultation, filters, language=language,
                builtin=builtin_labels(language),
            )  # fmt: skip
            assert counted == expected


async def test_two_thousand_random_responses_read_the_same_both_ways(db):
    record_id, consultation = await open_consultation(db, document(), NOW)
    await fill(db, record_id, 2000)
    async with db.transaction() as uow:
        for filters in (ResponseFilters(), ResponseFilters(quarter="Medina")):
            expected = await one_by_one(uow, record_id, consultation, filters, "fr")
            counted = await consultation_results(
                uow, record_id, consultation, filters, builtin=builtin_labels("fr")
            )
            assert counted == expected
            assert counted.responses > 0


async def test_free_texts_come_oldest_first_and_as_many_as_asked(db):
    record_id, consultation = await open_consultation(db, document(), NOW)
    await fill(db, record_id, 50)
    async with db.transaction() as uow:
        everything = await consultation_results(uow, record_id, consultation)
        few = await consultation_results(uow, record_id, consultation, texts_limit=5)
    [texts] = [r for r in everything.questions if r.question.key == "q10"]
    [first_five] = [r for r in few.questions if r.question.key == "q10"]
    assert len(texts.texts) == texts.answered == 50
    assert first_five.texts == texts.texts[:5]
    assert first_five.answered == 50, "the count is of all, not of those shown"
    assert [r.counts for r in few.questions] == [r.counts for r in everything.questions]


async def test_no_response_at_all(db):
    record_id, consultation = await open_consultation(db, MEDINA, NOW)
    async with db.transaction() as uow:
        results = await consultation_results(
            uow, record_id, consultation, builtin=builtin_labels("fr")
        )
        expected = await one_by_one(uow, record_id, consultation, ResponseFilters(), "fr")
    assert results == expected and results.responses == 0
