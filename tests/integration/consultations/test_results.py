"""Results and exports of stored responses, on SQLite and PostgreSQL: counts, percentages,
averages and free text, filters, CSV and XLSX with pseudonyms (none when anonymous)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from typing import Any

from openpyxl import load_workbook

from handlers.consultations import builtin_labels
from storage.repositories.consultations import ResponseFilters
from surveys.answers import answer_columns
from surveys.exports import ExportOptions, export_responses
from surveys.pseudonyms import dedupe_token, pseudonym
from surveys.results import consultation_results
from surveys.stored import segment_citizens
from tests.consultations import DERB_JDID, MEDINA, open_consultation, small_document

NOW = datetime(2026, 12, 10, 15, 30, tzinfo=UTC)
KEY = "test-pseudonym-key"
RESPONSES = [
    ("Medina", "female", "18-29", "ary", {"lives_or_works": "yes", "getting_around": "walk",
     "problems": ["speed", "parking"], "safety": 2, "pedestrian_streets": "all_day",
     "which_streets": "Bab Zorgane", "minutes_walking": 40}),
    ("Medina", "male", "45-59", "fr", {"lives_or_works": "yes", "getting_around": "motorbike",
     "problems": ["deliveries"], "safety": 4, "pedestrian_streets": "no",
     "minutes_walking": 20, "suggestion": "=1+2 des livraisons le matin"}),
    ("Sidi Belkas", "female", "30-44", "ar", {"lives_or_works": "no", "getting_around": "walk",
     "problems": ["speed"], "safety": 3, "pedestrian_streets": "some_hours",
     "dangerous_spot": [30.4703, -8.877]}),
]  # fmt: skip


async def register(uow, user: str, quarter=None, gender=None, age=None, language="fr") -> int:
    return await uow.citizens.register(
        {"channel": "test", "channel_user_id": user, "chat_id": user, "language": language,
         "script": "Arab", "consent_at": NOW, "reachable": True, "created_at": NOW,
         "last_seen_at": NOW, "quarter": quarter, "gender": gender, "age_bracket": age}
    )  # fmt: skip


async def store(db, record_id, consultation, rows: list[tuple[Any, ...]]) -> list[int]:
    """Responses as the chat would store them; the citizens' ids."""
    citizens = []
    async with db.transaction() as uow:
        for number, (quarter, gender, age, language, answers) in enumerate(rows):
            citizen_id = await register(uow, f"c{number}", quarter, gender, age, language)
            citizens.append(citizen_id)
            values = {
                "consultation_id": record_id,
                "citizen_id": None if consultation.anonymous else citizen_id,
                "dedupe_token": dedupe_token(KEY, consultation.key, "test", f"c{number}"),
                "sequence": 1,
                "started_at": NOW,
                "submitted_at": NOW,
                "locale": language,
                "language": language,
                "quarter": quarter,
                "gender": gender,
                "age_bracket": age,
            }
            columns = [answer_columns(consultation.question(k), v) for k, v in answers.items()]
            await uow.consultations.add_response(values, columns)
    return citizens


async def results_of(db, record_id, consultation, filters=None, language="fr"):
    async with db.transaction() as uow:
        return await consultation_results(
            uow, record_id, consultation, filters, language=language,
            builtin=builtin_labels(language),
        )  # fmt: skip


async def test_counts_percentages_averages_and_texts(db):
    record_id, consultation = await open_consultation(db, MEDINA, NOW)
    await store(db, record_id, consultation, RESPONSES)
    results = await results_of(db, record_id, consultation)
    assert results.responses == 3
    by_key = {result.question.key: result for result in results.questions}
    getting_around = {
        c.choice: (c.label, c.count, c.percent) for c in by_key["getting_around"].counts
    }
    assert getting_around["walk"] == ("À pied", 2, 66.7)
    assert getting_around["car"] == ("En voiture", 0, 0.0)
    problems = {c.choice: c.percent for c in by_key["problems"].counts}
    assert problems["speed"] == 66.7 and problems["deliveries"] == 33.3
    assert [c.label for c in by_key["lives_or_works"].counts] == ["Oui", "Non"]
    assert by_key["safety"].average == 3.0 and by_key["safety"].answered == 3
    assert [c.count for c in by_key["safety"].counts] == [0, 1, 1, 1, 0]
    assert (by_key["minutes_walking"].average, by_key["minutes_walking"].maximum) == (30.0, 40.0)
    assert by_key["which_streets"].texts == ("Bab Zorgane",)
    assert by_key["dangerous_spot"].texts == ("30.470300, -8.877000",)
    assert by_key["suggestion"].answered == 1


