"""`tachawor consultations load|list|open|close|results|export`: consultations for staff.

load FILE            check a YAML or XLSForm file and store it as a draft
open KEY / close KEY citizens can answer it (within its dates) / no longer
publish KEY          queue the results to each participant (once), after close
results KEY          tables (and PNG charts), optionally for a quarter, gender, age, language
export KEY           CSV or XLSX, a row per response, pseudonymised citizen ids
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.consultation_reports import print_results, write_charts
from bot.cli.staff_texts import staff_content_language, staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from handlers.consultations import (
    ConsultationRefused,
    PublishRefused,
    builtin_labels,
    close_consultation,
    open_consultation,
    publish_results,
    store_consultation,
)
from handlers.languages import Translator
from storage.database import Database
from storage.models import ConsultationRecord
from storage.repositories.consultations import ResponseFilters
from storage.unit_of_work import UnitOfWork
from surveys.definitions import LANGUAGES, Consultation
from surveys.exports import FORMATS, ExportOptions, export_responses
from surveys.problems import DefinitionError
from surveys.results import consultation_results
from surveys.stored import definition_of
from surveys.texts import text_in
from surveys.xlsform_loader import is_xlsform, load_xlsform
from surveys.yaml_loader import load_yaml


def add_consultation_commands(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("consultations", help="consultations: load, open, results")
    actions = parser.add_subparsers(dest="consultations_command", required=True)
    load = actions.add_parser("load", help="check a consultation file (YAML or .xlsx), store it")
    load.add_argument("file", type=Path)
    listing = actions.add_parser("list", help="consultations, their status and responses")
    opening = actions.add_parser("open", help="let citizens answer (within its dates)")
    closing = actions.add_parser("close", help="stop taking answers")
    results = actions.add_parser("results", help="results per question, optionally filtered")
    export = actions.add_parser("export", help="a row per response, as CSV or XLSX")
    export.add_argument("--format", choices=FORMATS, default="xlsx")
    export.add_argument("--output", type=Path, required=True)
    publish = actions.add_parser("publish", help="send the results to participants (closed)")
    for sub in (opening, closing, results, export, publish):
        sub.add_argument("key")
    for sub in (results, export):
        sub.add_argument("--quarter")
        sub.add_argument("--gender")
        sub.add_argument("--age", help="age bracket, e.g. 18-29")
        sub.add_argument("--language", help="ar, ary, fr, shi, or a locale such as ary-Latn")
        sub.add_argument(
            "--labels", choices=LANGUAGES, help="language of labels (default: DEFAULT_LANGUAGE)"
        )
    results.add_argument("--charts", type=Path, help="write a PNG chart per question here")
    results.add_argument("--chart-language", choices=LANGUAGES, help="default: --labels")
    for sub in (load, listing, opening, closing, results, export, publish):
        sub.add_argument("--db", help="database URL (default: DATABASE_URL)")
        sub.set_defaults(run=consultations_command)


def consultations_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one `tachawor consultations` action and print its outcome."""
    prepare_database(settings.database_url, automatic_only=True)
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "labels", "") is None:
        args.labels = staff_content_language(settings)
    if getattr(args, "chart_language", "") is None:
        args.chart_language = args.labels
    db = Database(settings.database_url)
    try:
        async with db.transaction() as uow:
            action = ACTIONS[args.consultations_command]
            return await action(uow, args, settings)
    finally:
        await db.close()


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


async def _load(uow: UnitOfWork, args: argparse.Namespace, settings: Settings) -> int:
    reader = load_xlsform if is_xlsform(args.file) else load_yaml
    try:
        consultation = reader(args.file, settings.quarters())
    except (DefinitionError, OSError) as error:
        problems = getattr(error, "problems", [str(error)])
        return _fail("\n".join(f"{args.file}: {problem}" for problem in problems))
    t = staff_translate(settings)
    try:
        created = await store_consultation(uow, consultation, SystemClock().now())
    except ConsultationRefused:
        return _fail(t("cli.consultations.not_a_draft", consultation=consultation.key))
    kind = "draft_quick_poll" if consultation.quick_poll else "draft"
    said = "loaded" if created else "updated"
    print(
        t(
            f"cli.consultations.{said}",
            consultation=consultation.key,
            kind=t(f"cli.consultations.{kind}"),
            count=len(consultation.asked),
            languages=", ".join(consultation.languages),
        )
    )
    return 0


