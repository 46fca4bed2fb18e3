"""Complaints: the list with its filters and pages, a search by tracking number, one
complaint with its whole history, and what staff do to it — change its status (only to
the statuses allowed next, rejecting for admins), assign a service, add an internal note
— each written to the audit log; and the export, pseudonymised unless an admin asks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from aiohttp import web

from bot.web.downloads import format_asked, pseudonymising, table_download
from bot.web.guard import see_other
from bot.web.paging import paging
from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.channels import channel_name
from handlers.complaints import (
    CATEGORIES,
    OPEN_STATUSES,
    STATUSES,
    StatusChangeRefused,
    add_internal_note,
    assign_complaint,
    attachment_text,
    export_rows,
    file_text,
    is_overdue,
    read_tracking_number,
    rule_for,
    set_status_as_staff,
    similar_complaints,
    statuses_for_staff,
)
from handlers.staff import record_staff_action
from storage.models import Complaint
from storage.repositories.complaints import ComplaintFilter
from storage.unit_of_work import UnitOfWork

FILTERS = ("status", "category", "quarter", "overdue", "service")
DONE = {"status": "backoffice.complaint.done.status", "assign": "backoffice.complaint.done.assign",
        "note": "backoffice.complaint.done.note"}  # fmt: skip
TEXT_LIMIT = 2000


def _filter_of(
    query: Mapping[str, str], quarters: tuple[str, ...], now: datetime
) -> ComplaintFilter:
    """The list's criteria from the address; a value that is not one of ours is ignored."""
    status, category = query.get("status"), query.get("category")
    quarter, service = query.get("quarter"), query.get("service")
    return ComplaintFilter(
        statuses=[status] if status in STATUSES else None,
        category=category if category in CATEGORIES else None,
        quarter=quarter if quarter in quarters else None,
        overdue_at=now if query.get("overdue") == "1" else None,
        open_statuses=OPEN_STATUSES,
        assigned_service=service[:120] if service else None,
    )


async def complaint_list(request: web.Request) -> web.Response:
    """Complaints, newest first, fifty a page; a tracking number typed in the search box
    opens that complaint."""
    office = back_office(request)
    query, now = request.query, office.clock.now()
    typed = query.get("number", "").strip()
    if typed:
        number = read_tracking_number(typed, office.settings.tracking_prefix)
        async with office.db.transaction() as uow:
            found = await uow.complaints.by_number(number) if number else None
        if found is not None:
            return see_other(f"/complaints/{found.tracking_number}")
    criteria = _filter_of(query, office.core.commune_quarters, now)
    async with office.db.transaction() as uow:
        total = await uow.complaints.count(criteria)
        pages = paging(query, total)
        rows = await uow.complaints.search_page(criteria, pages.offset, pages.size)
        services = await uow.complaints.assigned_services()
    return render(
        request,
        "complaints.html",
        complaints=rows,
        pages=pages,
        chosen={name: query.get(name, "") for name in FILTERS},
        statuses=STATUSES,
        categories=sorted(CATEGORIES),
        quarters=office.core.commune_quarters,
        services=services,
        not_found=typed if typed else None,
        overdue_ids={c.id for c in rows if is_overdue(c, now)},
        export_query=request.query_string,
    )


async def _complaint(uow: UnitOfWork, request: web.Request, *, lock: bool = False) -> Complaint:
    office = back_office(request)
    number = read_tracking_number(request.match_info["number"], office.settings.tracking_prefix)
    complaint = await uow.complaints.by_number(number) if number else None
    if complaint is None:
        raise web.HTTPNotFound()
    if not lock:
        return complaint
    return await uow.complaints.get(complaint.id, for_update=True) or complaint


async def complaint_page(request: web.Request, *, refused: str | None = None) -> web.Response:
    """One complaint: what the citizen said, where, the deadlines, the rating, the whole
    history with internal notes, and the forms to act on it."""
    office, seen = back_office(request), visit(request)
    async with office.db.transaction() as uow:
        complaint = await _complaint(uow, request)
        history = await uow.complaints.history(complaint.id)
        similar = await similar_complaints(uow, complaint)
        author = await uow.citizens.get(complaint.citizen_id)
    role = seen.staff.role if seen.staff else ""
    allowed = statuses_for_staff(complaint, role)
    done = DONE.get(request.query.get("done", ""))
    return render(
        request,
        "complaint.html",
        status=422 if refused else 200,
        complaint=complaint,
        history=history,
        similar=similar,
        author=author,
        channel_name=channel_name(seen.t, author.channel) if author else "",
        allowed=allowed,
        needs_text={s: rule_for(s).needs_comment for s in allowed},
        needs_service={s: rule_for(s).needs_service for s in allowed},
        overdue=is_overdue(complaint, office.clock.now()),
        attachment=attachment_text(seen.t, {"attachment_kind": complaint.attachment_kind}),
        attachment_file=file_text(seen.t, complaint),
        attachment_url=(
            f"/complaints/{complaint.tracking_number}/attachment"
            if complaint.attachment_file_ref
            and author
            and office.attachments.can_fetch(author.channel)
            else None
        ),
        refused=refused,
        done=done,
    )


