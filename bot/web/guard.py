"""What stands before every page: security headers on every answer, the visitor's
session (signed cookie, idle timeout), the redirect to the sign-in page when signed out,
and the CSRF check of every form (a hidden `csrf_token` tied to the visitor's cookie, and
an Origin that is ours): a POST without it is answered 403 and does nothing."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import quote, urlsplit

from aiohttp import web

from bot.web.state import VISIT, Visit, back_office
from bot.web.texts import WebTranslator
from handlers.staff import WEB_LOCALES, Where, resume_session, web_locale_of

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SESSION_COOKIE = "tachawor_session"
VISITOR_COOKIE = "tachawor_visitor"
LANGUAGE_COOKIE = "tachawor_lang"
PUBLIC_PATHS = ("/sign-in", "/static/", "/healthz")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
LOOPBACK = ("127.0.0.1", "::1")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
        "connect-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Sign-in links carry their token in the path: never hand it to another site (and a
    # same-origin policy, unlike no-referrer, lets browsers send our Origin with forms).
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def from_proxy(request: web.Request) -> bool:
    """A request relayed by the reverse proxy on this machine (its headers are trusted)."""
    return request.remote in LOOPBACK


def client_address(request: web.Request) -> str:
    """The visitor's address: the one the local proxy saw, else the connection's."""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and from_proxy(request):
        return forwarded.split(",")[-1].strip()[:64]
    return (request.remote or "?")[:64]


def served_over_https(request: web.Request) -> bool:
    if request.scheme == "https":
        return True
    if from_proxy(request) and request.headers.get("X-Forwarded-Proto") == "https":
        return True
    return back_office(request).settings.web_base_url.startswith("https://")


def set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=served_over_https(request),
    )


def is_public(path: str) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in PUBLIC_PATHS)


def safe_next(target: str | None) -> str:
    """A place to go back to after signing in: a path of ours, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target if not urlsplit(target).netloc else "/"


def see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _signed_out_locale(request: web.Request, default: str) -> str:
    asked = request.query.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if asked in WEB_LOCALES:
        return asked
    for part in request.headers.get("Accept-Language", "").split(","):
        language = part.split(";")[0].strip().lower()[:2]
        if language in WEB_LOCALES:
            return language
    return web_locale_of(None, default)


def _origin_is_ours(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin == "null":
        # Browsers send "Origin: null" with the forms of a page whose referrer policy is
        # no-referrer (ours was; a page kept open from before, or a browser extension that
        # strips referrers); their Sec-Fetch-Site, which no page's script can set, still
        # tells where the form was. Other "null" origins (sandboxed frames, data: and file:
        # pages) come from elsewhere.
        return request.headers.get("Sec-Fetch-Site") == "same-origin"
    return urlsplit(origin).netloc == request.host


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer, errors and redirects included, carries the security headers (and the
    time the server took, for monitoring and bench/web.py)."""
    began = time.perf_counter()
    try:
        response = await handler(request)
    except web.HTTPException as error:
        error.headers.update(SECURITY_HEADERS)
        raise
    for name, value in SECURITY_HEADERS.items():  # a page may tighten its own policy
        response.headers.setdefault(name, value)
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - began):.1f}"
    return response


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Resolve the session, send the signed-out to the sign-in page, check forms."""
    if request.path.startswith("/static/") and request.method in SAFE_METHODS:
        return await handler(request)  # the style sheet and script: no session to look up
    office = back_office(request)
    signed = request.cookies.get(SESSION_COOKIE)
    token = office.signer.unsign(signed) if signed else None
    staff = None
    if token:
        idle = timedelta(minutes=office.settings.web_session_idle_minutes)
        async with office.db.transaction() as uow:
            staff = await resume_session(uow, token, office.clock.now(), idle)
    visitor = request.cookies.get(VISITOR_COOKIE)
    visitor = office.signer.unsign(visitor) if visitor else None
    new_visitor = None
    if staff is None and visitor is None:
        visitor = new_visitor = secrets.token_urlsafe(24)
    holder = token if staff is not None and token else str(visitor)
    locale = (
        web_locale_of(staff, office.core.default_locale)
        if staff is not None
        else _signed_out_locale(request, office.core.default_locale)
    )
    where = Where(request.path[:300], client_address(request))
    request[VISIT] = Visit(
        staff, WebTranslator(locale), office.signer.csrf_token(holder), where, token
    )
    if staff is None and not is_public(request.path):
        wanted = request.path_qs if request.method in SAFE_METHODS else "/"
        response: web.StreamResponse = see_other("/sign-in?next=" + quote(safe_next(wanted)))
    elif request.method not in SAFE_METHODS and not await _form_is_genuine(request, holder):
        logger.warning("form without a valid CSRF token on %s from %s", request.path, where.ip)
        raise web.HTTPForbidden()
    else:
        response = await handler(request)
    if new_visitor is not None:
        set_cookie(request, response, VISITOR_COOKIE, office.signer.sign(new_visitor))
    if token and staff is None:  # an ended session: forget its cookie
        response.del_cookie(SESSION_COOKIE, path="/")
    if "lang" in request.query and request.query["lang"] in WEB_LOCALES and staff is None:
        set_cookie(request, response, LANGUAGE_COOKIE, request.query["lang"])
    return response


async def _form_is_genuine(request: web.Request, holder: str) -> bool:
    if not _origin_is_ours(request):
        return False
    form = await request.post()
    sent = form.get("csrf_token")
    return isinstance(sent, str) and back_office(request).signer.csrf_matches(holder, sent)
