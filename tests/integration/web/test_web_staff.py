"""Staff accounts in the back-office, on SQLite and PostgreSQL, through the real server:
admins add, change, remove and reset; agents are turned away; everyone changes their own
password on "my account"; every action is in the audit log, no password ever is."""

from __future__ import annotations

import re

import pytest

from storage.models import AuditEntry, StaffMember
from tests.web_client import PASSWORD, WebClient, add_staff_member, rows_of

NEW_PASSWORD = "Argan-Oil-Taroudant-7"
TEMPORARY = re.compile(r'id="temporary-password">([^<]+)<')


async def member_id(office, login: str) -> int:
    async with office.db.transaction() as uow:
        return (await uow.staff.by_login(login)).id


async def second_browser(office, login: str, password: str = PASSWORD) -> WebClient:
    client = office.client()
    await client.sign_in(login, password)
    return client


async def actions_logged(office) -> list[tuple[str, str, str | None, str | None]]:
    entries = await rows_of(office.db, AuditEntry)
    return [(e.action, e.staff_name, e.target, e.detail) for e in entries
            if e.action not in ("sign_in", "sign_out")]  # fmt: skip


async def test_an_agent_is_turned_away_from_the_staff_pages(browser, office, admin, agent):
    await browser.sign_in(agent)
    assert (await browser.get("/staff")).status == 403
    assert (await browser.get("/account")).status == 200
    target = await member_id(office, admin)
    for path, form in (
        (
            "/staff",
            {"channel": "telegram", "account_id": "77", "name": "Intruder", "role": "admin"},
        ),
        (f"/staff/{target}/role", {"role": "agent"}),
        (f"/staff/{target}/remove", {"confirm": "yes"}),
        (f"/staff/{target}/password", {}),
    ):
        await browser.get("/account")
        assert (await browser.post(path, form)).status == 403, path
    members = await rows_of(office.db, StaffMember)
    assert [(m.name, m.role) for m in members] == [
        ("Amina Admin", "admin"),
        ("Youssef Agent", "agent"),
    ]
    assert await actions_logged(office) == []


async def test_an_admin_sees_the_roster_and_adds_a_member(browser, office, admin, agent):
    await browser.sign_in(admin)
    page = await browser.get("/staff")
    assert page.status == 200
    assert (
        "Youssef Agent" in page.text and "user2002" in page.text and "telegram: 2002" in page.text
    )
    assert 'name="channel" required maxlength="16" value="telegram"' in page.text
    added = await browser.post(
        "/staff",
        {"channel": "telegram", "account_id": "3003", "name": "Hassan Idrissi", "role": "agent",
         "login": "hassan"},
    )  # fmt: skip
    assert (added.status, added.location) == (303, "/staff?done=add")
    listing = await browser.get(added.location)
    assert "Membre du personnel ajouté·e." in listing.text
    row = listing.text.split("Hassan Idrissi", 1)[1].split("</tr>", 1)[0]
    assert "telegram: 3003" in row and "hassan" in row and "aucun" in row
    assert await actions_logged(office) == [
        ("staff_add", "Amina Admin", "Hassan Idrissi (telegram:3003)", "agent, login hassan")
    ]


async def test_an_account_already_on_the_staff_is_refused_and_the_form_kept(
    browser, office, admin, agent
):
    await browser.sign_in(admin)
    await browser.get("/staff")
    page = await browser.post(
        "/staff",
        {"channel": "telegram", "account_id": "2002", "name": "Youssef Twice", "role": "agent"},
    )
    assert page.status == 422
    assert "Le compte telegram 2002 fait déjà partie du personnel." in page.text
    assert 'value="Youssef Twice"' in page.text
    empty = await browser.post(
        "/staff", {"channel": "telegram", "account_id": "9", "name": " ", "role": "agent"}
    )
    assert empty.status == 422 and "Indiquez le nom de la personne." in empty.text
    unknown = await browser.post(
        "/staff", {"channel": "telegram", "account_id": "9", "name": "X", "role": "boss"}
    )
    assert unknown.status == 422 and "Rôle inconnu" in unknown.text
    long = await browser.post(
        "/staff", {"channel": "telegram", "account_id": "9", "name": "x" * 500, "role": "agent"}
    )
    assert long.status == 422 and "120 caractères au plus" in long.text
    assert len(await rows_of(office.db, StaffMember)) == 2
    assert await actions_logged(office) == []


