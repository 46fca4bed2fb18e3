"""Workshops, as `tachawor workshops` offers them: the list (coming, past, cancelled) with
seats, waitlist and attendance; one workshop in the staff member's language with its
sign-ups, their codes and the waitlist; publishing and cancelling (admins, as in the
staff chat), attendance by code, and the sign-ups' export — each written to the audit
log (creating and editing: `workshop_forms`). What a use case refuses is said with its
reasons, and nothing changes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from aiohttp import web

from bot.web.downloads import format_asked, pseudonymising, table_download
from bot.web.guard import see_other
from bot.web.paging import paging
from bot.web.rendering import render
from bot.web.state import Visit, back_office, visit
from handlers.staff import record_staff_action
from handlers.workshops import (
    TEXT_LOCALES,
    Reason,
    WorkshopRefused,
    cancel_workshop,
    mark_attendance,
    publish_workshop,
    registration_rows,
    staff_may_run,
    text_in,
    workshop_figures,
)
from storage.models import Workshop
from storage.repositories.workshops import CANCELLED, REGISTERED, WAITLISTED, WITHDRAWN
from storage.unit_of_work import UnitOfWork

VIEWS = ("upcoming", "past", "cancelled")
TEXTS = tuple(f"{name}_{locale}" for name in ("title", "description") for locale in TEXT_LOCALES)
FIELDS = ("kind", "quarter", "place", "starts", "ends", "capacity", "audience", *TEXTS)
TEXT_LIMIT = 2000
MOST_CODES = 100


def _view_of(workshop: Workshop, now: datetime) -> str:
    if workshop.status == CANCELLED:
        return "cancelled"
    return "upcoming" if workshop.starts_at > now else "past"


async def workshop_list(request: web.Request) -> web.Response:
    """The coming workshops soonest first (past and cancelled ones latest first), with
    their seats, waitlist, attendance and rating."""
    office, query = back_office(request), request.query
    view = query.get("show") if query.get("show") in VIEWS else "upcoming"
    now = office.clock.now()
    async with office.db.transaction() as uow:
        chosen = [w for w in await uow.workshops.all() if _view_of(w, now) == view]
        if view != "upcoming":
            chosen.reverse()
        pages = paging(query, len(chosen))
        shown = chosen[pages.offset : pages.offset + pages.size]
        figures = {w.id: await workshop_figures(uow, w) for w in shown}
    locale = visit(request).t.locale
    return render(request, "workshops.html", workshops=shown, figures=figures, view=view,
                  views=VIEWS, pages=pages, text=lambda texts: text_in(texts, locale))  # fmt: skip


async def workshop_of(uow: UnitOfWork, request: web.Request) -> Workshop:
    workshop = await uow.workshops.get(int(request.match_info["id"]))
    if workshop is None:
        raise web.HTTPNotFound()
    return workshop


def _done(request: web.Request, workshop_id: int) -> str | None:
    """The notice after an action (POST, redirect, GET), from the address."""
    t, query = visit(request).t, request.query
    count = int(query["count"]) if query.get("count", "").isdigit() else 0
    texts = {
        "created": lambda: t("backoffice.workshop.done.created"),
        "edited": lambda: t("backoffice.workshop.done.edited"),
        "published": lambda: t("workshop.staff.published", workshop=workshop_id, announced=count),
        "cancelled": lambda: t("workshop.staff.cancelled", workshop=workshop_id, told=count),
        "attendance": lambda: t("backoffice.workshop.done.attendance", count=count),
    }
    chosen = texts.get(query.get("done", ""))
    return chosen() if chosen else None


async def workshop_page(
    request: web.Request,
    *,
    refused: Sequence[Reason] = (),
    marked: Sequence[str] = (),
) -> web.Response:
    """One workshop: what citizens read, its figures, the sign-ups with their codes and
    attendance, the waitlist in the order it is served, and the forms to act on it."""
    office, seen = back_office(request), visit(request)
    statuses = (REGISTERED, WAITLISTED, WITHDRAWN)
    async with office.db.transaction() as uow:
        workshop = await workshop_of(uow, request)
        figures = await workshop_figures(uow, workshop)
        registrations = await uow.workshops.registrations(workshop.id, statuses)
    now = office.clock.now()
    return render(
        request,
        "workshop.html",
        status=422 if refused or marked else 200,
        workshop=workshop,
        figures=figures,
        seated=[r for r in registrations if r.status != WAITLISTED],
        waitlist=[r for r in registrations if r.status == WAITLISTED],
        text=lambda texts: text_in(texts, seen.t.locale),
        locales=TEXT_LOCALES,
        view=_view_of(workshop, now),
        editable=workshop.status != CANCELLED and workshop.starts_at > now,
        refused=[seen.t(r.key, **r.params) for r in refused],
        marked=marked,
        done=_done(request, workshop.id),
    )


# --- the form ---------------------------------------------------------------------------
def _allowed(seen: Visit, action: str) -> None:
    if not staff_may_run(action, seen.staff.role if seen.staff else None):
        raise web.HTTPForbidden()


async def publish(request: web.Request) -> web.Response:
    """Open sign-ups (admins); ticked, its audience is told once through the outbox."""
    office, seen = back_office(request), visit(request)
    _allowed(seen, "publish")
    announce = (await request.post()).get("announce") == "1"
    now = office.clock.now()
    try:
        async with office.db.transaction() as uow:
            workshop = await workshop_of(uow, request)
            done = await publish_workshop(uow, office.core, workshop.id, now, announce=announce)
            await record_staff_action(
                uow, seen.staff, "workshop_publish", seen.where, now, target=str(workshop.id),
                detail=f"announced {done.announced}" if announce else None,
            )  # fmt: skip
    except WorkshopRefused as refusal:
        return await workshop_page(request, refused=refusal.reasons)
    return see_other(f"/workshops/{workshop.id}?done=published&count={done.announced}")


async def cancel(request: web.Request) -> web.Response:
    """Cancel the workshop (admins): reminders withdrawn, everyone concerned told."""
    office, seen = back_office(request), visit(request)
    _allowed(seen, "cancel")
    now = office.clock.now()
    try:
        async with office.db.transaction() as uow:
            workshop = await workshop_of(uow, request)
            told = await cancel_workshop(uow, office.core, workshop.id, now)
            await record_staff_action(
                uow, seen.staff, "workshop_cancel", seen.where, now, target=str(workshop.id),
                detail=f"told {told}",
            )  # fmt: skip
    except WorkshopRefused as refusal:
        return await workshop_page(request, refused=refusal.reasons)
    return see_other(f"/workshops/{workshop.id}?done=cancelled&count={told}")


async def attendance(request: web.Request) -> web.Response:
    """Mark present the holders of the codes typed (several at once, as at the door);
    a code that is unknown, of another workshop or without a seat changes nothing."""
    office, seen = back_office(request), visit(request)
    typed = (await request.post()).get("codes")
    codes = re.split(r"[\s,;]+", typed.strip())[:MOST_CODES] if isinstance(typed, str) else []
    codes = [code[:20] for code in codes if code]
    if not codes:
        return await workshop_page(request, marked=[seen.t("backoffice.workshop.no_code")])
    now, outcomes = office.clock.now(), []
    assert seen.staff is not None
    async with office.db.transaction() as uow:
        workshop = await workshop_of(uow, request)
        for code in codes:
            outcomes.append(
                (code.upper(), (await mark_attendance(uow, workshop.id, code, now)).outcome)
            )
        present = sum(outcome == "present" for _, outcome in outcomes)
        if present:
            detail = "; ".join(f"{code} {outcome}" for code, outcome in outcomes)
            await record_staff_action(
                uow, seen.staff, "workshop_attendance", seen.where, now,
                target=str(workshop.id), detail=detail,
            )  # fmt: skip
    if all(outcome in ("present", "already") for _, outcome in outcomes):
        return see_other(f"/workshops/{workshop.id}?done=attendance&count={present}")
    said = [seen.t(f"workshop.staff.marked.{outcome}", code=code) for code, outcome in outcomes]
    return await workshop_page(request, marked=said)


async def export(request: web.Request) -> web.StreamResponse:
    """The sign-ups as CSV or XLSX; citizen ids pseudonymised unless an admin unticks it."""
    office, seen = back_office(request), visit(request)
    assert seen.staff is not None
    query, now = request.query, office.clock.now()
    fmt = format_asked(query)
    pseudonymise = pseudonymising(query, seen.staff.role)
    key = office.settings.pseudonym_key.get_secret_value() if office.settings.pseudonym_key else ""
    async with office.db.transaction() as uow:
        workshop = await workshop_of(uow, request)
        rows = await registration_rows(
            uow, workshop, office.settings.timezone, key if pseudonymise else None
        )
        detail = f"{fmt}, {len(rows) - 1} rows, {'pseudonymised' if pseudonymise else 'ids'}"
        await record_staff_action(
            uow, seen.staff, "workshop_export", seen.where, now, target=str(workshop.id),
            detail=detail,
        )  # fmt: skip
    name = f"workshop-{workshop.id}-sign-ups-{now:%Y%m%d-%H%M}"
    return await table_download(rows, fmt, name, "sign-ups")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/workshops", workshop_list)
    app.router.add_get(r"/workshops/{id:\d{1,12}}", workshop_page)
    app.router.add_post(r"/workshops/{id:\d{1,12}}/publish", publish)
    app.router.add_post(r"/workshops/{id:\d{1,12}}/cancel", cancel)
    app.router.add_post(r"/workshops/{id:\d{1,12}}/attendance", attendance)
    app.router.add_get(r"/workshops/{id:\d{1,12}}/export", export)