def _text(form: Mapping[str, object], name: str) -> str | None:
    value = form.get(name)
    return value.strip()[:TEXT_LIMIT] or None if isinstance(value, str) else None


async def change_status(request: web.Request) -> web.Response:
    """Move the complaint to the status chosen; the citizen's push is queued with it."""
    office, seen = back_office(request), visit(request)
    form = await request.post()
    status = str(form.get("status", ""))
    now = office.clock.now()
    assert seen.staff is not None
    async with office.db.transaction() as uow:
        complaint = await _complaint(uow, request, lock=True)
        member = await uow.staff.get(seen.staff.id)
        try:
            if member is None or status not in STATUSES:
                raise StatusChangeRefused("complaint.refused.transition", status)
            await set_status_as_staff(
                uow, office.core, complaint, status, member, _text(form, "comment"),
                _text(form, "note"), now, service=_text(form, "service"),
            )  # fmt: skip
        except StatusChangeRefused as refusal:
            refused = refusal.key
        else:
            refused = None
            number = complaint.tracking_number
            await record_staff_action(
                uow, member, "complaint_status", seen.where, now, target=number, detail=status
            )
    if refused is not None:
        return await complaint_page(request, refused=refused)
    return see_other(f"/complaints/{number}?done=status")


async def assign(request: web.Request) -> web.Response:
    """Name the service in charge (the citizen is not told)."""
    office, seen = back_office(request), visit(request)
    form = await request.post()
    service = _text(form, "service")
    if not service:
        return await complaint_page(request, refused="complaint.refused.service")
    now = office.clock.now()
    async with office.db.transaction() as uow:
        complaint = await _complaint(uow, request, lock=True)
        assert seen.staff is not None
        await assign_complaint(uow, complaint, service, seen.staff.name, now)
        number = complaint.tracking_number
        await record_staff_action(
            uow, seen.staff, "complaint_assign", seen.where, now, target=number, detail=service
        )
    return see_other(f"/complaints/{number}?done=assign")


async def add_note(request: web.Request) -> web.Response:
    """A note for staff only, in the complaint's history."""
    office, seen = back_office(request), visit(request)
    form = await request.post()
    now = office.clock.now()
    async with office.db.transaction() as uow:
        complaint = await _complaint(uow, request, lock=True)
        assert seen.staff is not None
        try:
            await add_internal_note(uow, complaint, _text(form, "note") or "", seen.staff.name, now)
        except StatusChangeRefused as refusal:
            refused: str | None = refusal.key
        else:
            refused = None
            number = complaint.tracking_number
            await record_staff_action(
                uow, seen.staff, "complaint_note", seen.where, now, target=number
            )
    if refused is not None:
        return await complaint_page(request, refused=refused)
    return see_other(f"/complaints/{number}?done=note")


async def export(request: web.Request) -> web.StreamResponse:
    """The complaints of the list's filters as CSV or XLSX. Citizen ids are pseudonymised
    unless an admin unticks it."""
    office, seen = back_office(request), visit(request)
    assert seen.staff is not None
    query, now = request.query, office.clock.now()
    fmt = format_asked(query)
    pseudonymise = pseudonymising(query, seen.staff.role)
    key = office.settings.pseudonym_key.get_secret_value() if office.settings.pseudonym_key else ""
    criteria = _filter_of(query, office.core.commune_quarters, now)
    async with office.db.transaction() as uow:
        complaints = await uow.complaints.search(criteria)
        detail = f"{fmt}, {len(complaints)} rows, {'pseudonymised' if pseudonymise else 'ids'}"
        await record_staff_action(
            uow, seen.staff, "complaints_export", seen.where, now, detail=detail
        )
    rows = export_rows(complaints, office.settings.timezone, key if pseudonymise else None)
    return await table_download(rows, fmt, f"complaints-{now:%Y%m%d-%H%M}", "complaints")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/complaints", complaint_list)
    app.router.add_get("/complaints/export", export)
    app.router.add_get("/complaints/{number}", complaint_page)
    app.router.add_post("/complaints/{number}/status", change_status)
    app.router.add_post("/complaints/{number}/assign", assign)
    app.router.add_post("/complaints/{number}/note", add_note)
