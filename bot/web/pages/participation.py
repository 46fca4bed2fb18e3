"""The participation report of the gender approach, as `tachawor participation` prints
it: a period (by default the twelve months up to today) and optionally one quarter; the
tables by gender, age bracket and quarter under the small-count rule, the no-show rate,
the chart as a PNG picture, and the figures as CSV or XLSX — in the staff member's
language."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.web.downloads import format_asked, table_download
from bot.web.rendering import render
from bot.web.state import back_office, visit
from bot.web.texts import WebTranslator
from handlers.languages import Translator, is_rtl
from handlers.participation import (
    ParticipationReport,
    Period,
    chart_title,
    export_rows,
    footer_lines,
    gather_participation,
    header_lines,
    participation_png,
    report_period,
    table_rows,
)
from handlers.staff import record_staff_action

CHARTING = threading.Lock()


class NotAReport(ValueError):
    """The address asks for no report that can be made; `text` says why, translated."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True, slots=True)
class Asked:
    period: Period
    quarter: str | None


def _day(text: str, t: WebTranslator) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise NotAReport(t("backoffice.participation.bad_date", text=text[:20])) from None


def _asked(request: web.Request) -> Asked:
    """The period and quarter of the address, defaulting as the CLI does."""
    office, query, t = back_office(request), request.query, visit(request).t
    quarter = query.get("quarter") or None
    quarters = office.settings.quarters()
    if quarter is not None and quarter not in quarters:
        known = ", ".join(quarters)
        raise NotAReport(t("cli.participation.unknown_quarter", quarter=quarter[:60], known=known))
    start, end = _day(query.get("from", ""), t), _day(query.get("to", ""), t)
    today = office.clock.now().astimezone(ZoneInfo(office.settings.timezone)).date()
    try:
        return Asked(report_period(today, start, end), quarter)
    except ValueError:  # it ends before it starts
        raise NotAReport(t("cli.participation.bad_period", start=start, end=end or today)) from None


async def _report(request: web.Request, asked: Asked) -> ParticipationReport:
    office = back_office(request)
    async with office.db.transaction() as uow:
        return await gather_participation(
            uow, office.core, asked.period, office.clock.now(), asked.quarter
        )


def _query(request: web.Request, asked: Asked | None) -> dict[str, str]:
    """The form's values: what was asked, or what the report used."""
    if asked is None:
        return {name: request.query.get(name, "")[:60] for name in ("from", "to", "quarter")}
    period = asked.period
    chosen = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return chosen | {"quarter": asked.quarter or ""}


def _table(t: Translator, report: ParticipationReport) -> tuple[list[str], list[list[str]]]:
    """The CLI's table as rows of cells: a row of a label alone opens a section."""
    header, *body = table_rows(t, report)
    return header, [[row[0].strip(), *row[1:]] for row in body]


async def participation_page(request: web.Request) -> web.Response:
    """The report for the period and quarter chosen, with its chart and downloads."""
    office, seen = back_office(request), visit(request)
    t = Translator(seen.t.locale)
    quarters = office.settings.quarters()
    try:
        asked = _asked(request)
    except NotAReport as problem:
        return render(request, "participation.html", status=422, problem=problem.text,
                      chosen=_query(request, None), quarters=quarters, report=None)  # fmt: skip
    report = await _report(request, asked)
    header, rows = _table(t, report)
    chosen = _query(request, asked)
    return render(
        request,
        "participation.html",
        problem=None,
        chosen=chosen,
        quarters=quarters,
        report=report,
        heading=header_lines(t, report, office.settings.commune_name),
        header=header,
        rows=rows,
        footer=[line for line in footer_lines(t, report) if line],
        chart_title=chart_title(t, report),
        query=urlencode([(name, value) for name, value in chosen.items() if value]),
    )


def _picture(t: Translator, report: ParticipationReport, rtl: bool) -> bytes:
    # matplotlib's settings are global (the chart sets its fonts in an rc_context): one
    # picture at a time, off the event loop.
    with CHARTING:
        return participation_png(t, report, rtl=rtl)


async def chart(request: web.Request) -> web.StreamResponse:
    """The chart by gender, a PNG picture in the staff member's language."""
    locale = visit(request).t.locale
    try:
        asked = _asked(request)
    except NotAReport:
        return await participation_page(request)
    report = await _report(request, asked)
    png = await asyncio.to_thread(_picture, Translator(locale), report, is_rtl(locale))
    return web.Response(body=png, content_type="image/png")


async def export(request: web.Request) -> web.StreamResponse:
    """The figures as CSV or XLSX, every count as it may be shown."""
    office, seen = back_office(request), visit(request)
    assert seen.staff is not None
    try:
        asked = _asked(request)
    except NotAReport:
        return await participation_page(request)
    fmt = format_asked(request.query)
    report = await _report(request, asked)
    period = f"{asked.period.start.isoformat()}..{asked.period.end.isoformat()}"
    async with office.db.transaction() as uow:
        await record_staff_action(
            uow, seen.staff, "participation_export", seen.where, office.clock.now(),
            detail=f"{fmt}, {period}, {asked.quarter or '*'}",
        )  # fmt: skip
    rows = export_rows(report)
    name = f"participation-{asked.period.start:%Y%m%d}-{asked.period.end:%Y%m%d}"
    return await table_download(rows, fmt, name, "participation")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/participation", participation_page)
    app.router.add_get("/participation/chart.png", chart)
    app.router.add_get("/participation/export", export)
