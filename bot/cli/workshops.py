"""`tachawor workshops …`: staff create, list, show, edit, publish and cancel workshops,
list attendees, mark attendance by code, export the sign-ups and print the figures.
Every command calls the use cases of `handlers.workshops`; times are typed and shown in
the commune's time zone."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.cli.complaint_stats import table
from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from handlers.languages import Translator, quarter_label
from handlers.workshops import (
    TEXT_LOCALES,
    Reason,
    WorkshopFields,
    WorkshopRefused,
    cancel_workshop,
    create_workshop,
    edit_workshop,
    fields_from_document,
    fields_of,
    local_moment,
    mark_attendance,
    publish_workshop,
    reason,
    registration_rows,
    text_in,
    unknown_workshop,
    when_text,
    workshop_figures,
)
from storage.database import Database
from storage.models import Workshop
from surveys.exports import write_rows_csv, write_rows_xlsx

FIELD_OPTIONS = ("kind", "quarter", "place", "capacity", "audience")


def add_workshop_commands(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("workshops", help="workshops, trainings and meetings")
    actions = parser.add_subparsers(dest="workshops_command", required=True)
    create = actions.add_parser("create", help="create a draft workshop")
    create.add_argument(
        "--file", type=Path, help="a YAML workshop (see handlers/workshops/samples)"
    )
    edit = actions.add_parser("edit", help="change a workshop (those concerned are told)")
    edit.add_argument("id", type=int)
    for sub in (create, edit):
        sub.add_argument("--kind", choices=("workshop", "training", "meeting"))
        sub.add_argument("--title", action="append", default=[], metavar="LOCALE=TEXT")
        sub.add_argument("--description", action="append", default=[], metavar="LOCALE=TEXT")
        sub.add_argument("--quarter")
        sub.add_argument("--place")
        sub.add_argument("--starts", metavar="'YYYY-MM-DD HH:MM'")
        sub.add_argument("--ends", metavar="'YYYY-MM-DD HH:MM'")
        sub.add_argument("--capacity", type=int)
        sub.add_argument("--audience", choices=("everyone", "women", "youth", "traders"))
    listing = actions.add_parser("list", help="every workshop, soonest first")
    show = actions.add_parser("show", help="one workshop in full")
    publish = actions.add_parser("publish", help="open sign-ups")
    publish.add_argument("--announce", action="store_true", help="tell its audience, once")
    cancel = actions.add_parser("cancel", help="cancel; everyone concerned is told")
    attendees = actions.add_parser("attendees", help="the sign-ups, with their codes")
    attendance = actions.add_parser("attendance", help="mark the holders of codes present")
    export = actions.add_parser("export", help="the sign-ups as CSV or XLSX")
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--output", type=Path, help="file (CSV goes to stdout without)")
    export.add_argument("--pseudonymise", action="store_true", help="HMAC citizen ids")
    stats = actions.add_parser("stats", help="seats, waitlist, attendance, no-shows, rating")
    for sub in (show, publish, cancel, attendees, attendance, export):
        sub.add_argument("id", type=int)
    attendance.add_argument("codes", nargs="+", help="the codes citizens show at the door")
    stats.add_argument("id", type=int, nargs="?")
    for sub in (create, edit, listing, show, publish, cancel, attendees, attendance, export, stats):
        sub.add_argument("--db", help="database URL (default: DATABASE_URL)")
        sub.set_defaults(run=workshops_command)


def workshops_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one `tachawor workshops` command."""
    prepare_database(settings.database_url, automatic_only=True)
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    db = Database(settings.database_url)
    try:
        return await COMMANDS[args.workshops_command](db, args, settings)
    except WorkshopRefused as error:
        print(refusal(staff_translate(settings), error), file=sys.stderr)
        return 1
    finally:
        await db.close()


def refusal(t: Translator, error: WorkshopRefused) -> str:
    """Every reason, in the staff's language (after the file they come from, if any)."""
    reasons = "; ".join(t(r.key, **r.params) for r in error.reasons)
    said = t("cli.workshops.refused", reasons=reasons)
    return f"{error.where}: {said}" if error.where else said


