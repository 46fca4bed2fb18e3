"""`tachawor complaints list|show|set-status|assign|export`: the commune's office follows
complaints from a terminal, through the same use cases as the staff buttons in chat (a
status set here is pushed to the citizen exactly as one set in the staff group)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.complaint_stats import add_stats_command
from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from handlers.complaints import (
    CATEGORIES,
    OPEN_STATUSES,
    STATUSES,
    StatusChangeRefused,
    assign_complaint,
    author_channel,
    export_rows,
    local_date,
    next_statuses,
    read_tracking_number,
    set_complaint_status,
    staff_card,
    status_label,
)
from handlers.languages import Translator
from storage.database import Database
from storage.models import Complaint, ComplaintEvent
from storage.repositories.complaints import ComplaintFilter
from storage.unit_of_work import UnitOfWork
from surveys.exports import write_rows_csv, write_rows_xlsx


class CommandFailed(Exception):
    """What went wrong, for the operator (exit status 1)."""


@dataclass(frozen=True, slots=True)
class StatusRequest:
    number: str
    status: str
    comment: str | None = None
    note: str | None = None
    service: str | None = None
    actor: str = "staff"


def add_complaint_commands(commands: argparse._SubParsersAction) -> None:
    """`tachawor complaints …` and its actions (stats comes from complaint_stats_cli)."""
    complaints = commands.add_parser("complaints", help="follow complaints (staff)")
    actions = complaints.add_subparsers(dest="complaints_command", required=True)
    listing = actions.add_parser("list", help="list complaints, oldest first")
    listing.add_argument("--status", choices=STATUSES)
    listing.add_argument("--category", choices=sorted(CATEGORIES))
    listing.add_argument("--quarter")
    listing.add_argument("--overdue", action="store_true", help="past a deadline now")
    show = actions.add_parser("show", help="one complaint with its full history")
    show.add_argument("number")
    change = actions.add_parser("set-status", help="change a status (the citizen is told)")
    change.add_argument("number")
    change.add_argument("status", choices=STATUSES)
    change.add_argument("--comment", help="public: the citizen reads it (a reason if needed)")
    change.add_argument("--note", help="internal: staff only")
    change.add_argument("--service", help="the service (needed for forwarded)")
    change.add_argument("--actor", default=getpass.getuser(), help="who does it (history)")
    assign = actions.add_parser("assign", help="name the service in charge (no push)")
    assign.add_argument("number")
    assign.add_argument("service")
    assign.add_argument("--actor", default=getpass.getuser())
    export = actions.add_parser("export", help="every complaint as CSV or XLSX")
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--output", type=Path, help="default: stdout (csv), complaints.xlsx")
    export.add_argument("--pseudonymise", action="store_true", help="HMAC citizen ids")
    for parser in (listing, show, change, assign, export):
        parser.add_argument("--db", help="database URL (default: DATABASE_URL)")
        parser.set_defaults(run=complaints_command)
    add_stats_command(actions)


def complaints_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one `tachawor complaints` action; 1 with a message when it cannot be done."""
    prepare_database(settings.database_url, automatic_only=True)
    try:
        output = asyncio.run(_run(args, settings))
    except CommandFailed as failure:
        print(str(failure), file=sys.stderr)
        return 1
    if output:
        print(output)
    return 0


async def _run(args: argparse.Namespace, settings: Settings) -> str:
    db = Database(settings.database_url)
    now = SystemClock().now()
    try:
        if args.complaints_command == "list":
            criteria = ComplaintFilter(
                statuses=[args.status] if args.status else None,
                category=args.category,
                quarter=args.quarter,
                overdue_at=now if args.overdue else None,
                open_statuses=OPEN_STATUSES,
            )
            return "\n".join(await list_complaints(db, settings, criteria))
        if args.complaints_command == "show":
            return await show_complaint(db, settings, args.number)
        if args.complaints_command == "set-status":
            request = StatusRequest(
                args.number, args.status, args.comment, args.note, args.service, args.actor
            )
            return await change_status(db, settings, request, now)
        if args.complaints_command == "assign":
            return await assign_service(db, settings, args.number, args.service, args.actor, now)
        return await export_complaints(db, settings, args.format, args.output, args.pseudonymise)
    finally:
        await db.close()


async def _find(uow: UnitOfWork, settings: Settings, number: str) -> Complaint:
    """The complaint with this number (written any way a person would), locked."""
    canonical = read_tracking_number(number, settings.tracking_prefix)
    complaint = await uow.complaints.by_number(canonical) if canonical else None
    if complaint is None:
        raise CommandFailed(staff_translate(settings)("complaint.staff.not_found", number=number))
    return await uow.complaints.get(complaint.id, for_update=True) or complaint