async def test_filters_and_labels_in_another_language(db):
    record_id, consultation = await open_consultation(db, MEDINA, NOW)
    await store(db, record_id, consultation, RESPONSES)
    medina = await results_of(db, record_id, consultation, ResponseFilters(quarter="Medina"))
    assert medina.responses == 2
    women = await results_of(db, record_id, consultation, ResponseFilters(gender="female"))
    assert women.responses == 2
    young = await results_of(db, record_id, consultation, ResponseFilters(age_bracket="18-29"))
    assert young.responses == 1
    arabic = await results_of(db, record_id, consultation, ResponseFilters(language="ar"), "ar")
    assert arabic.responses == 1
    labels = [c.label for c in arabic.questions[0].counts]
    assert labels == ["نعم", "لا"]
    assert arabic.questions[1].counts[0].label == "سيرًا على الأقدام"


async def test_xlsx_export_a_row_per_response_with_pseudonyms(db, tmp_path):
    record_id, consultation = await open_consultation(db, MEDINA, NOW)
    citizens = await store(db, record_id, consultation, RESPONSES)
    path = tmp_path / "medina.xlsx"
    options = ExportOptions(language="ary", pseudonym_key=KEY, builtin=builtin_labels("ary"))
    async with db.transaction() as uow:
        written = await export_responses(uow, record_id, consultation, path, "xlsx", options)
    assert written == 3
    book = load_workbook(path)
    sheet = book["responses"]
    header = [cell.value for cell in sheet[1]]
    assert header[:8] == [
        "response", "citizen", "submitted_at", "locale", "language", "quarter", "gender",
        "age_bracket",
    ]  # fmt: skip
    assert header[8:] == [q.key for q in consultation.questions]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert first["citizen"] == pseudonym(KEY, citizens[0]) and len(first["citizen"]) == 16
    assert str(citizens[0]) != first["citizen"]
    assert first["submitted_at"] == "2026-12-10 16:30"  # Africa/Casablanca
    assert first["getting_around"] == "على رجلي"
    assert (
        first["problems"]
        == "الموطورات والطوموبيلات اللي كيزربو; الطوموبيلات الواقفة اللي كتسد الطريق"
    )
    assert first["lives_or_works"] == "إيه"
    assert first["safety"] == 2 and first["minutes_walking"] == 40
    second = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
    assert second["suggestion"] == "'=1+2 des livraisons le matin", "formulas stay text"
    assert [row[0].value for row in book["questions"].iter_rows(min_row=2)] == header[8:]


async def test_csv_export_of_an_anonymous_consultation_has_no_citizen_column(db, tmp_path):
    record_id, consultation = await open_consultation(db, DERB_JDID, NOW)
    answers = {"sorts_now": "yes", "what_sorted": ["bread", "plastic"], "household_size": 6,
               "collection_rating": 2, "preferred_system": "door_to_door", "would_join": "yes",
               "meeting_date": "2027-01-10"}  # fmt: skip
    await store(db, record_id, consultation, [("Derb Jdid", None, None, "ary", answers)])
    path = tmp_path / "derb.csv"
    async with db.transaction() as uow:
        await export_responses(uow, record_id, consultation, path, "csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert "citizen" not in table[0]
    assert table[0]["what_sorted"] == "Pain; Bouteilles et sacs en plastique"
    assert table[0]["meeting_date"] == "2027-01-10"
    assert table[0]["household_size"] == "6"
    assert table[0]["problem_photo"] == ""


async def test_segment_citizens_for_broadcasts(db):
    """A broadcast goes to those known to be in the segment: a citizen who never said
    their quarter is not inside a quarter-targeted one."""
    _, consultation = await open_consultation(db, DERB_JDID, NOW)
    async with db.transaction() as uow:
        await register(uow, "derb-jdid", quarter="Derb Jdid")
        await register(uow, "medina", quarter="Medina")
        await register(uow, "unknown-quarter")
        await register(uow, "blocked", quarter="Derb Jdid")
        await uow.citizens.set_reachable("test", "blocked", False)
        targeted = await segment_citizens(uow, consultation)
    assert [citizen.channel_user_id for citizen in targeted] == [
        "derb-jdid",
        "blocked",  # their announcement waits until they unblock the bot
    ]


async def test_every_cell_of_every_export_is_defused_staff_labels_included(db, tmp_path):
    document = small_document(
        questions=[{"key": "q", "type": "text", "label": {"fr": '=HYPERLINK("http://x")'}}]
    )
    record_id, consultation = await open_consultation(db, document, NOW)
    await store(db, record_id, consultation, [(None, None, None, "fr", {"q": "@SUM(A1)"})])
    async with db.transaction() as uow:
        await export_responses(uow, record_id, consultation, tmp_path / "q.xlsx", "xlsx")
        await export_responses(uow, record_id, consultation, tmp_path / "q.csv", "csv")
    book = load_workbook(tmp_path / "q.xlsx")
    [label] = [row[4] for row in book["questions"].iter_rows(min_row=2)]
    assert label.value == '\'=HYPERLINK("http://x")' and label.data_type == "s"
    [answer] = [row[-1] for row in book["responses"].iter_rows(min_row=2)]
    assert answer.value == "'@SUM(A1)" and answer.data_type == "s"
    text = (tmp_path / "q.csv").read_text(encoding="utf-8-sig")
    assert "'@SUM(A1)" in text
