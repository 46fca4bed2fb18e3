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

from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from handlers.workshops import (
    TEXT_LOCALES,
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
    registration_rows,
    text_in,
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
        print(f"refused: {error}", file=sys.stderr)
        return 1
    finally:
        await db.close()


# --- reading what staff typed -------------------------------------------------------------
def _texts(pairs: list[str]) -> dict[str, str]:
    texts = {}
    for pair in pairs:
        locale, separator, text = pair.partition("=")
        if not separator or locale not in TEXT_LOCALES:
            raise WorkshopRefused(f"{pair!r}: expected LOCALE=TEXT, LOCALE one of {TEXT_LOCALES}")
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
            raise WorkshopRefused(f"{args.file}: {error}") from None
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
    print(
        f"workshop {workshop.id} created (draft): "
        f"publish it with `tachawor workshops publish {workshop.id}`"
    )
    return 0


async def _edit(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    core = settings.core()
    async with db.transaction() as uow:
        workshop = await edit_workshop(
            uow, core, args.id, changes_of(args, core.timezone), SystemClock().now()
        )
    print(f"workshop {workshop.id} changed (version {workshop.version})")
    return 0


async def _workshop(db: Database, workshop_id: int) -> Workshop:
    async with db.transaction() as uow:
        workshop = await uow.workshops.get(workshop_id)
    if workshop is None:
        raise WorkshopRefused(f"no workshop {workshop_id}")
    return workshop


def _line(workshop: Workshop, timezone: str, figures: Any) -> str:
    return (
        f"{workshop.id:>4}  {workshop.status:<9}  {workshop.kind:<8}  "
        f"{when_text(workshop, timezone):<22}  {figures.registered}/{workshop.capacity} seats, "
        f"{figures.waitlisted} waiting  {text_in(workshop.title, 'fr')}"
    )


async def _list(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    async with db.transaction() as uow:
        workshops = await uow.workshops.all()
        lines = [_line(w, settings.timezone, await workshop_figures(uow, w)) for w in workshops]
    print("\n".join(lines) if lines else "no workshops yet: `tachawor workshops create --file …`")
    return 0


async def _show(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    workshop = await _workshop(db, args.id)
    async with db.transaction() as uow:
        figures = await workshop_figures(uow, workshop)
    values = fields_of(workshop)
    print(_line(workshop, settings.timezone, figures))
    print(f"quarter: {values.quarter} · place: {values.place} · audience: {values.audience}")
    for locale in TEXT_LOCALES:
        print(f"[{locale}] {values.title.get(locale, '')} — {values.description.get(locale, '')}")
    return 0


async def _publish(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    async with db.transaction() as uow:
        done = await publish_workshop(
            uow, settings.core(), args.id, SystemClock().now(), announce=args.announce
        )
    announced = f", {done.announced} announcement(s) queued" if args.announce else ""
    print(f"workshop {args.id} published{announced}")
    return 0


async def _cancel(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    async with db.transaction() as uow:
        told = await cancel_workshop(uow, settings.core(), args.id, SystemClock().now())
    print(f"workshop {args.id} cancelled, {told} notice(s) queued")
    return 0


async def _attendees(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    workshop = await _workshop(db, args.id)
    async with db.transaction() as uow:
        rows = await registration_rows(uow, workshop, settings.timezone, None)
    header, *sign_ups = rows
    for row in sign_ups:
        cell = dict(zip(header, row, strict=True))
        present = "present" if cell["attended_at"] else ""
        print(f"{cell['code']}  {cell['status']:<10}  signed up {cell['signed_up_at']}  {present}")
    if not sign_ups:
        print("no sign-ups yet")
    return 0


async def _attendance(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    failed = 0
    async with db.transaction() as uow:
        for code in args.codes:
            marked = await mark_attendance(uow, args.id, code, SystemClock().now())
            print(f"{code.upper()}: {marked.outcome.replace('_', ' ')}")
            failed += marked.outcome not in ("present", "already")
    return 1 if failed else 0


async def _export(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    workshop = await _workshop(db, args.id)
    key = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    if args.pseudonymise and key is None:
        raise WorkshopRefused("--pseudonymise needs PSEUDONYM_KEY")
    async with db.transaction() as uow:
        rows = await registration_rows(
            uow, workshop, settings.timezone, key if args.pseudonymise else None
        )
    if args.format == "xlsx":
        if args.output is None:
            raise WorkshopRefused("--format xlsx needs --output")
        write_rows_xlsx(rows, args.output, "sign-ups")
    elif args.output is None:
        write_rows_csv(rows, sys.stdout)
    else:
        with args.output.open("w", encoding="utf-8-sig", newline="") as out:
            write_rows_csv(rows, out)
    if args.output is not None:
        print(f"{len(rows) - 1} sign-up(s) written to {args.output}")
    return 0


async def _stats(db: Database, args: argparse.Namespace, settings: Settings) -> int:
    async with db.transaction() as uow:
        workshops = [await _workshop(db, args.id)] if args.id else await uow.workshops.all()
        print("  id  seats  registered  waitlisted  cancelled  attended  no-shows  rating")
        for workshop in workshops:
            f = await workshop_figures(uow, workshop)
            rating = "—" if f.average_rating is None else f"{f.average_rating:.1f}/5"
            print(
                f"{f.workshop_id:>4}  {f.capacity:>5}  {f.registered:>10}  {f.waitlisted:>10}  "
                f"{f.cancelled:>9}  {f.attended:>8}  {f.no_shows:>8}  {rating}"
            )
    return 0


COMMANDS = {
    "create": _create, "edit": _edit, "list": _list, "show": _show, "publish": _publish,
    "cancel": _cancel, "attendees": _attendees, "attendance": _attendance,
    "export": _export, "stats": _stats,
}  # fmt: skip
