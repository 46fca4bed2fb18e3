"""`tachawor participation`: the gender-approach report — who took part in consultations,
complaints and workshops over a period, by gender, age bracket and quarter — as a table in
the terminal, and with `--csv`, `--xlsx` or `--chart` as a spreadsheet or a PNG chart for
the council, every figure shown under the small-count rule (1 to 4 people read "< 5")."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli.complaint_stats import table
from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from handlers.languages import LOCALES, Translator, is_rtl
from handlers.participation import (
    ParticipationReport,
    Period,
    export_rows,
    footer_lines,
    gather_participation,
    header_lines,
    participation_figure,
    report_period,
    table_rows,
)
from storage.database import Database
from surveys.exports import write_rows_csv, write_rows_xlsx


def day(text: str) -> date:
    """A `YYYY-MM-DD` argument."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def add_participation_command(commands: argparse._SubParsersAction) -> None:
    """Add `tachawor participation`."""
    report = commands.add_parser(
        "participation", help="participation by gender, age and quarter (gender approach)"
    )
    report.add_argument(
        "--from", dest="start", type=day, metavar="YYYY-MM-DD",
        help="first day, local time (default: the 12 months up to --to)",
    )  # fmt: skip
    report.add_argument(
        "--to", dest="end", type=day, metavar="YYYY-MM-DD", help="last day, included (today)"
    )
    report.add_argument("--quarter", help="only the people of this quarter (their own quarter)")
    report.add_argument(
        "--locale", choices=sorted(LOCALES), help="default: DEFAULT_LANGUAGE (commune's)"
    )
    report.add_argument("--csv", type=Path, metavar="PATH", help="also write the figures as CSV")
    report.add_argument("--xlsx", type=Path, metavar="PATH", help="also write them as XLSX")
    report.add_argument("--chart", type=Path, metavar="PATH.png", help="participation by gender")
    report.add_argument("--db", help="database URL (default: DATABASE_URL)")
    report.set_defaults(run=participation_command)


def participation_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the report (and write the files asked for)."""
    locale = args.locale or settings.default_language
    t = staff_translate(settings, locale)
    quarters = settings.quarters()
    if args.quarter is not None and args.quarter not in quarters:
        known = ", ".join(quarters)
        said = t("cli.participation.unknown_quarter", quarter=args.quarter, known=known)
        print(f"tachawor: {said}", file=sys.stderr)
        return 2
    now = SystemClock().now()
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    try:
        period = report_period(today, args.start, args.end)
    except ValueError:  # it ends before it starts
        said = t("cli.participation.bad_period", start=args.start, end=args.end or today)
        print(f"tachawor: {said}", file=sys.stderr)
        return 2
    prepare_database(settings.database_url, automatic_only=True)
    report = asyncio.run(_gather(settings, period, now, args.quarter))
    print(report_text(t, report, settings.commune_name))
    written = []
    if args.csv is not None:
        written.append(write_csv(export_rows(report), args.csv))
    if args.xlsx is not None:
        written.append(write_xlsx(export_rows(report), args.xlsx))
    if args.chart is not None:
        written.append(write_chart(t, report, args.chart, rtl=is_rtl(locale)))
    for path in written:
        print(t("participation.written", path=path))
    return 0


async def _gather(
    settings: Settings, period: Period, now: datetime, quarter: str | None
) -> ParticipationReport:
    db = Database(settings.database_url)
    try:
        async with db.transaction() as uow:
            return await gather_participation(uow, settings.core(), period, now, quarter)
    finally:
        await db.close()


def report_text(t: Translator, report: ParticipationReport, commune: str) -> str:
    """The header (with the small-count rule), the aligned table, the notes."""
    body = table(table_rows(t, report))
    return "\n".join([*header_lines(t, report, commune), "", *body, "", *footer_lines(t, report)])


def _target(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_csv(rows: list[list[Any]], path: Path) -> Path:
    """UTF-8 with a byte-order mark (spreadsheet programs then read it right), every text
    cell defused."""
    with _target(path).open("w", encoding="utf-8-sig", newline="") as out:
        write_rows_csv(rows, out)
    return path


def write_xlsx(rows: list[list[Any]], path: Path) -> Path:
    """One `participation` sheet, header frozen, no cell ever a formula."""
    write_rows_xlsx(rows, _target(path), "participation")
    return path


def write_chart(t: Translator, report: ParticipationReport, path: Path, *, rtl: bool) -> Path:
    participation_figure(t, report, rtl=rtl).savefig(_target(path), format="png")
    return path
