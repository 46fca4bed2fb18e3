"""Signing in and out: a login and password, or a one-time link the bot sends to the
staff member's own chat (opened, then confirmed with a button, so a link preview cannot
use it up); the language of the pages."""

from __future__ import annotations

from aiohttp import web

from bot.web.guard import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    safe_next,
    see_other,
    set_cookie,
)
from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.staff import (
    SignedIn,
    SignInRefused,
    choose_web_locale,
    link_holder,
    record_staff_action,
    send_sign_in_link,
    sign_in_with_link,
    sign_in_with_password,
    sign_out,
)

REFUSED_STATUS = {"backoffice.sign_in.refused": 401, "backoffice.sign_in.locked": 429}


async def sign_in_page(request: web.Request) -> web.Response:
    """The sign-in form (or, already signed in, where they were going)."""
    target = safe_next(request.query.get("next"))
    if visit(request).staff is not None:
        return see_other(target)
    return render(request, "sign_in.html", next=target, refused=None, link_sent=False)


def _signed_in(request: web.Request, signed: SignedIn, target: str) -> web.Response:
    response = see_other(target)
    set_cookie(request, response, SESSION_COOKIE, back_office(request).signer.sign(signed.token))
    return response


async def sign_in(request: web.Request) -> web.Response:
    """Check the login and password; a refusal says neither which was wrong."""
    office, seen = back_office(request), visit(request)
    form = await request.post()
    target = safe_next(str(form.get("next", "")))
    now = office.clock.now()
    refused: SignInRefused | None = None
    async with office.db.transaction() as uow:
        try:
            signed = await sign_in_with_password(
                uow, str(form.get("login", "")), str(form.get("password", "")), seen.where.ip, now
            )
        except SignInRefused as refusal:
            refused = refusal
        else:
            await record_staff_action(uow, signed.member, "sign_in", seen.where, now)
    if refused is not None:
        status = REFUSED_STATUS.get(refused.key, 429)
        return render(
            request, "sign_in.html", status=status, next=target, refused=refused, link_sent=False
        )
    return _signed_in(request, signed, target)


async def ask_for_link(request: web.Request) -> web.Response:
    """Send a one-time link to the chat of the login typed; the answer is the same
    whether or not the login exists."""
    office = back_office(request)
    form = await request.post()
    async with office.db.transaction() as uow:
        await send_sign_in_link(
            uow,
            str(form.get("login", "")),
            office.settings.web_base_url,
            office.core.default_locale,
            office.clock.now(),
        )
    return render(request, "sign_in.html", next="/", refused=None, link_sent=True)


async def link_page(request: web.Request) -> web.Response:
    """A sign-in link opened: whose it is, and the button that uses it."""
    office = back_office(request)
    async with office.db.transaction() as uow:
        member = await link_holder(uow, request.match_info["token"], office.clock.now())
    if member is None:
        return render(request, "link.html", status=410, member=None)
    return render(request, "link.html", member=member, token=request.match_info["token"])


async def use_link(request: web.Request) -> web.Response:
    office, seen = back_office(request), visit(request)
    now = office.clock.now()
    async with office.db.transaction() as uow:
        try:
            signed = await sign_in_with_link(uow, request.match_info["token"], seen.where.ip, now)
        except SignInRefused:
            signed = None
        else:
            await record_staff_action(uow, signed.member, "sign_in_link", seen.where, now)
    if signed is None:
        return render(request, "link.html", status=410, member=None)
    return _signed_in(request, signed, "/")


async def sign_out_now(request: web.Request) -> web.Response:
    office, seen = back_office(request), visit(request)
    async with office.db.transaction() as uow:
        if seen.session_token:
            await record_staff_action(uow, seen.staff, "sign_out", seen.where, office.clock.now())
            await sign_out(uow, seen.session_token)
    response = see_other("/sign-in")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def choose_language(request: web.Request) -> web.Response:
    """Keep the language a staff member picked for their pages."""
    office, seen = back_office(request), visit(request)
    form = await request.post()
    locale = str(form.get("locale", ""))
    target = safe_next(str(form.get("next", "")))
    async with office.db.transaction() as uow:
        member = await uow.staff.get(seen.staff.id) if seen.staff else None
        if member is not None and choose_web_locale(member, locale):
            now = office.clock.now()
            await record_staff_action(uow, member, "language", seen.where, now, detail=locale)
    response = see_other(target)
    set_cookie(request, response, LANGUAGE_COOKIE, locale)
    return response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/sign-in", sign_in_page)
    app.router.add_post("/sign-in", sign_in)
    app.router.add_post("/sign-in/link", ask_for_link)
    app.router.add_get("/sign-in/link/{token}", link_page)
    app.router.add_post("/sign-in/link/{token}", use_link)
    app.router.add_post("/sign-out", sign_out_now)
    app.router.add_post("/language", choose_language)
