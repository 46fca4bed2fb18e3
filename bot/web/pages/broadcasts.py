"""Broadcasting a consultation from the back-office: who it is for (its segment) and how
many citizens it will reach, shown before anything is sent; then its delivery followed
live — the page asks for the figures every two seconds (a script of ours; without
scripts it reloads itself)."""

from __future__ import annotations

from aiohttp import web

from bot.web.guard import see_other
from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.consultations import (
    BroadcastRefused,
    broadcast_consultation,
    consultation_audience,
    staff_may_broadcast,
)
from handlers.staff import broadcast_progress, record_staff_action
from storage.models import ConsultationRecord
from storage.repositories.consultations import OPEN
from surveys.stored import definition_of
from surveys.texts import text_in


async def _record(request: web.Request) -> ConsultationRecord:
    async with back_office(request).db.transaction() as uow:
        record = await uow.consultations.find(request.match_info["key"])
    if record is None:
        raise web.HTTPNotFound()
    return record


async def confirm_page(request: web.Request) -> web.Response:
    """Before sending: the segment and the number of citizens it will reach."""
    office, seen = back_office(request), visit(request)
    record = await _record(request)
    async with office.db.transaction() as uow:
        audience = await consultation_audience(uow, office.core, record.key)
    consultation = definition_of(record)
    return render(
        request,
        "broadcast_confirm.html",
        record=record,
        title=text_in(consultation, consultation.title, seen.t.locale)[1],
        segment=consultation.segment,
        audience=audience,
        is_open=record.status == OPEN,
        may_send=staff_may_broadcast(seen.staff.role if seen.staff else None),
    )


async def send(request: web.Request) -> web.Response:
    """Queue the announcement to each citizen of the segment (once each)."""
    office, seen = back_office(request), visit(request)
    if not staff_may_broadcast(seen.staff.role if seen.staff else None):
        raise web.HTTPForbidden()
    record = await _record(request)
    now = office.clock.now()
    async with office.db.transaction() as uow:
        try:
            done = await broadcast_consultation(uow, office.core, record.key, now)
        except BroadcastRefused:
            done = None
        else:
            await record_staff_action(
                uow, seen.staff, "consultation_broadcast", seen.where, now, target=record.key,
                detail=f"{done.queued} queued, {done.targeted} targeted",
            )  # fmt: skip
    if done is None:
        return see_other(f"/consultations/{record.key}/broadcast")
    return see_other(f"/consultations/{record.key}/broadcast/progress")


async def progress_page(request: web.Request) -> web.Response:
    """The delivery so far: sent, waiting, failed, unreachable."""
    office, seen = back_office(request), visit(request)
    record = await _record(request)
    async with office.db.transaction() as uow:
        progress = await broadcast_progress(uow, record.key)
    consultation = definition_of(record)
    return render(
        request,
        "broadcast_progress.html",
        record=record,
        title=text_in(consultation, consultation.title, seen.t.locale)[1],
        progress=progress,
    )


async def progress_figures(request: web.Request) -> web.Response:
    """The same figures as JSON, for the page's script."""
    record = await _record(request)
    async with back_office(request).db.transaction() as uow:
        progress = await broadcast_progress(uow, record.key)
    return web.json_response(
        {
            "sent": progress.sent,
            "pending": progress.pending,
            "waiting": progress.waiting,
            "failed": progress.failed,
            "unreachable": progress.unreachable,
            "total": progress.total,
            "percent": progress.percent,
            "finished": progress.finished,
        }
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/consultations/{key}/broadcast", confirm_page)
    app.router.add_post("/consultations/{key}/broadcast", send)
    app.router.add_get("/consultations/{key}/broadcast/progress", progress_page)
    app.router.add_get("/consultations/{key}/broadcast/progress.json", progress_figures)