async def list_complaints(db: Database, settings: Settings, criteria: ComplaintFilter) -> list[str]:
    """One line per complaint: number, status, category, quarter, filed, answer due."""
    core = settings.core()
    async with db.transaction() as uow:
        found = await uow.complaints.search(criteria)
    lines = [
        "\t".join(
            (
                c.tracking_number,
                c.status,
                c.category,
                c.quarter or "-",
                local_date(core, c.filed_at),
                local_date(core, c.answer_by),
            )
        )
        for c in found
    ]
    return lines or [staff_translate(settings)("cli.complaints.none")]


async def show_complaint(db: Database, settings: Settings, number: str) -> str:
    """The staff card, then the whole history, internal notes included."""
    core = settings.core()
    t = staff_translate(settings)
    async with db.transaction() as uow:
        complaint = await _find(uow, settings, number)
        history = await uow.complaints.history(complaint.id)
        channel = await author_channel(uow, complaint)
    lines = [staff_card(t, core, complaint, channel=channel), "", t("complaint.history.title")]
    for event in history:
        lines.append("  " + _event_line(t, settings, event))
        if event.public_comment:
            lines.append("    " + t("cli.complaints.public_comment", comment=event.public_comment))
        if event.internal_note:
            lines.append("    " + t("cli.complaints.internal_note", note=event.internal_note))
    return "\n".join(lines)


def _event_line(t: Translator, settings: Settings, event: ComplaintEvent) -> str:
    when = event.at.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
    before = status_label(t, event.from_status) if event.from_status else "-"
    after = status_label(t, event.to_status)
    return t("cli.complaints.event", when=when, actor=event.actor, before=before, after=after)


async def change_status(
    db: Database, settings: Settings, request: StatusRequest, now: datetime
) -> str:
    """Set a status as staff would in chat: checked, recorded, pushed to the citizen."""
    core = settings.core()
    async with db.transaction() as uow:
        complaint = await _find(uow, settings, request.number)
        try:
            await set_complaint_status(
                uow,
                core,
                complaint,
                request.status,
                request.actor,
                request.comment,
                request.note,
                now,
                service=request.service,
            )
        except StatusChangeRefused as refused:
            raise CommandFailed(refusal(settings, complaint, request.status, refused)) from None
    t = staff_translate(settings)
    label = status_label(t, request.status)
    number = complaint.tracking_number
    return t("cli.complaints.status_set", number=number, status=request.status, label=label)


def refusal(
    settings: Settings, complaint: Complaint, wanted: str, refused: StatusChangeRefused
) -> str:
    """Why a change is refused; for a transition, the statuses allowed next."""
    t = staff_translate(settings)
    number = complaint.tracking_number
    if refused.key != "complaint.refused.transition":
        return t("cli.complaints.refused", number=number, reason=t(refused.key))
    allowed = ", ".join(next_statuses(complaint.status)) or t("cli.complaints.no_next_status")
    return t(
        "cli.complaints.refused_transition",
        number=number, current=complaint.status, wanted=wanted, allowed=allowed,
    )  # fmt: skip


async def assign_service(
    db: Database, settings: Settings, number: str, service: str, actor: str, now: datetime
) -> str:
    """Name the service in charge (a history note; the citizen is not told)."""
    async with db.transaction() as uow:
        complaint = await _find(uow, settings, number)
        await assign_complaint(uow, complaint, service, actor, now)
    return staff_translate(settings)(
        "cli.complaints.assigned",
        number=complaint.tracking_number,
        service=complaint.assigned_service,
    )


async def export_complaints(
    db: Database, settings: Settings, fmt: str, output: Path | None, pseudonymise: bool
) -> str:
    """Write every complaint as CSV (stdout by default) or XLSX."""
    t = staff_translate(settings)
    key = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    if pseudonymise and key is None:  # the command settles it: only a caller's mistake
        raise CommandFailed(t("cli.common.needs_pseudonym_key"))
    async with db.transaction() as uow:
        complaints = await uow.complaints.search(ComplaintFilter())
    rows = export_rows(complaints, settings.timezone, key if pseudonymise else None)
    if fmt == "xlsx":
        path = output or Path("complaints.xlsx")
        write_rows_xlsx(rows, path, "complaints")
        return t("cli.complaints.written", count=len(rows) - 1, path=path)
    if output is None:
        write_rows_csv(rows, sys.stdout)
        return ""
    with output.open("w", encoding="utf-8", newline="") as handle:
        write_rows_csv(rows, handle)
    return t("cli.complaints.written", count=len(rows) - 1, path=output)
