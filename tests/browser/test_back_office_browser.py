"""The back-office in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`) driven by Selenium, on SQLite and PostgreSQL like the rest of the suite.
Signing in through the form, a status change that queues the citizen's push, the Arabic
pages mirrored right to left, the complaints list on a phone, and pages no site can frame.

Run them alone with `.venv/bin/python -m pytest tests/browser` (they are part of the
whole suite too). Without chromium and chromedriver on PATH they are skipped (they fail
when `CI` is set: `.ci/run` installs both); CHROMIUM_BINARY and CHROMEDRIVER_BINARY point
to other binaries. Screenshots go to `test-artifacts/screenshots/<test>-<backend>-<name>.png`
(or under $TACHAWOR_TEST_ARTIFACTS), one more for a test that fails.

Selenium blocks, and the server runs on the test's event loop: each test writes its browser
steps as a plain function and runs it with `await asyncio.to_thread(...)`, then checks the
database on the loop."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

from storage.models import OutboxMessage
from tests.browser.conftest import WAIT_SECONDS
from tests.complaint_rows import add_citizen, add_complaint, add_complaints, complaint_values
from tests.web_client import PASSWORD, rows_of


def wait(browser: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(browser, WAIT_SECONDS)


def find(browser: WebDriver, css: str) -> WebElement:
    """The element once it is on the page and visible."""
    return wait(browser).until(shown.visibility_of_element_located((By.CSS_SELECTOR, css)))


def sign_in(browser: WebDriver, base_url: str, login: str, password: str = PASSWORD) -> None:
    """Type the login and password into the sign-in form and submit it, as staff do."""
    browser.get(base_url + "/sign-in")
    form = find(browser, 'form[action="/sign-in"]')
    form.find_element(By.NAME, "login").send_keys(login)
    form.find_element(By.NAME, "password").send_keys(password)
    form.find_element(By.CSS_SELECTOR, "button").click()


def signed_in(browser: WebDriver, base_url: str, login: str) -> None:
    sign_in(browser, base_url, login)
    find(browser, "#outbox-queued")


def js(browser: WebDriver, script: str, *args: Any) -> Any:
    return browser.execute_script(script, *args)


async def test_signing_in_through_the_form_lands_on_the_dashboard(
    office, desktop, admin, shoot
) -> None:
    def steps() -> None:
        sign_in(desktop, office.base_url, admin, "not-the-password")
        problem = find(desktop, "p.problem[role=alert]")
        assert problem.text == "Identifiant ou mot de passe incorrect."
        assert desktop.current_url.startswith(office.base_url + "/sign-in")
        shoot(desktop, "wrong-password")

        sign_in(desktop, office.base_url, admin)
        find(desktop, "#outbox-queued")
        assert desktop.current_url == office.base_url + "/"
        assert find(desktop, "main h1").text == "Tableau de bord"
        assert "Amina Admin" in find(desktop, "header.top .who").text
        shoot(desktop, "dashboard")

    await asyncio.to_thread(steps)


async def test_a_status_change_in_the_browser_queues_the_citizens_push(
    office, desktop, admin, clock, shoot
) -> None:
    _, number = await add_complaint(office.db, clock.now())

    def change_status() -> None:
        signed_in(desktop, office.base_url, admin)
        assert find(desktop, "#outbox-queued").text == "0"
        desktop.get(f"{office.base_url}/complaints/{number}")
        form = find(desktop, "#status-form")
        assert find(desktop, "#status").text == "Reçue"
        form.find_element(By.CSS_SELECTOR, 'input[name="status"][value="acknowledged"]').click()
        form.find_element(By.NAME, "comment").send_keys("Nous regardons la rue demain.")
        shoot(desktop, "status-form-filled")
        form.find_element(By.CSS_SELECTOR, "button.primary").click()
        notice = find(desktop, "p.notice[role=status]")
        assert "le message au citoyen ou à la citoyenne est en file d'envoi" in notice.text
        assert desktop.current_url == f"{office.base_url}/complaints/{number}?done=status"
        assert find(desktop, "#status").text == "Prise en charge"
        assert "Nous regardons la rue demain." in find(desktop, "#history").text
        shoot(desktop, "status-changed")

    await asyncio.to_thread(change_status)

    [push] = await rows_of(office.db, OutboxMessage)
    assert (push.chat_id, push.status) == ("citizen-1", "pending")
    assert (
        number in push.payload["text"] and "Nous regardons la rue demain." in push.payload["text"]
    )

    def dashboard() -> None:
        desktop.get(office.base_url + "/")
        assert find(desktop, "#outbox-queued").text == "1"
        shoot(desktop, "dashboard-one-queued")

    await asyncio.to_thread(dashboard)


HEADER_LAYOUT = """
const rect = (element) => element.getBoundingClientRect();
const header = rect(document.querySelector("header.top"));
const padding = parseFloat(getComputedStyle(document.querySelector("header.top")).paddingLeft);
const brand = rect(document.querySelector("header.top .brand"));
const nav = rect(document.querySelector("header.top nav"));
const links = [...document.querySelectorAll("header.top nav a")].map(rect);
return {
  brandFromLeft: brand.left - header.left - padding,
  brandFromRight: header.right - padding - brand.right,
  brandLeft: brand.left, navLeft: nav.left,
  firstLinkLeft: links[0].left, secondLinkLeft: links[1].left,
};
"""


def header_layout(browser: WebDriver) -> dict[str, float]:
    return js(browser, HEADER_LAYOUT)


def html_lang_and_dir(browser: WebDriver) -> list[str]:
    return js(browser, "return [document.documentElement.lang, document.documentElement.dir]")


async def test_the_arabic_pages_are_laid_out_right_to_left(office, desktop, admin, shoot) -> None:
    def steps() -> None:
        signed_in(desktop, office.base_url, admin)
        assert html_lang_and_dir(desktop) == ["fr", "ltr"]
        french = header_layout(desktop)
        assert abs(french["brandFromLeft"]) < 1, french  # the brand starts on the left
        assert french["firstLinkLeft"] < french["secondLinkLeft"], french
        shoot(desktop, "french")

        find(desktop, 'header.top form[action="/language"] button[value="ar"]').click()
        find(desktop, 'html[lang="ar"] #outbox-queued')
        assert html_lang_and_dir(desktop) == ["ar", "rtl"]
        direction = "return getComputedStyle(document.querySelector('main')).direction"
        assert js(desktop, direction) == "rtl"
        arabic = header_layout(desktop)
        # Mirrored: the brand starts on the right, right of the menu, which reads leftwards.
        assert abs(arabic["brandFromRight"]) < 1, arabic
        assert arabic["brandLeft"] > arabic["navLeft"], arabic
        assert arabic["firstLinkLeft"] > arabic["secondLinkLeft"], arabic
        shoot(desktop, "arabic")
        # The language stays chosen from page to page.
        desktop.get(office.base_url + "/complaints")
        find(desktop, "#complaints, p.empty")
        assert html_lang_and_dir(desktop) == ["ar", "rtl"]
        shoot(desktop, "arabic-complaints")

    await asyncio.to_thread(steps)


OVERFLOW = "return [document.documentElement.scrollWidth, window.innerWidth]"


async def test_the_complaints_list_fits_a_phone(office, phone, admin, clock, shoot) -> None:
    citizen = await add_citizen(office.db, clock.now())
    await add_complaints(
        office.db,
        [
            complaint_values(
                citizen,
                clock.now() - timedelta(days=30 - i),
                assigned_service="Service de la voirie communale" if i % 2 else None,
                quarter="Sidi Belkas",
            )
            for i in range(12)
        ],
    )

    def fits(name: str) -> None:
        width, viewport = js(phone, OVERFLOW)
        assert viewport <= 400, "the page's viewport is not the phone's width"
        assert width <= viewport + 1, f"{name}: the page is {width}px wide on a {viewport}px phone"

    def steps() -> None:
        signed_in(phone, office.base_url, admin)
        fits("dashboard")
        shoot(phone, "dashboard")
        phone.get(office.base_url + "/complaints")
        find(phone, "#complaints")
        fits("complaints")
        table, scroller = (
            js(phone, "return document.querySelector(arguments[0]).scrollWidth", css)
            for css in ("#complaints", ".scroll")
        )
        client = js(phone, "return document.querySelector('.scroll').clientWidth")
        # The wide table scrolls inside its own box, not the page.
        assert table > client and scroller > client, (table, scroller, client)
        shoot(phone, "complaints")
        js(phone, "document.querySelector('.scroll').scrollLeft = 10000")
        shoot(phone, "complaints-scrolled")
        phone.find_element(By.CSS_SELECTOR, "#complaints tbody a").click()
        find(phone, "#status-form")
        fits("complaint")
        shoot(phone, "complaint")

    await asyncio.to_thread(steps)


FRAMING_PAGE = (
    "data:text/html,<!doctype html><title>framing</title>"
    "<iframe id=target src='{url}' onload=\"document.title='loaded'\"></iframe>"
)


async def test_no_other_site_can_frame_a_page(office, desktop, shoot) -> None:
    def steps() -> None:
        desktop.get(FRAMING_PAGE.format(url=office.base_url + "/sign-in"))
        wait(desktop).until(lambda b: b.title == "loaded")
        shoot(desktop, "framed")
        desktop.switch_to.frame(desktop.find_element(By.ID, "target"))
        try:
            assert desktop.find_elements(By.NAME, "password") == []
            assert not js(desktop, "return location.href").startswith(office.base_url)
        finally:
            desktop.switch_to.default_content()
        # The same page opened on its own has its form: the frame was refused, not broken.
        desktop.get(office.base_url + "/sign-in")
        assert find(desktop, 'input[name="password"]')

    await asyncio.to_thread(steps)