# --- reading what staff typed -------------------------------------------------------------
def _texts(pairs: list[str]) -> dict[str, str]:
    texts = {}
    for pair in pairs:
        locale, separator, text = pair.partition("=")
        if not separator or locale not in TEXT_LOCALES:
            locales = ", ".join(TEXT_LOCALES)
            english = f"{pair!r}: expected LOCALE=TEXT, LOCALE one of {locales}"
            raise WorkshopRefused(reason("texts", english, pair=pair, locales=locales))
        texts[locale] = text
    return texts


def changes_of(args: argparse.Namespace, timezone: str) -> dict[str, Any]:
    """The fields given, from --file then the options (options win)."""
    changes: dict[str, Any] = {}
    if getattr(args, "file", None):
        document = yaml.safe_load(args.file.read_text(encoding="utf-8")) or {}
        try:
            changes.update(fields_from_document(document, timezone))
        except WorkshopRefused as error:
            raise WorkshopRefused(*error.reasons, where=str(args.file)) from None
    changes |= {name: getattr(args, name) for name in FIELD_OPTIONS if getattr(args, name)}
    for name in ("starts", "ends"):
        if getattr(args, name):
            changes[f"{name}_at"] = local_moment(getattr(args, name), timezone)
    for name in ("title", "description"):
        if getattr(args, name):
            changes[name] = {**changes.get(name, {}), **_texts(getattr(args, name))}
    return changes


