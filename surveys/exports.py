"""Exports of a consultation's responses: CSV or XLSX, a row per response, a column per
question (keyed by the question's key), choice labels in a chosen language, submission
times in the commune's zone. Citizens appear only as pseudonyms (HMAC of their id);
anonymous consultations have no citizen column at all. Written as the responses are read,
so exports of any size run in bounded memory (XLSX in openpyxl's write-only mode, which
writes through lxml)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from storage.repositories.consultations import AnswerRow, ResponseFilters, StoredResponse
from storage.unit_of_work import UnitOfWork
from surveys.answers import text_writer
from surveys.collector import collector_paused
from surveys.definitions import Consultation, Question
from surveys.pseudonyms import pseudonym
from surveys.results import AnswerReader
from surveys.texts import text_in

FORMATS = ("csv", "xlsx")
PROFILE = ("submitted_at", "locale", "language", "quarter", "gender", "age_bracket")
# A cell starting with one of these is a formula to a spreadsheet: every text cell of
# every export — answers, labels staff wrote, headers — is prefixed with an apostrophe so
# it stays text (CSV/formula injection, OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as written and never runs; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain_row(row: Sequence[Any]) -> list[Any]:
    return [plain_cell(value) for value in row]


def write_rows_csv(rows: Sequence[Sequence[Any]], out: IO[str]) -> None:
    """A table (header first) as CSV, every text cell defused: the staff exports'
    (complaints, workshop sign-ups, participation) one writer."""
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(plain_row(row))


def write_rows_xlsx(
    rows: Sequence[Sequence[Any]], path: Path | IO[bytes], sheet_title: str
) -> None:
    """A table (header first) as one XLSX sheet, header frozen, no cell ever a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(plain_row(row))
    sheet.freeze_panes = "A2"
    workbook.save(path)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    language: str = "fr"  # of choice labels and question labels
    timezone: str = "Africa/Casablanca"
    pseudonym_key: str = ""
    builtin: Mapping[str, str] = field(default_factory=dict)  # yes/no (and "Other") labels
    filters: ResponseFilters = field(default_factory=ResponseFilters)


class Sheet(Protocol):
    def write(self, row: list[Any]) -> None: ...

    def close(self) -> None: ...


def header(consultation: Consultation) -> list[str]:
    citizen = [] if consultation.anonymous else ["citizen"]
    return ["response", *citizen, *PROFILE, *(q.key for q in consultation.asked)]


def row_of(
    consultation: Consultation,
    response: StoredResponse,
    rows: list[AnswerRow],
    options: ExportOptions,
) -> list[Any]:
    """One response as a row, in the order of `header`."""
    return RowWriter(consultation, options)(response, rows)


class RowWriter:
    """`row_of` for many responses of one consultation: the zone, the answers' readers
    and each question's labels are looked up once, not once per response."""

    def __init__(self, consultation: Consultation, options: ExportOptions) -> None:
        self._read = AnswerReader(consultation)
        self.choice_lists = self._read.choice_lists
        self._zone = ZoneInfo(options.timezone)
        self._pseudonym_key = None if consultation.anonymous else options.pseudonym_key
        self._cells = [(q.key, _cell_writer(consultation, q, options)) for q in consultation.asked]

    def __call__(self, response: StoredResponse, rows: list[AnswerRow]) -> list[Any]:
        answers = self._read(rows)
        key = self._pseudonym_key
        citizen = [] if key is None else [_citizen(response, key)]
        profile = [
            response.submitted_at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M"),
            response.locale,
            response.language,
            response.quarter,
            response.gender,
            response.age_bracket,
        ]
        cells = [
            None if (value := answers.get(question_key)) is None else cell(value)
            for question_key, cell in self._cells
        ]
        return [response.id, *citizen, *profile, *cells]


def _citizen(response: StoredResponse, key: str) -> str | None:
    return None if response.citizen_id is None else pseudonym(key, response.citizen_id)


def _cell_writer(
    consultation: Consultation, question: Question, options: ExportOptions
) -> Callable[[Any], Any]:
    """How one question's answers (not None) become cells."""
    if question.type in ("rating", "number"):
        return _as_is  # numbers stay numbers in spreadsheets
    return text_writer(consultation, question, options.language, options.builtin)


def _as_is(value: Any) -> Any:
    return value


class CsvSheet:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Arabic correctly."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)

    def write(self, row: list[Any]) -> None:
        self._writer.writerow(["" if cell is None else cell for cell in plain_row(row)])

    def close(self) -> None:
        self._file.close()


class XlsxSheet:
    """A `responses` sheet streamed row by row, and a `questions` sheet naming each column."""

    def __init__(self, path: Path, consultation: Consultation, language: str) -> None:
        self._path = path
        self._book = Workbook(write_only=True)
        self._responses = self._book.create_sheet("responses")
        self._questions = self._book.create_sheet("questions")
        self._questions.append(["key", "type", "required", "relevant", "label"])
        for q in consultation.asked:
            label = text_in(consultation, q.label, language)[1]
            self._questions.append(plain_row([q.key, q.type, q.required, q.relevant_source, label]))

    def write(self, row: list[Any]) -> None:
        self._responses.append(plain_row(row))

    def close(self) -> None:
        self._book.save(self._path)


def open_sheet(path: Path, fmt: str, consultation: Consultation, language: str) -> Sheet:
    if fmt == "csv":
        return CsvSheet(path)
    if fmt == "xlsx":
        return XlsxSheet(path, consultation, language)
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


async def export_responses(
    uow: UnitOfWork,
    consultation_id: int,
    consultation: Consultation,
    path: Path | str,
    fmt: str,
    options: ExportOptions | None = None,
) -> int:
    """Write the export file; how many responses it holds."""
    options = options or ExportOptions()
    sheet = open_sheet(Path(path), fmt, consultation, options.language)
    row_of_response, written = RowWriter(consultation, options), 0
    batches = uow.consultations.responses(
        consultation_id, options.filters, choice_lists=row_of_response.choice_lists
    )
    try:
        sheet.write(header(consultation))
        with collector_paused():
            async for batch in batches:
                for response, rows in batch:
                    sheet.write(row_of_response(response, rows))
                    written += 1
    finally:
        sheet.close()
    return written
