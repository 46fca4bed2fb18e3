"""Staff accounts, for admins: the roster, and the forms to add a member, change a role,
remove one and reset a password (the temporary one is shown once); and "my account",
where every staff member changes their own password. Each action is in the audit log."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from bot.web.guard import see_other
from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.staff import (
    ADMIN,
    AGENT,
    ROLES,
    AccountRefused,
    NewStaffMember,
    add_to_staff,
    change_own_password,
    change_staff_role,
    record_staff_action,
    remove_from_staff,
    reset_staff_password,
)
from storage.models import StaffMember

DONE = {"add": "backoffice.staff.done.add", "role": "backoffice.staff.done.role",
        "remove": "backoffice.staff.done.remove"}  # fmt: skip
ACCOUNT_DONE = {"password": "backoffice.account.done.password",
                "role": "backoffice.account.done.role"}  # fmt: skip
ADD_FIELDS = ("channel", "account_id", "name", "role", "login")
BLANK_MEMBER = {"channel": "telegram", "account_id": "", "name": "", "role": AGENT, "login": ""}
TYPED_LIMIT = 1000  # longer than any field allows: refused by the rules, not cut here
NOT_FOUND = "backoffice.staff.refused.unknown"


def _field(form: Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value[:TYPED_LIMIT] if isinstance(value, str) else ""


def _admin(request: web.Request) -> StaffMember:
    staff = visit(request).staff
    if staff is None or staff.role != ADMIN:
        raise web.HTTPForbidden()
    return staff


def _member_id(request: web.Request) -> int:
    text = request.match_info["member_id"]
    if not text.isdigit() or len(text) > 18:
        raise web.HTTPNotFound()
    return int(text)


def _label(member: StaffMember) -> str:
    """How the audit log names a member acted upon."""
    return f"{member.name} ({member.channel}:{member.channel_user_id})"


async def staff_list(
    request: web.Request,
    *,
    refused: AccountRefused | None = None,
    entered: Mapping[str, str] | None = None,
) -> web.Response:
    """Everyone on the staff: role, messaging account, login, whether a password is set,
    when added; and the forms to add, change, remove and reset."""
    _admin(request)
    office = back_office(request)
    async with office.db.transaction() as uow:
        members = await uow.staff.all()
    status = 200 if refused is None else 404 if refused.key == NOT_FOUND else 422
    return render(
        request,
        "staff.html",
        status=status,
        members=members,
        roles=ROLES,
        refused=refused,
        entered={**BLANK_MEMBER, **(entered or {})},
        done=DONE.get(request.query.get("done", "")),
    )


async def add_member(request: web.Request) -> web.Response:
    """Add someone to the staff with their messaging account, name and role."""
    seen, office = visit(request), back_office(request)
    admin = _admin(request)
    form = await request.post()
    typed = {name: _field(form, name) for name in ADD_FIELDS}
    now = office.clock.now()
    try:
        async with office.db.transaction() as uow:
            member = await add_to_staff(uow, NewStaffMember(**typed), now)
            detail = f"{member.role}, login {member.login or '-'}"
            await record_staff_action(
                uow, admin, "staff_add", seen.where, now, target=_label(member), detail=detail
            )
    except AccountRefused as refused:
        return await staff_list(request, refused=refused, entered=typed)
    return see_other("/staff?done=add")


async def change_role(request: web.Request) -> web.Response:
    """Make a member admin or agent (there is always an admin left)."""
    seen, office = visit(request), back_office(request)
    admin = _admin(request)
    member_id = _member_id(request)
    form = await request.post()
    now = office.clock.now()
    try:
        async with office.db.transaction() as uow:
            member, previous = await change_staff_role(uow, member_id, _field(form, "role"))
            if previous != member.role:
                await record_staff_action(
                    uow, admin, "staff_role", seen.where, now,
                    target=_label(member), detail=f"{previous} → {member.role}",
                )  # fmt: skip
            role = member.role
    except AccountRefused as refused:
        return await staff_list(request, refused=refused)
    if member_id == admin.id and role != ADMIN:
        return see_other("/account?done=role")  # the roster is no longer theirs to see
    return see_other("/staff?done=role")


async def remove_member(request: web.Request) -> web.Response:
    """Take a member off the staff once the admin ticked the confirmation; their
    sessions end, the audit log keeps their name."""
    seen, office = visit(request), back_office(request)
    admin = _admin(request)
    member_id = _member_id(request)
    form = await request.post()
    if form.get("confirm") != "yes":
        return await staff_list(request, refused=AccountRefused("backoffice.staff.refused.confirm"))
    now = office.clock.now()
    try:
        async with office.db.transaction() as uow:
            member = await remove_from_staff(uow, admin, member_id)
            await record_staff_action(
                uow, admin, "staff_remove", seen.where, now, target=_label(member)
            )
    except AccountRefused as refused:
        return await staff_list(request, refused=refused)
    return see_other("/staff?done=remove")


async def reset_password(request: web.Request) -> web.Response:
    """Give a member a temporary password, shown on this page only, and sign them out
    everywhere."""
    seen, office = visit(request), back_office(request)
    admin = _admin(request)
    member_id = _member_id(request)
    now = office.clock.now()
    try:
        async with office.db.transaction() as uow:
            member, temporary = await reset_staff_password(uow, admin, member_id, now)
            await record_staff_action(
                uow, admin, "staff_password_reset", seen.where, now, target=_label(member)
            )
            name = member.name
    except AccountRefused as refused:
        return await staff_list(request, refused=refused)
    return render(request, "staff_password.html", member_name=name, temporary=temporary)


async def account_page(
    request: web.Request, *, refused: AccountRefused | None = None
) -> web.Response:
    """The staff member's own account: name, role, login, and the form to change their
    password."""
    office, seen = back_office(request), visit(request)
    assert seen.staff is not None
    async with office.db.transaction() as uow:
        member = await uow.staff.get(seen.staff.id)
    if member is None:
        raise web.HTTPNotFound()
    return render(
        request,
        "account.html",
        status=200 if refused is None else 422,
        member=member,
        has_password=member.password_hash is not None,
        refused=refused,
        done=ACCOUNT_DONE.get(request.query.get("done", "")),
    )


async def change_password(request: web.Request) -> web.Response:
    """Replace one's own password; one's other sessions end, this one stays open."""
    office, seen = back_office(request), visit(request)
    assert seen.staff is not None and seen.session_token is not None
    form = await request.post()
    typed = (_field(form, "current"), _field(form, "new"), _field(form, "again"))
    now = office.clock.now()
    try:
        async with office.db.transaction() as uow:
            member = await uow.staff.get(seen.staff.id)
            if member is None:
                raise web.HTTPNotFound()
            await change_own_password(uow, member, typed, now, seen.session_token)
            await record_staff_action(uow, member, "password_change", seen.where, now)
    except AccountRefused as refused:
        return await account_page(request, refused=refused)
    return see_other("/account?done=password")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/staff", staff_list)
    app.router.add_post("/staff", add_member)
    app.router.add_post("/staff/{member_id}/role", change_role)
    app.router.add_post("/staff/{member_id}/remove", remove_member)
    app.router.add_post("/staff/{member_id}/password", reset_password)
    app.router.add_get("/account", account_page)
    app.router.add_post("/account/password", change_password)
