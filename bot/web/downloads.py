"""Tables staff download from the back-office (complaints, sign-ups, participation
figures): CSV or XLSX, every cell defused against spreadsheet formulas by the writers of
`surveys.exports`; and whether an export's citizen ids are pseudonymised — always for
agents, unless an admin unticks it."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from handlers.staff import ADMIN
from surveys.exports import write_rows_csv, write_rows_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def format_asked(query: Mapping[str, str]) -> str:
    return "xlsx" if query.get("format") == "xlsx" else "csv"


def pseudonymising(query: Mapping[str, str], role: str) -> bool:
    """The form sends "1" when the box is ticked (first), "0" from its hidden field."""
    return query.get("pseudonymise", "1") == "1" or role != ADMIN


def attachment_headers(file_name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{file_name}"'}


async def table_download(
    rows: Sequence[Sequence[Any]], fmt: str, file_name: str, sheet: str
) -> web.Response:
    """The rows (header first) as a file to save: `<file_name>.<fmt>`."""
    headers = attachment_headers(f"{file_name}.{fmt}")
    if fmt == "csv":
        text = io.StringIO()
        write_rows_csv(rows, text)
        return web.Response(
            text=text.getvalue(), content_type="text/csv", charset="utf-8", headers=headers
        )
    data = io.BytesIO()
    await asyncio.to_thread(write_rows_xlsx, rows, data, sheet)
    return web.Response(body=data.getvalue(), content_type=XLSX, headers=headers)
