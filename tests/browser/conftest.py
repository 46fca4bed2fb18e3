"""Browser fixtures: the system's headless Chromium (Debian's `chromium` and
`chromium-driver`, never a downloaded build) driven by Selenium, against the real
back-office on 127.0.0.1 over each test database.

The server runs on the test's own event loop (the session loop, like the `db` fixture's
engine); Selenium is synchronous, so every browser step runs in a worker thread
(`asyncio.to_thread`) while the loop serves the pages. Each test has its own Chromium,
started after its back-office and quit before it; a failed test leaves a screenshot."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from handlers.clock import ManualClock
from storage.database import Database
from tests.web_client import RunningBackOffice, add_staff_member, start_back_office

# Selenium Manager must never fetch a browser or a driver: only the system's are used.
os.environ["SE_OFFLINE"] = "true"

REPO = Path(__file__).resolve().parents[2]
DESKTOP = (1280, 900)
PHONE = {"width": 390, "height": 844, "pixelRatio": 2.0}
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)
WAIT_SECONDS = 15

Shoot = Callable[[WebDriver, str], Path]
_CALL_REPORT = pytest.StashKey[pytest.TestReport]()


def artifacts_dir() -> Path:
    return Path(os.environ.get("TACHAWOR_TEST_ARTIFACTS", str(REPO / "test-artifacts")))


def system_chromium() -> tuple[str, str]:
    """The paths of chromium and chromedriver; skip without them (fail in CI)."""
    chromium = shutil.which(os.environ.get("CHROMIUM_BINARY") or "chromium")
    driver = shutil.which(os.environ.get("CHROMEDRIVER_BINARY") or "chromedriver")
    if chromium is None or driver is None:
        missing = " and ".join(
            name for name, path in (("chromium", chromium), ("chromedriver", driver)) if not path
        )
        problem = (
            f"no {missing} for the browser tests: apt-get install chromium chromium-driver "
            "(or set CHROMIUM_BINARY / CHROMEDRIVER_BINARY)"
        )
        if os.environ.get("CI"):
            pytest.fail(problem + " (CI always has them: .ci/run installs them)")
        pytest.skip(problem)
    return chromium, driver


def start_chromium(*, phone: bool = False) -> WebDriver:
    chromium, driver = system_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--lang=fr-FR",
    ):
        options.add_argument(argument)
    if phone:
        # A phone's viewport: the page's <meta name="viewport"> decides the layout width.
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": PHONE, "userAgent": PHONE_AGENT}
        )
    else:
        options.add_argument("--window-size={},{}".format(*DESKTOP))
    browser = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    browser.set_page_load_timeout(WAIT_SECONDS * 2)
    return browser


def screenshot_path(item: pytest.Item, name: str) -> Path:
    callspec = getattr(item, "callspec", None)
    backend = callspec.params.get("db", "nodb") if callspec else "nodb"
    test = getattr(item, "originalname", item.name)
    safe = re.sub(r"[^\w.-]+", "_", f"{test}-{backend}-{name}")
    return artifacts_dir() / "screenshots" / f"{safe}.png"


def save_screenshot(browser: WebDriver, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(path))
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep the test's own outcome, for the browser fixtures to see when they close."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


def failed(item: pytest.Item) -> bool:
    report = item.stash.get(_CALL_REPORT, None)
    return report is not None and report.failed


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Shoot:
    """`shoot(browser, name)`: a PNG of the page under the artifacts directory, at
    screenshots/<test>-<backend>-<name>.png; call it from browser steps (any thread)."""

    def take(browser: WebDriver, name: str) -> Path:
        return save_screenshot(browser, screenshot_path(request.node, name))

    return take


@asynccontextmanager
async def chromium(request: pytest.FixtureRequest, *, phone: bool) -> AsyncIterator[WebDriver]:
    browser = await asyncio.to_thread(start_chromium, phone=phone)
    try:
        yield browser
    finally:
        try:
            if failed(request.node):
                name = "phone-failure" if phone else "failure"
                path = screenshot_path(request.node, name)
                await asyncio.to_thread(save_screenshot, browser, path)
        finally:
            await asyncio.to_thread(browser.quit)


@pytest.fixture
async def office(db: Database, clock: ManualClock) -> AsyncIterator[RunningBackOffice]:
    running = await start_back_office(db, clock)
    yield running
    await running.server.stop()


@pytest.fixture
async def desktop(
    request: pytest.FixtureRequest, office: RunningBackOffice
) -> AsyncIterator[WebDriver]:
    """Headless Chromium in a 1280×900 window (it needs `office`: the server outlives it)."""
    async with chromium(request, phone=False) as browser:
        yield browser


@pytest.fixture
async def phone(
    request: pytest.FixtureRequest, office: RunningBackOffice
) -> AsyncIterator[WebDriver]:
    """Headless Chromium emulating a 390×844 phone (touch, mobile viewport)."""
    async with chromium(request, phone=True) as browser:
        yield browser


@pytest.fixture
async def admin(office: RunningBackOffice, clock: ManualClock) -> str:
    return await add_staff_member(office.db, "1001", "admin", clock.now(), name="Amina Admin")
