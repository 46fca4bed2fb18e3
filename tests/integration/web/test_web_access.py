"""Who gets into the back-office, on SQLite and PostgreSQL, through the real server:
signed out every page leads to the sign-in page; passwords, locks and throttling; the
session cookie and its idle timeout; one-time sign-in links; CSRF; security headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from yarl import URL

from storage.models import AuditEntry, OutboxMessage
from tests.complaint_rows import add_complaint
from tests.web_client import PASSWORD, add_staff_member, rows_of

SIGNED_IN_PAGES = ["/", "/complaints", "/complaints/TRD-26-T0001", "/audit", "/complaints/export"]


@pytest.mark.parametrize("path", [*SIGNED_IN_PAGES, "/no-such-page"])
async def test_signed_out_every_page_redirects_to_the_sign_in_page(browser, path):
    page = await browser.get(path)
    assert page.status == 303
    assert page.location.startswith("/sign-in?next=")


async def test_signed_out_a_form_does_nothing_and_leads_to_the_sign_in_page(browser, office, clock):
    _, number = await add_complaint(office.db, clock.now())
    page = await browser.post(
        f"/complaints/{number}/status", {"status": "acknowledged"}, csrf=False
    )
    assert (page.status, page.location) == (303, "/sign-in?next=/")
    async with office.db.transaction() as uow:
        assert (await uow.complaints.by_number(number)).status == "received"


async def test_the_right_password_opens_the_page_asked_for(browser, admin):
    await browser.get("/complaints")
    login_page = await browser.get("/sign-in", next="/complaints")
    assert 'name="next" value="/complaints"' in login_page.text
    page = await browser.post(
        "/sign-in", {"login": admin, "password": PASSWORD, "next": "/complaints"}
    )
    assert (page.status, page.location) == (303, "/complaints")
    assert (await browser.get("/complaints")).status == 200


async def test_a_wrong_password_and_an_unknown_login_read_the_same(browser, admin):
    await browser.get("/sign-in")
    wrong = await browser.post("/sign-in", {"login": admin, "password": "not-the-password"})
    unknown = await browser.post("/sign-in", {"login": "nobody", "password": PASSWORD})
    assert wrong.status == unknown.status == 401
    assert "Identifiant ou mot de passe incorrect." in wrong.text
    assert wrong.text.replace(admin, "").count("incorrect") == unknown.text.count("incorrect")


async def test_a_login_is_locked_after_five_failures_then_opens_again(browser, admin, clock):
    await browser.get("/sign-in")
    for _ in range(5):
        assert (
            await browser.post("/sign-in", {"login": admin, "password": "x" * 12})
        ).status == 401
    locked = await browser.post("/sign-in", {"login": admin, "password": PASSWORD})
    assert locked.status == 429
    assert "réessayez dans 15 min" in locked.text
    clock.advance(timedelta(minutes=15, seconds=1))
    assert (await browser.post("/sign-in", {"login": admin, "password": PASSWORD})).status == 303


async def test_one_address_is_slowed_down_after_twenty_failures(browser, office, admin, clock):
    await browser.get("/sign-in")
    for attempt in range(20):
        await browser.post("/sign-in", {"login": f"guess{attempt}", "password": "x" * 12})
    throttled = await browser.post("/sign-in", {"login": admin, "password": PASSWORD})
    assert throttled.status == 429
    assert "depuis cette adresse" in throttled.text


async def test_a_success_forgets_the_failures_of_the_login(browser, admin):
    await browser.get("/sign-in")
    for _ in range(4):
        await browser.post("/sign-in", {"login": admin, "password": "x" * 12})
    await browser.sign_in(admin)
    other = browser.__class__(browser.base_url)
    try:
        await other.get("/sign-in")
        for _ in range(4):
            assert (
                await other.post("/sign-in", {"login": admin, "password": "y" * 12})
            ).status == 401
        await other.sign_in(admin)
    finally:
        await other.close()


async def test_the_session_cookie_is_http_only_and_same_site(browser, admin):
    page = await browser.sign_in(admin)
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("tachawor_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # served over plain http on 127.0.0.1


async def test_the_cookie_is_secure_behind_an_https_proxy(browser, admin):
    await browser.get("/sign-in")
    page = await browser.post(
        "/sign-in",
        {"login": admin, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "Secure" in page.headers["Set-Cookie"]


async def test_a_session_ends_after_thirty_idle_minutes(browser, admin, clock):
    await browser.sign_in(admin)
    clock.advance(timedelta(minutes=29))
    assert (await browser.get("/")).status == 200
    clock.advance(timedelta(minutes=29))
    assert (await browser.get("/")).status == 200, "each request keeps the session open"
    clock.advance(timedelta(minutes=31))
    page = await browser.get("/complaints")
    assert (page.status, page.location) == (303, "/sign-in?next=/complaints")


async def test_a_session_lasts_twelve_hours_at_most(browser, admin, clock):
    await browser.sign_in(admin)
    for _ in range(25):
        clock.advance(timedelta(minutes=29))
        page = await browser.get("/")
    assert page.status == 303


async def test_after_signing_out_the_old_cookie_opens_nothing(browser, office, admin):
    await browser.sign_in(admin)
    await browser.get("/")
    cookie = browser.session.cookie_jar.filter_cookies(URL(browser.base_url))[
        "tachawor_session"
    ].value
    page = await browser.post("/sign-out")
    assert (page.status, page.location) == (303, "/sign-in")
    replay = office.client()
    try:
        replay.session.cookie_jar.update_cookies({"tachawor_session": cookie})
        assert (await replay.get("/")).status == 303
    finally:
        await replay.close()


async def test_a_forged_cookie_opens_nothing(browser, admin):
    browser.session.cookie_jar.update_cookies({"tachawor_session": "made-up.signature"})
    assert (await browser.get("/")).status == 303


async def test_a_new_password_closes_every_session(browser, office, admin, clock):
    await browser.sign_in(admin)
    await add_staff_member(office.db, "1001", "admin", clock.now(), name="Amina Admin",
                           login=admin, password="An0ther-Long-Secret")  # fmt: skip
    assert (await browser.get("/")).status == 303


async def test_a_form_without_its_token_is_refused_and_does_nothing(browser, office, admin, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    await browser.get(f"/complaints/{number}")
    missing = await browser.post(f"/complaints/{number}/status", {"status": "acknowledged"},
                                 csrf=False)  # fmt: skip
    forged = await browser.post(
        f"/complaints/{number}/status", {"status": "acknowledged", "csrf_token": "forged"}
    )
    assert missing.status == forged.status == 403
    async with office.db.transaction() as uow:
        assert (await uow.complaints.by_number(number)).status == "received"


async def test_a_token_of_another_session_is_refused(browser, office, admin, agent, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    stolen = (await browser.get(f"/complaints/{number}")).csrf_token
    other = office.client()
    try:
        await other.sign_in(agent)
        replayed = await other.post(
            f"/complaints/{number}/status", {"status": "acknowledged", "csrf_token": stolen}
        )
        assert replayed.status == 403
    finally:
        await other.close()


async def test_a_form_posted_from_another_site_is_refused(browser, admin, office, clock):
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    await browser.get(f"/complaints/{number}")
    page = await browser.post(
        f"/complaints/{number}/status",
        {"status": "acknowledged"},
        headers={"Origin": "https://evil.example"},
    )
    assert page.status == 403


@pytest.mark.parametrize(
    ("fetch_site", "status"),
    [("same-origin", 303), ("cross-site", 403), ("same-site", 403), (None, 403)],
)
async def test_a_form_with_a_null_origin_counts_only_from_our_own_pages(
    browser, admin, office, clock, fetch_site, status
):
    """Browsers send "Origin: null" with the forms of a no-referrer page (one kept open from
    before, or behind an extension that strips referrers)."""
    _, number = await add_complaint(office.db, clock.now())
    await browser.sign_in(admin)
    await browser.get(f"/complaints/{number}")
    headers = {"Origin": "null"} | ({"Sec-Fetch-Site": fetch_site} if fetch_site else {})
    page = await browser.post(
        f"/complaints/{number}/status", {"status": "acknowledged"}, headers=headers
    )
    assert page.status == status


async def test_the_sign_in_form_needs_its_token_too(browser, admin):
    page = await browser.post("/sign-in", {"login": admin, "password": PASSWORD}, csrf=False)
    assert page.status == 403


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
async def test_signing_in_never_leads_to_another_site(browser, admin, target):
    await browser.get("/sign-in")
    page = await browser.post("/sign-in", {"login": admin, "password": PASSWORD, "next": target})
    assert page.location == "/"


@pytest.mark.parametrize("path", ["/sign-in", "/static/style.css", "/", "/no-such-page"])
async def test_every_answer_carries_the_security_headers(browser, admin, path):
    await browser.sign_in(admin)
    page = await browser.get(path)
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"


async def test_a_link_sent_to_the_staff_chat_signs_in_once(browser, office, admin, clock):
    await browser.get("/sign-in")
    sent = await browser.post("/sign-in/link", {"login": admin})
    assert "lien de connexion vient" in sent.text
    [message] = await rows_of(office.db, OutboxMessage)
    assert (message.channel, message.chat_id) == ("telegram", "1001")
    text = message.payload["text"]
    path = text.split(office.settings.web_base_url, 1)[1].split()[0]
    assert path.startswith("/sign-in/link/")
    confirm = await browser.get(path)
    assert confirm.status == 200 and "Se connecter en tant que Amina Admin" in confirm.text
    assert (await browser.get("/")).status == 303, "opening the link alone signs nobody in"
    await browser.get(path)
    used = await browser.post(path)
    assert (used.status, used.location) == (303, "/")
    assert (await browser.get("/")).status == 200
    again = office.client()
    try:
        assert (await again.get(path)).status == 410
        await again.get("/sign-in")
        refused = await again.post(path)
        assert refused.status == 410 and "plus valable" in refused.text
    finally:
        await again.close()


async def test_a_link_expires_after_ten_minutes(browser, office, admin, clock):
    await browser.get("/sign-in")
    await browser.post("/sign-in/link", {"login": admin})
    [message] = await rows_of(office.db, OutboxMessage)
    path = message.payload["text"].split(office.settings.web_base_url, 1)[1].split()[0]
    clock.advance(timedelta(minutes=10, seconds=1))
    assert (await browser.get(path)).status == 410


async def test_a_link_for_an_unknown_login_reads_the_same_and_sends_nothing(browser, office):
    await browser.get("/sign-in")
    page = await browser.post("/sign-in/link", {"login": "nobody"})
    assert "lien de connexion vient" in page.text
    async with office.db.transaction() as uow:
        assert await uow.outbox.count_by_status() == {}


async def test_links_are_limited_to_three_in_ten_minutes(browser, office, admin):
    await browser.get("/sign-in")
    for _ in range(5):
        await browser.post("/sign-in/link", {"login": admin})
    async with office.db.transaction() as uow:
        assert await uow.outbox.count_by_status() == {"pending": 3}


async def test_sign_ins_and_sign_outs_are_in_the_audit_log(browser, office, admin):
    await browser.sign_in(admin)
    await browser.get("/")
    await browser.post("/sign-out")
    entries = await rows_of(office.db, AuditEntry)
    assert [(e.action, e.staff_name, e.ip) for e in entries] == [
        ("sign_in", "Amina Admin", "127.0.0.1"),
        ("sign_out", "Amina Admin", "127.0.0.1"),
    ]


async def test_arabic_pages_are_laid_out_right_to_left(browser, admin):
    await browser.sign_in(admin)
    home = await browser.get("/")
    assert '<html lang="fr" dir="ltr">' in home.text
    switched = await browser.post("/language", {"locale": "ar", "next": "/complaints"})
    assert switched.location == "/complaints"
    page = await browser.get("/complaints")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "الشكايات" in page.text
    signed_out = browser.__class__(browser.base_url)
    try:
        assert '<html lang="ar" dir="rtl">' in (await signed_out.get("/sign-in", lang="ar")).text
        arabic_browser = await signed_out.get("/sign-in")
        assert 'dir="rtl"' in arabic_browser.text, "the choice is kept in a cookie"
    finally:
        await signed_out.close()


async def test_the_language_follows_the_staff_member_to_another_browser(browser, office, admin):
    await browser.sign_in(admin)
    await browser.get("/")
    await browser.post("/language", {"locale": "ar", "next": "/"})
    elsewhere = office.client()
    try:
        await elsewhere.sign_in(admin)
        assert 'dir="rtl"' in (await elsewhere.get("/")).text
    finally:
        await elsewhere.close()


SAMPLE_PARTS = {
    "number": "TRD-26-22222", "key": "small", "id": "1", "member_id": "1", "token": "t" * 43,
}  # fmt: skip


def every_route(office) -> list[tuple[str, str]]:
    """Each route of the application as (method, a path it answers)."""
    found = []
    for route in office.server.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        pattern = info.get("path") or info.get("formatter")
        if pattern is None or route.method == "HEAD":
            continue  # the static files' prefix: checked with a real file below
        path = pattern
        for name, value in SAMPLE_PARTS.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, pattern
        found.append((route.method, path))
    return found


async def test_every_route_but_the_sign_in_pages_leads_signed_out_visitors_to_sign_in(office):
    routes = every_route(office)
    assert len(routes) >= 45
    browser = office.client()
    try:
        for method, path in routes:
            if path.startswith("/sign-in") or path == "/healthz":
                continue
            if method == "GET":
                page = await browser.get(path)
            else:
                page = await browser.post(path, {}, csrf=False)
            assert page.status == 303, (method, path, page.status)
            assert page.location.startswith("/sign-in"), (method, path)
        assert (await browser.get("/healthz")).text == "ok"
        assert (await browser.get("/static/style.css")).status == 200
    finally:
        await browser.close()


async def test_every_form_without_its_token_is_refused_signed_in(office, admin):
    browser = office.client()
    try:
        await browser.sign_in(admin)
        for method, path in every_route(office):
            if method == "POST" and path != "/sign-in":
                page = await browser.post(path, {}, csrf=False)
                assert page.status == 403, (path, page.status)
    finally:
        await browser.close()