# --- the commands -----------------------------------------------------------------------
async def _create(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    core = settings.core()
    values = WorkshopFields(**changes_of(args, core.timezone))
    async with db.transaction() as uow:
        workshop = await create_workshop(uow, core, values, SystemClock().now())
    print(staff_translate(settings)("cli.workshops.created", workshop=workshop.id))
    return 0


async def _edit(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    core = settings.core()
    async with db.transaction() as uow:
        workshop = await edit_workshop(
            uow, core, args.id, changes_of(args, core.timezone), SystemClock().now()
        )
    t = staff_translate(settings)
    print(t("cli.workshops.changed", workshop=workshop.id, version=workshop.version))
    return 0


async def _workshop(db: Database, workshop_id: int) -> Workshop:
    async with db.transaction() as uow:
        workshop = await uow.workshops.get(workshop_id)
    if workshop is None:
        raise WorkshopRefused(unknown_workshop(workshop_id))
    return workshop


def _row(t: Translator, settings: Settings, workshop: Workshop, figures: Any) -> list[str]:
    """A workshop in a line: number, status, kind, time, seats, title (staff's language)."""
    seats = t(
        "cli.workshops.seats",
        registered=figures.registered, capacity=workshop.capacity,
        waitlisted=figures.waitlisted,
    )  # fmt: skip
    return [
        str(workshop.id),
        t(f"workshop.status.{workshop.status}"),
        t(f"workshop.kind.{workshop.kind}"),
        when_text(workshop, settings.timezone),
        seats,
        text_in(workshop.title, settings.default_language),
    ]


def _lines(rows: list[list[str]]) -> list[str]:
    """Aligned columns, every one left-aligned."""
    return table(rows, numeric_from=len(rows[0])) if rows else []


async def _list(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    async with db.transaction() as uow:
        workshops = await uow.workshops.all()
        rows = [_row(t, settings, w, await workshop_figures(uow, w)) for w in workshops]
    print("\n".join(_lines(rows)) if rows else t("cli.workshops.none"))
    return 0


async def _show(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    workshop = await _workshop(db, args.id)
    async with db.transaction() as uow:
        figures = await workshop_figures(uow, workshop)
    values = fields_of(workshop)
    print(*_lines([_row(t, settings, workshop, figures)]))
    audience = t(f"workshop.audience.{values.audience}")
    quarter = quarter_label(t, values.quarter)
    print(t("cli.workshops.details", quarter=quarter, place=values.place, audience=audience))
    for locale in TEXT_LOCALES:
        print(f"[{locale}] {values.title.get(locale, '')} — {values.description.get(locale, '')}")
    return 0


async def _publish(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    async with db.transaction() as uow:
        done = await publish_workshop(
            uow, settings.core(), args.id, SystemClock().now(), announce=args.announce
        )
    t = staff_translate(settings)
    if args.announce:
        print(t("workshop.staff.published", workshop=args.id, announced=done.announced))
    else:
        print(t("cli.workshops.published", workshop=args.id))
    return 0


async def _cancel(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    async with db.transaction() as uow:
        told = await cancel_workshop(uow, settings.core(), args.id, SystemClock().now())
    print(staff_translate(settings)("workshop.staff.cancelled", workshop=args.id, told=told))
    return 0


async def _attendees(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    workshop = await _workshop(db, args.id)
    async with db.transaction() as uow:
        rows = await registration_rows(uow, workshop, settings.timezone, None)
    header, *sign_ups = rows
    lines = []
    for row in sign_ups:
        cell = dict(zip(header, row, strict=True))
        lines.append(
            [
                cell["code"],
                t(f"workshop.status.{cell['status']}"),
                t("cli.workshops.signed_up", at=cell["signed_up_at"]),
                t("workshop.attended") if cell["attended_at"] else "",
            ]
        )
    print("\n".join(line.strip() for line in _lines(lines)) or t("cli.workshops.no_sign_ups"))
    return 0


async def _attendance(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    failed = 0
    async with db.transaction() as uow:
        for code in args.codes:
            marked = await mark_attendance(uow, args.id, code, SystemClock().now())
            print(t(f"workshop.staff.marked.{marked.outcome}", code=code.upper()))
            failed += marked.outcome not in ("present", "already")
    return 1 if failed else 0


async def _export(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    workshop = await _workshop(db, args.id)
    key = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    if args.pseudonymise and key is None:
        english = "--pseudonymise needs PSEUDONYM_KEY"
        raise WorkshopRefused(Reason("cli.common.needs_pseudonym_key", english))
    async with db.transaction() as uow:
        rows = await registration_rows(
            uow, workshop, settings.timezone, key if args.pseudonymise else None
        )
    if args.format == "xlsx":
        if args.output is None:
            raise WorkshopRefused(reason("xlsx_needs_output", "--format xlsx needs --output"))
        write_rows_xlsx(rows, args.output, "sign-ups")
    elif args.output is None:
        write_rows_csv(rows, sys.stdout)
    else:
        with args.output.open("w", encoding="utf-8-sig", newline="") as out:
            write_rows_csv(rows, out)
    if args.output is not None:
        t = staff_translate(settings)
        print(t("cli.workshops.written", count=len(rows) - 1, path=args.output))
    return 0


STATS_COLUMNS = (
    "id", "seats", "registered", "waitlisted", "cancelled", "attended", "no_shows", "rating",
)  # fmt: skip


async def _stats(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    t = staff_translate(settings)
    rows = [[t(f"cli.workshops.stats.{name}") for name in STATS_COLUMNS]]
    async with db.transaction() as uow:
        workshops = [await _workshop(db, args.id)] if args.id else await uow.workshops.all()
        for workshop in workshops:
            f = await workshop_figures(uow, workshop)
            rating = "—" if f.average_rating is None else f"{f.average_rating:.1f}/5"
            figures = (f.workshop_id, f.capacity, f.registered, f.waitlisted, f.cancelled)
            rows.append([*map(str, figures), str(f.attended), str(f.no_shows), rating])
    print("\n".join(table(rows, numeric_from=0)))
    return 0


COMMANDS = {
    "create": _create, "edit": _edit, "list": _list, "show": _show, "publish": _publish,
    "cancel": _cancel, "attendees": _attendees, "attendance": _attendance,
    "export": _export, "stats": _stats,
}  # fmt: skip