async def test_an_admin_changes_a_role_but_never_demotes_the_last_admin(
    browser, office, admin, agent
):
    await browser.sign_in(admin)
    me, youssef = await member_id(office, admin), await member_id(office, agent)
    await browser.get("/staff")
    last = await browser.post(f"/staff/{me}/role", {"role": "agent"})
    assert last.status == 422 and "dernier·e administrateur·rice" in last.text
    promoted = await browser.post(f"/staff/{youssef}/role", {"role": "admin"})
    assert (promoted.status, promoted.location) == (303, "/staff?done=role")
    assert "Rôle modifié." in (await browser.get(promoted.location)).text
    stepped_down = await browser.post(f"/staff/{me}/role", {"role": "agent"})
    assert (stepped_down.status, stepped_down.location) == (303, "/account?done=role")
    assert (await browser.get("/staff")).status == 403
    roles = {m.name: m.role for m in await rows_of(office.db, StaffMember)}
    assert roles == {"Amina Admin": "agent", "Youssef Agent": "admin"}
    assert await actions_logged(office) == [
        ("staff_role", "Amina Admin", "Youssef Agent (telegram:2002)", "agent → admin"),
        ("staff_role", "Amina Admin", "Amina Admin (telegram:1001)", "admin → agent"),
    ]


async def test_nobody_removes_themselves_nor_the_last_admin(browser, office, admin, agent):
    await browser.sign_in(admin)
    me = await member_id(office, admin)
    page = await browser.get("/staff")
    assert f"/staff/{me}/remove" not in page.text, "no remove button on one's own row"
    own = await browser.post(f"/staff/{me}/remove", {"confirm": "yes"})
    assert own.status == 422 and "Vous ne pouvez pas vous retirer vous-même" in own.text
    assert len(await rows_of(office.db, StaffMember)) == 2


async def test_an_admin_removes_another_admin_whose_sessions_end(browser, office, admin, clock):
    karim = await add_staff_member(office.db, "1002", "admin", clock.now(), name="Karim Admin")
    elsewhere = await second_browser(office, karim)
    try:
        await browser.sign_in(admin)
        target = await member_id(office, karim)
        await browser.get("/staff")
        unconfirmed = await browser.post(f"/staff/{target}/remove", {})
        assert unconfirmed.status == 422 and "Cochez la case de confirmation" in unconfirmed.text
        removed = await browser.post(f"/staff/{target}/remove", {"confirm": "yes"})
        assert (removed.status, removed.location) == (303, "/staff?done=remove")
        listing = await browser.get("/staff")
        assert "Karim Admin" not in listing.text.split("<tbody>")[1].split("</tbody>")[0]
        assert (await elsewhere.get("/")).status == 303, "their session ended with them"
        gone = await browser.post(f"/staff/{target}/remove", {"confirm": "yes"})
        assert gone.status == 404
    finally:
        await elsewhere.close()
    entries = [(e.staff_id, e.staff_name, e.action) for e in await rows_of(office.db, AuditEntry)]
    assert (None, "Karim Admin", "sign_in") in entries, "the log keeps the name of the removed"
    assert await actions_logged(office) == [
        ("staff_remove", "Amina Admin", "Karim Admin (telegram:1002)", None)
    ]


async def test_a_reset_password_is_shown_once_and_signs_in(browser, office, admin, agent):
    elsewhere = await second_browser(office, agent)
    try:
        await browser.sign_in(admin)
        target = await member_id(office, agent)
        await browser.get("/staff")
        page = await browser.post(f"/staff/{target}/password", {})
        assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
        [temporary] = TEMPORARY.findall(page.text)
        assert "toutes ses sessions sont fermées" in page.text
        assert temporary not in (await browser.get("/staff")).text, "shown once"
        assert (await elsewhere.get("/")).status == 303, "the member's sessions are closed"
    finally:
        await elsewhere.close()
    fresh = office.client()
    try:
        await fresh.get("/sign-in")
        old = await fresh.post("/sign-in", {"login": agent, "password": PASSWORD})
        assert old.status == 401
        await fresh.sign_in(agent, temporary)
        assert (await fresh.get("/account")).status == 200
    finally:
        await fresh.close()
    logged = await actions_logged(office)
    assert logged == [
        ("staff_password_reset", "Amina Admin", "Youssef Agent (telegram:2002)", None)
    ]
    assert all(temporary not in str(entry) for entry in await rows_of(office.db, AuditEntry))


