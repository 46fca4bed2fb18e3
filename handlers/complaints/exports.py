"""Complaints as a table for the commune's spreadsheets: CSV or XLSX, one row per complaint,
dates in the commune's time zone. With a pseudonym key, citizen ids become
HMAC-SHA256(key, id): stable from one export to the next, so repeat complainants can be
counted, but not traced back to a person without the key.

Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are written as
text: a citizen's description must never become a formula on a staff member's computer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from storage.models import Complaint
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
