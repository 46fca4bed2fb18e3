"""Consultations in a real browser (headless Chromium through Selenium, SQLite and
PostgreSQL): a file uploaded through the form, opened, its results read as a chart once
citizens have answered; and a broadcast sent from its confirmation page whose progress
page follows the delivery by itself (the page's script asks for the figures)."""

from __future__ import annotations

import asyncio

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from storage.models import OutboxMessage
from surveys.stored import definition_of
from tests.browser.conftest import WAIT_SECONDS
from tests.browser.test_back_office_browser import find, js, signed_in
from tests.consultations import MEDINA, small_document
from tests.consultations import open_consultation as store_consultation
from tests.integration.consultations.test_results import NOW, RESPONSES, register, store
from tests.web_client import rows_of


async def test_a_consultation_uploaded_in_the_browser_shows_its_results_as_a_chart(
    office, desktop, admin, shoot
) -> None:
    def upload_and_open() -> None:
        signed_in(desktop, office.base_url, admin)
        desktop.get(office.base_url + "/consultations")
        form = find(desktop, "#upload-form")
        form.find_element(By.NAME, "file").send_keys(str(MEDINA))
        shoot(desktop, "upload-form")
        form.find_element(By.CSS_SELECTOR, "button.primary").click()
        assert "brouillon" in find(desktop, "p.notice[role=status]").text
        assert find(desktop, "#consultation-status").text == "brouillon"
        shoot(desktop, "preview")
        find(desktop, "#open-button").click()
        assert find(desktop, "#consultation-status").text == "ouverte"

    await asyncio.to_thread(upload_and_open)
    async with office.db.transaction() as uow:
        record = await uow.consultations.find("medina_public_space")
    await store(office.db, record.id, definition_of(record), RESPONSES)

    def read_results() -> None:
        desktop.get(f"{office.base_url}/consultations/medina_public_space")
        find(desktop, "#results-link").click()
        assert "3 réponse(s)" in find(desktop, "#response-count").text
        chart = find(desktop, "#result-getting_around svg.chart")
        bars = chart.find_elements(By.CSS_SELECTOR, "rect.chart-bar")
        widths = [float(bar.get_attribute("width")) for bar in bars]
        assert len(widths) >= 3 and max(widths) > 100, widths
        labels = [text.text for text in chart.find_elements(By.CSS_SELECTOR, "text.chart-label")]
        assert "À pied" in labels
        size = js(
            desktop,
            "const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]",
            chart,
        )
        assert size[0] > 300 and size[1] > 40, size
        desktop.execute_script("arguments[0].scrollIntoView()", chart)
        shoot(desktop, "results-chart")

    await asyncio.to_thread(read_results)


async def test_a_broadcast_sent_in_the_browser_shows_its_progress_live(
    office, desktop, admin, shoot
) -> None:
    await store_consultation(office.db, small_document(), NOW)
    async with office.db.transaction() as uow:
        for number in range(5):
            await register(uow, f"b{number}")

    def send() -> None:
        signed_in(desktop, office.base_url, admin)
        desktop.get(f"{office.base_url}/consultations/small/broadcast")
        assert "atteindra 5 citoyen·ne(s)" in find(desktop, "#audience").text
        shoot(desktop, "broadcast-confirm")
        find(desktop, "#send-broadcast").click()
        assert find(desktop, "#progress-pending").text == "5"
        assert find(desktop, "#progress-sent").text == "0"
        shoot(desktop, "broadcast-started")

    await asyncio.to_thread(send)
    rows = await rows_of(office.db, OutboxMessage)
    assert len(rows) == 5
    async with office.db.transaction() as uow:  # the running bot delivers them
        for row in rows:
            await uow.outbox.mark_sent(row.id, NOW)

    def follow() -> None:
        # No reload: the page's own script brings the new figures within a few seconds.
        WebDriverWait(desktop, WAIT_SECONDS).until(
            lambda browser: browser.find_element(By.ID, "progress-sent").text == "5"
        )
        assert find(desktop, "#progress-pending").text == "0"
        assert find(desktop, "#progress-percent").text == "100"
        assert find(desktop, "#progress-state").text == "Envoi terminé."
        assert js(desktop, "return document.getElementById('progress-bar').value") == 5
        shoot(desktop, "broadcast-finished")

    await asyncio.to_thread(follow)
