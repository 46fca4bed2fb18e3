"""Consultations written as XLSForm spreadsheets (the format of ODK and KoboToolbox), so
staff can prepare them in a spreadsheet: `survey`, `choices` and `settings` sheets,
`label::French (fr)` columns. Problems are named by sheet and row.

As in XLSForm, a question is optional unless its `required` cell says yes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from surveys.conditions import ConditionError, bounds, parse_condition
from surveys.definitions import LANGUAGES, Consultation
from surveys.documents import consultation_from_document
from surveys.problems import DefinitionError, Problems

TYPES = {
    "integer": "number",
    "decimal": "number",
    "text": "text",
    "date": "date",
    "geopoint": "location",
    "image": "photo",
    "note": "note",
    # Tachawor's own types, for what XLSForm has no direct word for.
    "rating": "rating",
    "yes_no": "yes_no",
    "quarter": "quarter",
    "long_text": "long_text",
}
SELECTS = {"select_one": "single_choice", "select_multiple": "multiple_choice"}
TRUE = {"yes", "true", "1", "true()", "oui"}
LANGUAGE_COLUMN = re.compile(r"^(?P<field>[a-z_]+)::(?:.*\((?P<code>[^)]+)\)|(?P<bare>[^()]+))$")
TEXT_SETTINGS = ("title", "intro", "privacy", "thanks")
Row = dict[str, Any]


def load_xlsform(path: Path | str, quarters: tuple[str, ...] | None = None) -> Consultation:
    """The consultation in an XLSForm file; DefinitionError lists every problem."""
    problems = Problems()
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as error:
        raise DefinitionError([f"{Path(path).name}: not an .xlsx file ({error})"]) from None
    try:
        sheets = {
            name.lower(): list(_rows(workbook[name], problems)) for name in workbook.sheetnames
        }
    finally:
        workbook.close()
    if "survey" not in sheets:
        problems.add("workbook", "no `survey` sheet")
        raise problems.error()
    settings = sheets.get("settings", [{}])[0] if sheets.get("settings") else {}
    default = str(settings.get("default_language") or "fr")
    document = _settings_document(settings, default, sheets["survey"])
    document["choice_lists"] = _choice_lists(sheets.get("choices", []), default)
    document["questions"] = [_question(row, default, problems) for row in sheets["survey"]]
    try:
        return consultation_from_document(document, quarters)
    except DefinitionError as error:
        raise DefinitionError(problems.found + error.problems) from None


def _rows(sheet: Any, problems: Problems) -> Iterator[Row]:
    """Each non-empty row as {column: value}, with `_row` (its number in the sheet)."""
    rows = sheet.iter_rows(values_only=True)
    header = [_column(cell, sheet.title, problems) for cell in next(rows, ())]
    for number, cells in enumerate(rows, start=2):
        row = {name: _cell(value) for name, value in zip(header, cells, strict=False) if name}
        if any(value not in ("", None) for value in row.values()):
            yield {**row, "_row": number}


def _column(cell: Any, sheet: str, problems: Problems) -> str:
    """`label::Darija latin (ary-Latn)` -> `label::ary-Latn`; plain names lower-cased."""
    name = str(cell or "").strip()
    match = LANGUAGE_COLUMN.match(name.lower())
    if match is None:
        return name.lower()
    code = name[name.rfind("(") + 1 : -1] if match.group("code") else name.split("::", 1)[1]
    code = code.strip()
    if code not in LANGUAGES:
        problems.add(f"{sheet} column {name!r}", f"unknown language (one of {LANGUAGES})")
    return f"{match.group('field')}::{code}"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.strip() if isinstance(value, str) else value


def _texts(row: Row, field: str, default: str) -> dict[str, str]:
    texts = {
        name.split("::", 1)[1]: str(value)
        for name, value in row.items()
        if name.startswith(field + "::") and value not in ("", None)
    }
    if row.get(field) not in ("", None):
        texts.setdefault(default, str(row[field]))
    return texts


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in TRUE


def _listed(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _settings_document(settings: Row, default: str, survey: list[Row]) -> dict[str, Any]:
    """The consultation's own fields, from the `settings` sheet's first row."""
    texts = {field: _texts(settings, field, default) for field in TEXT_SETTINGS}
    if settings.get("form_title") and not texts["title"]:
        texts["title"] = {default: str(settings["form_title"])}
    used = {name.split("::", 1)[1] for row in survey for name in row if name.startswith("label::")}
    languages = _listed(settings.get("languages")) or sorted(used, key=LANGUAGES.index) or [default]
    target = {
        name: _listed(settings.get(f"target_{name}"))
        for name in ("quarters", "languages", "genders", "age_brackets")
    }
    return {
        "key": settings.get("form_id") or settings.get("key"),
        "languages": languages,
        **texts,
        "opens": settings.get("opens") or None,
        "closes": settings.get("closes") or None,
        "target": {name: values for name, values in target.items() if values},
        "anonymous": _flag(settings.get("anonymous")),
        "responses": str(settings.get("responses") or "one").lower(),
        "quick_poll": _flag(settings.get("quick_poll")),
        "reports_by": _listed(settings.get("reports_by")),
    }


def _choice_lists(rows: list[Row], default: str) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        option = {
            "id": str(row.get("name", "")),
            "label": _texts(row, "label", default),
            "_where": f"choices row {row['_row']}",
        }
        lists.setdefault(str(row.get("list_name", "")), []).append(option)
    return lists


def _question(row: Row, default: str, problems: Problems) -> dict[str, Any]:
    where = f"survey row {row['_row']}" + (f" ({row['name']})" if row.get("name") else "")
    kind, _, list_name = str(row.get("type", "")).partition(" ")
    question: dict[str, Any] = {
        "key": str(row.get("name", "")),
        "type": SELECTS.get(kind) or TYPES.get(kind, kind),
        "label": _texts(row, "label", default),
        "required": _flag(row.get("required")),
        "_where": where,
    }
    if kind in SELECTS:
        question["choices"] = list_name.strip()
    if kind == "text" and "multiline" in str(row.get("appearance") or ""):
        question["type"] = "long_text"
    if kind in ("integer", "decimal"):
        question["integer"] = kind == "integer"
    if hint := _texts(row, "hint", default):
        question["hint"] = hint
    if row.get("relevant"):
        question["relevant"] = str(row["relevant"])
    if row.get("constraint"):
        question.update(_constraint(str(row["constraint"]), kind, where, problems))
    return question


def _constraint(source: str, kind: str, where: str, problems: Problems) -> dict[str, float]:
    if kind not in ("integer", "decimal"):
        problems.add(where, "constraints are supported on integer and decimal questions only")
        return {}
    try:
        minimum, maximum = bounds(parse_condition(source))
    except ConditionError as error:
        problems.add(where, f"constraint {source!r}: {error}")
        return {}
    return {
        name: value for name, value in (("min", minimum), ("max", maximum)) if value is not None
    }


def is_xlsform(path: Path | str) -> bool:
    return Path(path).suffix.lower() in (".xlsx", ".xlsm")
