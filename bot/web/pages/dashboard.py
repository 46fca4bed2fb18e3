"""The dashboard: what staff check first — new and overdue complaints, open consultations
and their responses, upcoming workshops, the outbox, and the errors of the last 24 h."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.complaints import OPEN_STATUSES
from handlers.workshops import local_time
from handlers.workshops import text_in as workshop_text
from storage.repositories.complaints import ComplaintFilter
from surveys.stored import definition_of
from surveys.texts import text_in

UPCOMING_WORKSHOPS = 5


@dataclass(frozen=True, slots=True)
class Line:
    """One row of a dashboard list: a title, a figure, a detail."""

    title: str
    figure: str
    detail: str = ""


async def dashboard(request: web.Request) -> web.Response:
    """The figures of the day, each leading to its page."""
    office, seen = back_office(request), visit(request)
    now, locale = office.clock.now(), seen.t.locale
    async with office.db.transaction() as uow:
        new = await uow.complaints.count(ComplaintFilter(statuses=["received"]))
        overdue = await uow.complaints.count(
            ComplaintFilter(overdue_at=now, open_statuses=OPEN_STATUSES)
        )
        consultations = []
        for record in await uow.consultations.open_ones():
            consultation = definition_of(record)
            title = text_in(consultation, consultation.title, locale)[1]
            responses = await uow.consultations.count_responses(record.id)
            consultations.append(Line(title, str(responses)))
        workshops = await uow.workshops.upcoming(now)
        counts = await uow.workshops.counts([w.id for w in workshops])
        upcoming = [
            Line(
                workshop_text(w.title, locale),
                f"{counts.get((w.id, 'registered'), 0)} / {w.capacity}",
                local_time(w.starts_at, office.settings.timezone),
            )
            for w in workshops[:UPCOMING_WORKSHOPS]
        ]
        outbox = await uow.outbox.count_by_status()
        unreachable = await uow.citizens.count_unreachable()
        errors = await uow.inbox.count_failed(now - timedelta(hours=24))
    return render(
        request,
        "dashboard.html",
        new=new,
        overdue=overdue,
        consultations=consultations,
        workshops=upcoming,
        queued=outbox.get("pending", 0),
        failed=outbox.get("failed", 0),
        waiting=outbox.get("waiting", 0),
        unreachable=unreachable,
        errors=errors,
    )


async def health(_request: web.Request) -> web.Response:
    """For the reverse proxy and monitoring: the process answers."""
    return web.Response(text="ok")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", dashboard)
    app.router.add_get("/healthz", health)
