"""A consultation's results: a table and a bar chart per question (the chart drawn as SVG
in the page, mirrored for Arabic; a PNG of it for reports), filtered by quarter, gender,
age bracket and language; and the responses as CSV or XLSX, citizen ids pseudonymised."""

from __future__ import annotations

import asyncio
import io
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.web.downloads import XLSX, attachment_headers, format_asked
from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.consultations import builtin_labels
from handlers.languages import is_rtl
from handlers.staff import record_staff_action
from storage.models import ConsultationRecord
from storage.repositories.consultations import ResponseFilters
from surveys.definitions import AGE_BRACKETS, GENDERS, LANGUAGES, Consultation
from surveys.exports import ExportOptions, export_responses
from surveys.results import QuestionResult, Results, consultation_results
from surveys.stored import definition_of
from surveys.texts import text_in

FILTERS = ("quarter", "gender", "age", "language")
TEXTS_SHOWN = 20
CHART_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 640, 26, 220


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart, in SVG units."""

    label: str
    count: int
    percent: float
    x: float
    y: float
    width: float
    label_x: float
    value_x: float


@dataclass(frozen=True, slots=True)
class Chart:
    height: int
    bars: list[Bar]
    rtl: bool


def chart_of(result: QuestionResult, rtl: bool) -> Chart | None:
    """The bars of a question with choices, growing from the side the page reads from."""
    if not result.counts:
        return None
    longest = max(count.percent for count in result.counts) or 1.0
    room = CHART_WIDTH - LABEL_WIDTH - 90  # 90: space for "123 (45 %)"
    bars = []
    for row, count in enumerate(result.counts):
        width = room * count.percent / longest
        y = row * BAR_HEIGHT + 4
        if rtl:
            start = CHART_WIDTH - LABEL_WIDTH
            x, label_x, value_x = start - width, start + 8, start - width - 6
        else:
            x, label_x, value_x = LABEL_WIDTH, LABEL_WIDTH - 8, LABEL_WIDTH + width + 6
        bars.append(Bar(count.label, count.count, count.percent, x, y, width, label_x, value_x))
    return Chart(len(bars) * BAR_HEIGHT + 8, bars, rtl)


def filters_of(query: Mapping[str, str], quarters: tuple[str, ...]) -> ResponseFilters:
    """The filters of the address; a value that is not one of ours is ignored."""
    quarter, gender = query.get("quarter"), query.get("gender")
    age, language = query.get("age"), query.get("language")
    return ResponseFilters(
        quarter=quarter if quarter in quarters else None,
        gender=gender if gender in GENDERS else None,
        age_bracket=age if age in AGE_BRACKETS else None,
        language=language if language in LANGUAGES else None,
    )


async def _results(
    request: web.Request, language: str
) -> tuple[ConsultationRecord, Consultation, Results]:
    office = back_office(request)
    filters = filters_of(request.query, office.core.commune_quarters)
    async with office.db.transaction() as uow:
        record = await uow.consultations.find(request.match_info["key"])
        if record is None:
            raise web.HTTPNotFound()
        consultation = definition_of(record)
        results = await consultation_results(
            uow, record.id, consultation, filters, language=language,
            builtin=builtin_labels(language), texts_limit=TEXTS_SHOWN,
        )  # fmt: skip
    return record, consultation, results


async def results_page(request: web.Request) -> web.Response:
    """Each question's answers as a table and a chart, for the filters chosen."""
    seen = visit(request)
    locale = seen.t.locale
    record, consultation, results = await _results(request, locale)
    rtl = is_rtl(locale)
    return render(
        request,
        "consultation_results.html",
        record=record,
        title=text_in(consultation, consultation.title, locale)[1],
        results=results,
        charts=[chart_of(result, rtl) for result in results.questions],
        chosen={name: request.query.get(name, "") for name in FILTERS},
        quarters=back_office(request).core.commune_quarters,
        genders=GENDERS,
        ages=AGE_BRACKETS,
        languages=LANGUAGES,
        query=request.query_string,
        chart_width=CHART_WIDTH,
    )


def _png(result: QuestionResult, rtl: bool) -> bytes:
    from surveys.charts import bar_figure  # matplotlib loads only when a chart is asked for

    labels = [count.label for count in result.counts]
    values = [count.count for count in result.counts]
    figure = bar_figure(result.label, labels, values, rtl=rtl, total=result.answered)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def chart_png(request: web.Request) -> web.Response:
    """One question's chart as a PNG image, for a report or a slide."""
    locale = visit(request).t.locale
    _, _, results = await _results(request, locale)
    number = request.match_info["number"]
    index = int(number) - 1 if number.isdigit() else -1
    if not 0 <= index < len(results.questions) or not results.questions[index].counts:
        raise web.HTTPNotFound()
    png = await asyncio.to_thread(_png, results.questions[index], is_rtl(locale))
    return web.Response(body=png, content_type="image/png")


async def export(request: web.Request) -> web.Response:
    """The responses of the filters chosen, a row each, as CSV or XLSX."""
    office, seen = back_office(request), visit(request)
    fmt = format_asked(request.query)
    key = office.settings.pseudonym_key
    assert key is not None, "tachawor web settles the pseudonym key"
    language = seen.t.locale
    options = ExportOptions(
        language=language,
        timezone=office.settings.timezone,
        pseudonym_key=key.get_secret_value(),
        builtin=builtin_labels(language),
        filters=filters_of(request.query, office.core.commune_quarters),
    )
    now = office.clock.now()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"responses.{fmt}"
        async with office.db.transaction() as uow:
            record = await uow.consultations.find(request.match_info["key"])
            if record is None:
                raise web.HTTPNotFound()
            written = await export_responses(
                uow, record.id, definition_of(record), path, fmt, options
            )
            await record_staff_action(
                uow, seen.staff, "consultation_export", seen.where, now,
                target=record.key, detail=f"{fmt}, {written} responses",
            )  # fmt: skip
        body = path.read_bytes()
    headers = attachment_headers(f"{record.key}-{now:%Y%m%d-%H%M}.{fmt}")
    content_type = XLSX if fmt == "xlsx" else "text/csv"
    return web.Response(body=body, content_type=content_type, headers=headers)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/consultations/{key}/results", results_page)
    app.router.add_get("/consultations/{key}/results/{number}.png", chart_png)
    app.router.add_get("/consultations/{key}/export", export)
