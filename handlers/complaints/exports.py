"""Complaints as a table for the commune's spreadsheets: CSV or XLSX, one row per complaint,
dates in the commune's time zone. With a pseudonym key, citizen ids become
HMAC-SHA256(key, id): stable from one export to the next, so repeat complainants can be
counted, but not traced back to a person without the key.

Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are written as
text: a citizen's description must never become a formula on a staff member's computer.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from storage.models import Complaint
from surveys.exports import plain_row
from surveys.pseudonyms import pseudonym

COLUMNS = (
    "tracking_number",
    "citizen",
    "kind",
    "category",
    "status",
    "filed_at",
    "acknowledge_by",
    "answer_by",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
    "assigned_service",
    "quarter",
    "address",
    "latitude",
    "longitude",
    "attachment_kind",
    "rating",
    "rating_comment",
    "locale",
    "description",
)
DATES = {"filed_at", "acknowledge_by", "answer_by", "acknowledged_at", "resolved_at", "closed_at"}
Row = list[Any]


def _cell(name: str, value: Any, timezone: ZoneInfo) -> Any:
    if name in DATES and isinstance(value, datetime):
        return value.astimezone(timezone).strftime("%Y-%m-%d %H:%M")
    return value


def export_rows(
    complaints: Iterable[Complaint], timezone: str, pseudonym_key: str | None
) -> list[Row]:
    """The rows of the export, header first."""
    zone = ZoneInfo(timezone)
    rows: list[Row] = [list(COLUMNS)]
    for complaint in complaints:
        citizen: Any = complaint.citizen_id
        if pseudonym_key is not None:
            citizen = pseudonym(pseudonym_key, complaint.citizen_id)
        values = {name: getattr(complaint, name, None) for name in COLUMNS} | {"citizen": citizen}
        rows.append([_cell(name, values[name], zone) for name in COLUMNS])
    return rows


def write_csv(rows: Sequence[Row], out: IO[str]) -> None:
    """The rows as CSV (UTF-8, comma-separated, every text cell defused)."""
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if value is None else value for value in plain_row(row)])


def write_xlsx(rows: Sequence[Row], path: Path) -> None:
    """The rows as one XLSX sheet, header frozen, no cell ever a formula."""
    from openpyxl import Workbook  # a third of a second to import: only when exporting

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "complaints"
    for row in rows:
        sheet.append(plain_row(row))
    sheet.freeze_panes = "A2"
    workbook.save(path)