async def test_an_admin_resets_no_own_password_on_the_roster(browser, office, admin):
    await browser.sign_in(admin)
    await browser.get("/staff")
    page = await browser.post(f"/staff/{await member_id(office, admin)}/password", {})
    assert page.status == 422 and "Mon compte" in page.text
    assert (await browser.get("/staff")).status == 200, "still signed in"


async def test_my_account_shows_who_i_am(browser, agent):
    await browser.sign_in(agent)
    page = await browser.get("/account")
    facts = page.text.split('id="account"', 1)[1].split("</dl>", 1)[0]
    assert (
        "Youssef Agent" in facts
        and "agent" in facts
        and agent in facts
        and "telegram: 2002" in facts
    )
    assert 'name="current"' in page.text


async def test_changing_my_password_keeps_this_session_and_ends_the_others(browser, office, agent):
    elsewhere = await second_browser(office, agent)
    try:
        await browser.sign_in(agent)
        await browser.get("/account")
        wrong = await browser.post(
            "/account/password",
            {"current": "not-my-password", "new": NEW_PASSWORD, "again": NEW_PASSWORD},
        )
        assert wrong.status == 422 and "Le mot de passe actuel est incorrect." in wrong.text
        weak = await browser.post(
            "/account/password", {"current": PASSWORD, "new": "short", "again": "short"}
        )
        assert weak.status == 422 and "au moins 12 caractères" in weak.text
        mismatch = await browser.post(
            "/account/password",
            {"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD + "x"},
        )
        assert mismatch.status == 422 and "ne sont pas identiques" in mismatch.text
        assert (await elsewhere.get("/")).status == 200, "refusals change nothing"
        done = await browser.post(
            "/account/password", {"current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD}
        )
        assert (done.status, done.location) == (303, "/account?done=password")
        assert "Mot de passe changé." in (await browser.get(done.location)).text
        assert (await elsewhere.get("/")).status == 303, "the other browser is signed out"
    finally:
        await elsewhere.close()
    again = await second_browser(office, agent, NEW_PASSWORD)
    await again.close()
    assert await actions_logged(office) == [("password_change", "Youssef Agent", None, None)]


@pytest.mark.parametrize("path", ["/staff", "/staff/1/role", "/staff/1/remove", "/staff/1/password",
                                  "/account/password"])  # fmt: skip
async def test_a_form_without_its_token_is_refused(browser, office, admin, path):
    await browser.sign_in(admin)
    await browser.get("/staff")
    form = {"role": "agent", "confirm": "yes", "name": "X", "account_id": "5",
            "channel": "telegram", "current": PASSWORD, "new": NEW_PASSWORD,
            "again": NEW_PASSWORD}  # fmt: skip
    assert (await browser.post(path, form, csrf=False)).status == 403
    assert [m.name for m in await rows_of(office.db, StaffMember)] == ["Amina Admin"]
    assert await actions_logged(office) == []


async def test_the_staff_pages_read_right_to_left_in_arabic(browser, office, admin, agent):
    await browser.sign_in(admin)
    await browser.get("/")
    await browser.post("/language", {"locale": "ar", "next": "/staff"})
    roster = await browser.get("/staff")
    assert '<html lang="ar" dir="rtl">' in roster.text and "إضافة موظف(ة)" in roster.text
    account = await browser.get("/account")
    assert 'dir="rtl"' in account.text and "تغيير كلمة المرور" in account.text
    refused = await browser.post(
        "/staff", {"channel": "telegram", "account_id": "2002", "name": "Y", "role": "agent"}
    )
    assert refused.status == 422 and "مسجل من قبل ضمن الموظفين" in refused.text
    await browser.get("/staff")
    reset = await browser.post(f"/staff/{await member_id(office, agent)}/password", {})
    assert 'dir="rtl"' in reset.text and "كلمة المرور المؤقتة" in reset.text
