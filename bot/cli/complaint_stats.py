"""`tachawor complaints stats`: the complaint figures as tables in the terminal, in the
staff's language, and with `--charts DIR` as PNG charts (status, category, quarter,
month) for reports and council meetings."""

from __future__ import annotations

import argparse
import asyncio
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.complaints import (
    CATEGORIES,
    STATUSES,
    ComplaintStatistics,
    gather_complaint_statistics,
    status_label,
)
from handlers.languages import LOCALES, Translator, is_rtl, quarter_label
from storage.database import Database


def add_stats_command(complaint_commands: argparse._SubParsersAction) -> None:
    """Add `stats` to the `tachawor complaints` sub-commands."""
    stats = complaint_commands.add_parser("stats", help="figures and charts on complaints")
    stats.add_argument("--charts", type=Path, metavar="DIR", help="also write PNG charts here")
    stats.add_argument(
        "--language", choices=sorted(LOCALES), help="default: DEFAULT_LANGUAGE (staff's)"
    )
    stats.add_argument("--db", help="database URL (default: DATABASE_URL)")
    stats.set_defaults(run=stats_command)


def stats_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the figures (and write the charts)."""
    prepare_database(settings.database_url, automatic_only=True)
    figures = asyncio.run(_gather(settings))
    locale = args.language or settings.default_language
    t = staff_translate(settings, locale)
    print(report_text(t, figures, settings.commune_name))
    if args.charts is not None:
        paths = write_charts(t, figures, args.charts, rtl=is_rtl(locale))
        print(t("complaint.stats.charts_written", paths=", ".join(map(str, paths))))
    return 0


async def _gather(settings: Settings) -> ComplaintStatistics:
    db = Database(settings.database_url)
    try:
        async with db.transaction() as uow:
            return await gather_complaint_statistics(uow, settings.core())
    finally:
        await db.close()


def labelled(t: Translator, figures: ComplaintStatistics) -> dict[str, list[tuple[str, int]]]:
    """Each count table with translated labels, keyed by its title's catalog key."""

    def status(key: str) -> str:
        return status_label(t, key) if key in STATUSES else key

    def category(key: str) -> str:
        return t(CATEGORIES[key].label_key) if key in CATEGORIES else key

    def quarter(key: str) -> str:
        return quarter_label(t, key) if key else t("complaint.stats.no_quarter")

    return {
        "complaint.stats.by_status": [(status(k), n) for k, n in figures.by_status],
        "complaint.stats.by_category": [(category(k), n) for k, n in figures.by_category],
        "complaint.stats.by_quarter": [(quarter(k), n) for k, n in figures.by_quarter],
        "complaint.stats.by_month": list(figures.by_month),
    }


def width(text: str) -> int:
    """Columns a text takes in a terminal (wide characters 2, combining marks 0)."""
    size = 0
    for character in text:
        if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Cf"):
            continue
        size += 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
    return size


def table(rows: Sequence[Sequence[str]], numeric_from: int = 1) -> list[str]:
    """Rows as aligned columns: text left-aligned, numbers right-aligned."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            padding = " " * (widths[i] - width(cell))
            cells.append(padding + cell if i >= numeric_from else cell + padding)
        lines.append("  " + "   ".join(cells).rstrip())
    return lines


def decimal(value: float) -> str:
    """One decimal, with the comma Moroccan administrations write (French and Arabic)."""
    return f"{value:.1f}".replace(".", ",")


def _percent(part: int, whole: int) -> str:
    return f"{decimal(100 * part / whole)} %" if whole else "–"


def _count_table(t: Translator, title: str, rows: list[tuple[str, int]], total: int) -> list[str]:
    header = ("", t("complaint.stats.count"), t("complaint.stats.share"))
    body = [(label, str(count), _percent(count, total)) for label, count in rows]
    return ["", t(title), *table([header, *body])]


def _figure_rows(t: Translator, figures: ComplaintStatistics) -> list[tuple[str, str]]:
    no_data = t("complaint.stats.no_data")

    def days(median: float | None, count: int) -> str:
        if median is None:
            return no_data
        return t("complaint.stats.days_over", days=decimal(median), count=count)

    on_time = no_data
    if figures.answered:
        on_time = t(
            "complaint.stats.share_of",
            share=_percent(figures.answered_on_time, figures.answered),
            part=figures.answered_on_time,
            whole=figures.answered,
        )
    rating = no_data
    if figures.rating_average is not None:
        rating = t(
            "complaint.stats.rating", average=decimal(figures.rating_average), count=figures.ratings
        )
    return [
        (
            t("complaint.stats.median_ack"),
            days(figures.median_days_to_acknowledge, figures.acknowledged),
        ),
        (
            t("complaint.stats.median_resolve"),
            days(figures.median_days_to_resolve, figures.resolved),
        ),
        (t("complaint.stats.on_time"), on_time),
        (t("complaint.stats.satisfaction"), rating),
    ]


def report_text(t: Translator, figures: ComplaintStatistics, commune: str) -> str:
    """The whole report: totals, the four count tables, delays and satisfaction."""
    lines = [
        t("complaint.stats.title", commune=commune),
        t("complaint.stats.total", count=figures.total),
    ]
    for title, rows in labelled(t, figures).items():
        if rows:
            lines += _count_table(t, title, rows, figures.total)
    lines += ["", t("complaint.stats.delays")]
    lines += table(_figure_rows(t, figures), numeric_from=2)
    return "\n".join(lines)


def write_charts(
    t: Translator, figures: ComplaintStatistics, folder: Path, *, rtl: bool
) -> list[Path]:
    """status.png, category.png, quarter.png and month.png in `folder`."""
    from surveys.charts import bar_chart, line_chart  # matplotlib loads only for charts

    tables = labelled(t, figures)
    paths = []
    for name, title in (
        ("status", "complaint.stats.by_status"),
        ("category", "complaint.stats.by_category"),
        ("quarter", "complaint.stats.by_quarter"),
        ("month", "complaint.stats.by_month"),
    ):
        labels = [label for label, _count in tables[title]]
        values = [count for _label, count in tables[title]]
        draw = line_chart if name == "month" else bar_chart
        paths.append(draw(folder / f"{name}.png", t(title), labels, values, rtl=rtl))
    return paths