async def _list(uow: UnitOfWork, args: argparse.Namespace, settings: Settings) -> int:
    language = staff_content_language(settings)
    for record in await uow.consultations.all():
        consultation = definition_of(record)
        responses = await uow.consultations.count_responses(record.id)
        dates = f"{consultation.opens_on or '…'} → {consultation.closes_on or '…'}"
        title = text_in(consultation, consultation.title, language)[1]
        print(f"{record.key}\t{record.status}\t{responses}\t{dates}\t{title}")
    return 0


async def _find(uow: UnitOfWork, key: str) -> tuple[ConsultationRecord, Consultation] | None:
    record = await uow.consultations.find(key)
    return None if record is None else (record, definition_of(record))


def _unknown(settings: Settings, key: str) -> int:
    return _fail(staff_translate(settings)("cli.consultations.unknown", consultation=key))


async def _open(uow: UnitOfWork, args: argparse.Namespace, settings: Settings) -> int:
    try:
        record = await open_consultation(uow, args.key, SystemClock().now())
    except ConsultationRefused:
        return _unknown(settings, args.key)
    consultation = definition_of(record)
    opens, closes = consultation.opens_on or "…", consultation.closes_on or "…"
    t = staff_translate(settings)
    print(t("cli.consultations.opened", consultation=record.key, opens=opens, closes=closes))
    return 0


async def _close(uow: UnitOfWork, args: argparse.Namespace, settings: Settings) -> int:
    try:
        closed = await close_consultation(uow, args.key, SystemClock().now())
    except ConsultationRefused:
        return _unknown(settings, args.key)
    t = staff_translate(settings)
    withdrawn = closed.reminders_withdrawn
    print(t("cli.consultations.closed", consultation=closed.record.key, withdrawn=withdrawn))
    if definition_of(closed.record).quick_poll:
        print(t("cli.consultations.polls_close"))
    return 0


def _filters(args: argparse.Namespace) -> ResponseFilters:
    return ResponseFilters(
        quarter=args.quarter, gender=args.gender, age_bracket=args.age, language=args.language
    )


def _described(t: Translator, filters: ResponseFilters) -> str:
    named = {"quarter": filters.quarter, "gender": filters.gender, "age": filters.age_bracket}
    named["language"] = filters.language
    return ", ".join(
        f"{t('cli.consultations.filter.' + name)}={value}" for name, value in named.items() if value
    )


async def _results(uow: UnitOfWork, args: argparse.Namespace, settings: Settings) -> int:
    if (found := await _find(uow, args.key)) is None:
        return _unknown(settings, args.key)
    record, consultation = found
    t = staff_translate(settings)
    filters = _filters(args)
    results = await consultation_results(
        uow, record.id, consultation, filters, language=args.labels,
        builtin=builtin_labels(args.labels),
    )  # fmt: skip
    print_results(t, consultation, results, args.labels, _described(t, filters))
    if args.charts:
        language = args.chart_language
        charted = await consultation_results(
            uow, record.id, consultation, filters, language=language,
            builtin=builtin_labels(language),
        )  # fmt: skip
        written = write_charts(charted, args.charts, language)
        print()
        print(t("cli.consultations.charts_written", count=len(written), path=args.charts))
    return 0


async def _export(uow: UnitOfWork, args: argparse.Namespace, settings: Settings) -> int:
    if (found := await _find(uow, args.key)) is None:
        return _unknown(settings, args.key)
    record, consultation = found
    assert settings.pseudonym_key is not None, "settled by the command"
    key = settings.pseudonym_key.get_secret_value()
    options = ExportOptions(
        language=args.labels,
        timezone=settings.timezone,
        pseudonym_key=key,
        builtin=builtin_labels(args.labels),
        filters=_filters(args),
    )
    written = await export_responses(
        uow, record.id, consultation, args.output, args.format, options
    )
    t = staff_translate(settings)
    print(t("cli.consultations.exported", count=written, path=args.output))
    return 0


async def _publish(uow: UnitOfWork, args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    try:
        done = await publish_results(uow, settings.core(), args.key, SystemClock().now())
    except PublishRefused:
        return _fail(t("cli.consultations.not_closed", consultation=args.key))
    said = t(
        "cli.consultations.published",
        consultation=args.key, queued=done.queued, participants=done.participants,
    )  # fmt: skip
    print(said)
    if done.anonymous_responses:
        print(t("cli.consultations.anonymous_left", count=done.anonymous_responses))
    return 0


ACTIONS = {
    "load": _load,
    "list": _list,
    "open": _open,
    "close": _close,
    "results": _results,
    "export": _export,
    "publish": _publish,
}
