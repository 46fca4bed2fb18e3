"""XLSForm spreadsheets (survey, choices, settings sheets) load like YAML files, and their
problems are named by sheet and row."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from surveys.problems import DefinitionError
from surveys.xlsform_loader import load_xlsform

FR, AR, ARY = "label::French (fr)", "label::Arabic (ar)", "label::Darija (ary)"
SURVEY_HEADER = ["type", "name", FR, AR, ARY, "hint::French (fr)", "required", "relevant",
                 "constraint", "appearance", "hint::Arabic (ar)", "hint::Darija (ary)"]  # fmt: skip
SURVEY = [
    ["select_one yesno", "uses_square", "Fréquentez-vous la place ?", "هل ترتادون الساحة؟",
     "واش كتمشي للساحة؟", None, "yes", None, None, None],
    ["select_multiple activities", "activities", "Pour quoi faire ?", "لماذا؟", "علاش؟",
     "Plusieurs réponses possibles", "yes", "${uses_square} = 'yes'", None, None,
     "يمكن اختيار عدة أجوبة", "تقدر تختار بزاف"],
    ["integer", "visits", "Combien de fois par semaine ?", "كم مرة في الأسبوع؟",
     "شحال من مرة فالسيمانة؟", None, "no", None, ". >= 0 and . <= 21", None],
    ["text", "idea", "Une idée ?", "فكرة؟", "شي فكرة؟", None, None, None, None, "multiline"],
    ["geopoint", "where", "Où ?", "أين؟", "فين؟", None, "no", None, None, None],
    ["image", "photo", "Une photo ?", "صورة؟", "تصويرة؟", None, "no", None, None, None],
]  # fmt: skip
CHOICES = [
    ["list_name", "name", FR, AR, ARY],
    ["yesno", "yes", "Oui", "نعم", "إيه"],
    ["yesno", "no", "Non", "لا", "لا"],
    ["activities", "market", "Le marché", "السوق", "السوق"],
    ["activities", "rest", "Me reposer", "الراحة", "نرتاح"],
    ["activities", 1, "Autre", "أخرى", "حاجة أخرى"],
]
SETTINGS = [
    ["form_id", "title::French (fr)", "title::Arabic (ar)", "title::Darija (ary)",
     "intro::French (fr)", "intro::Arabic (ar)", "intro::Darija (ary)", "privacy::French (fr)",
     "privacy::Arabic (ar)", "privacy::Darija (ary)", "thanks::French (fr)",
     "thanks::Arabic (ar)", "thanks::Darija (ary)", "opens", "closes", "anonymous",
     "target_quarters"],
    ["place_assarag", "La place Assarag", "ساحة أسراك", "ساحة أسراك", "Votre avis.", "رأيكم.",
     "رايك.", "Anonyme.", "مجهول.", "بلا سمية.", "Merci !", "شكرًا!", "شكرا!",
     datetime(2026, 12, 1), "2027-01-15", "yes", "Assarag, Talmqalat"],
]  # fmt: skip


def write_form(path: Path, survey: list[list], choices=CHOICES, settings=SETTINGS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [SURVEY_HEADER, *survey]:
        sheet.append(row)
    for name, rows in (("choices", choices), ("settings", settings)):
        extra = book.create_sheet(name)
        for row in rows:
            extra.append(row)
    book.save(path)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_xlsform(path)
    return caught.value.problems


def test_an_xlsform_loads_with_its_languages_lists_and_settings(tmp_path):
    consultation = load_xlsform(write_form(tmp_path / "form.xlsx", SURVEY))
    assert consultation.key == "place_assarag"
    assert consultation.languages == ("fr", "ar", "ary")
    assert consultation.title["ary"] == "ساحة أسراك"
    assert consultation.opens_on == date(2026, 12, 1)
    assert consultation.closes_on == date(2027, 1, 15)
    assert consultation.anonymous
    assert consultation.segment.quarters == ("Assarag", "Talmqalat")
    kinds = [q.type for q in consultation.questions]
    assert kinds == ["single_choice", "multiple_choice", "number", "long_text", "location", "photo"]
    activities = consultation.question("activities")
    assert [o.id for o in activities.options] == ["market", "rest", "1"]
    assert activities.hint["fr"] == "Plusieurs réponses possibles"
    assert activities.relevant_source == "${uses_square} = 'yes'"
    visits = consultation.question("visits")
    assert (visits.minimum, visits.maximum, visits.integer, visits.required) == (0, 21, True, False)
    assert not consultation.question("idea").required, "XLSForm: optional unless required"


def test_problems_are_named_by_row(tmp_path):
    survey = [list(row) for row in SURVEY]
    survey[1][7] = "${visits} > 2"  # row 3 refers to row 4
    survey[2][8] = ". != 3"  # an unsupported constraint
    survey[3][0] = "calculate"
    survey.append(["select_one colours", "colour", "Couleur ?", "لون؟", "لون؟"] + [None] * 5)
    survey.append(["text", "idea", "Encore ?", "مرة أخرى؟", "عاوتاني؟"] + [None] * 5)
    found = problems(write_form(tmp_path / "bad.xlsx", survey))
    assert "survey row 3 (activities): relevant refers to 'visits', which is not earlier" in found
    assert any(p.startswith("survey row 4 (visits): constraint '. != 3'") for p in found)
    assert any(p.startswith("survey row 5 (idea): unknown type 'calculate'") for p in found)
    assert "survey row 8 (colour): no choice list 'colours'" in found
    assert "survey row 9 (idea): duplicate key 'idea'" in found


def test_missing_translations_and_unknown_languages_are_named(tmp_path):
    survey = [list(row) for row in SURVEY]
    survey[0][4] = None  # no Darija label on row 2
    choices = [list(row) for row in CHOICES]
    choices[0][4] = "label::Klingon (tlh)"
    found = problems(write_form(tmp_path / "langs.xlsx", survey, choices=choices))
    assert "survey row 2 (uses_square) label: missing translation in ary" in found
    assert any(
        p.startswith("choices column 'label::Klingon (tlh)': unknown language") for p in found
    )
    assert any(
        p.startswith("choices row 2 choice 'yes': missing translation in ary") for p in found
    )


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("not a spreadsheet")
    assert problems(path)[0].startswith("form.xlsx: not an .xlsx file")


def test_a_quick_poll_is_a_setting(tmp_path):
    settings = [[*SETTINGS[0], "quick_poll"], [*SETTINGS[1], "yes"]]
    form = write_form(tmp_path / "poll.xlsx", SURVEY[:1], settings=settings)
    consultation = load_xlsform(form)
    assert consultation.quick_poll and consultation.poll_question.key == "uses_square"
    two = write_form(tmp_path / "two.xlsx", SURVEY[:2], settings=settings)
    assert "questions: a quick poll has exactly one question" in problems(two)
