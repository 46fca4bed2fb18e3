"""The audit log, for admins: every staff action, newest first, filtered by staff member,
action and day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.web.paging import paging
from bot.web.rendering import render
from bot.web.state import back_office, visit
from bot.web.texts import WebTranslator
from handlers.staff import ADMIN, read_audit_log
from storage.repositories.audit import AuditFilter


def _day(text: str, timezone: str) -> datetime | None:
    """The start of a day typed as YYYY-MM-DD, in the commune's time; else None."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return datetime.combine(day, time(), ZoneInfo(timezone))


async def audit_log(request: web.Request) -> web.Response:
    office, seen = back_office(request), visit(request)
    if seen.staff is None or seen.staff.role != ADMIN:
        raise web.HTTPForbidden()
    query = request.query
    since = _day(query.get("since", ""), office.settings.timezone)
    until = _day(query.get("until", ""), office.settings.timezone)
    staff_id = query.get("staff", "")
    criteria = AuditFilter(
        staff_id=int(staff_id) if staff_id.isdigit() else None,
        action=query.get("action") or None,
        since=since,
        until=until + timedelta(days=1) if until else None,
    )
    async with office.db.transaction() as uow:
        total = await uow.audit.count(criteria)
        pages = paging(query, total)
        found = await read_audit_log(uow, criteria, pages.offset, pages.size)
        members = await uow.staff.all()
    chosen = {name: query.get(name, "") for name in ("staff", "action", "since", "until")}
    return render(
        request,
        "audit.html",
        entries=found.entries,
        actions=found.actions,
        members=members,
        pages=pages,
        chosen=chosen,
        action_name=lambda action: _action_name(seen.t, action),
    )


def _action_name(t: WebTranslator, action: str) -> str:
    """An action's name in the staff member's language (a new one as recorded)."""
    try:
        return t(f"backoffice.action.{action}")
    except KeyError:
        return action


def add_routes(app: web.Application) -> None:
    app.router.add_get("/audit", audit_log)
