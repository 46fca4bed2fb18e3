"""The participation report in the back-office, on SQLite and PostgreSQL through the real
server: the same figures as `tachawor participation` prints for the same rows, under the
same small-count rule, the default period, refused periods, the chart as a PNG picture
(in Arabic for Arabic pages), and the CSV and XLSX downloads."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli.participation import report_text
from handlers.languages import Translator
from handlers.participation import Period, export_rows, gather_participation
from storage.models import AuditEntry
from tests.participation_rows import (
    add_citizens,
    add_consultation,
    add_registrations,
    add_responses,
    add_workshop,
    profile,
)
from tests.web_client import rows_of

MID_JANUARY = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
JANUARY = {"from": "2026-01-01", "to": "2026-01-31"}
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def seeded(office):
    """As in the CLI's test: 6 women and 2 men answer; an ended workshop seats 5 women and
    5 men, of whom 3 women and 4 men come. The clock then stands in February."""
    db = office.db
    answering = await add_citizens(
        db, MID_JANUARY, [profile("female", "18-29", "Derb Jdid")] * 6 + [profile("male")] * 2
    )
    await add_responses(db, await add_consultation(db, MID_JANUARY), MID_JANUARY, answering)
    seated = await add_citizens(
        db, MID_JANUARY, [profile("female", "30-44", "Medina")] * 5 + [profile("male")] * 5
    )
    workshop = await add_workshop(db, datetime(2026, 1, 15, 9, 0, tzinfo=UTC))
    present = [*seated[:3], *seated[5:9]]
    await add_registrations(db, workshop, present, attended_at=MID_JANUARY + timedelta(3))
    await add_registrations(db, workshop, [p for p in seated if p not in present])
    office.clock.advance(datetime(2026, 2, 1, 9, 0, tzinfo=UTC) - office.clock.now())


def table_of(page) -> list[list[str]]:
    """The report's table as rows of cells, as the page shows them."""
    table = page.text.split('id="participation"')[1].split("</table>")[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [html.unescape(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in rows
    ]


async def cli_lines(office, locale: str, quarter: str | None = None) -> list[list[str]]:
    """What `tachawor participation` prints for January, split into words."""
    async with office.db.transaction() as uow:
        report = await gather_participation(
            uow, office.settings.core(), Period(*map(_day, JANUARY.values())),
            office.clock.now(), quarter,
        )  # fmt: skip
    text = report_text(Translator(locale), report, office.settings.commune_name)
    return [line.split() for line in text.splitlines()]


def _day(text: str):
    return datetime.fromisoformat(text).date()


async def test_the_figures_are_those_the_cli_prints(browser, office, agent, seeded):
    await browser.sign_in(agent)
    page = await browser.get("/participation", **JANUARY)
    assert page.status == 200
    rows = table_of(page)
    assert rows[0] == ["", "Répondants", "Plaignants", "Inscrits", "Présents"]
    assert ["Personnes", "8", "0", "10", "7"] in rows
    assert ["Femmes", "6", "0", "5", "< 5"] in rows
    assert ["Hommes", "< 5", "0", "5", "< 5"] in rows
    assert ["Part des femmes *", "75,0 %", "—", "50,0 %", "42,9 %"] in rows
    printed = await cli_lines(office, "fr")
    for row in rows[1:]:
        assert " ".join(row).split() in printed, row
    text = html.unescape(page.text)
    assert "Taux d'absence aux ateliers terminés ** : 30,0 % (sur 10 places)" in text
    assert "Période : du 2026-01-01 au 2026-01-31 inclus (dates locales)" in text
    assert "&lt; 5" in page.text


async def test_one_quarter_in_arabic_as_the_cli_prints_it(browser, office, admin, seeded):
    await browser.sign_in(admin)
    await browser.get("/")
    await browser.post("/language", {"locale": "ar", "next": "/"})
    page = await browser.get("/participation", **JANUARY, quarter="Medina")
    assert page.status == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "مشاركة النساء والرجال (مقاربة النوع) — جماعة تارودانت" in page.text
    rows = table_of(page)
    assert ["نساء", "0", "0", "5", "< 5"] in rows
    printed = await cli_lines(office, "ar", "Medina")
    for row in rows[1:]:
        assert " ".join(row).split() in printed, row
    assert "نسبة الغياب في الورشات المنتهية **: 40,0 % (عدد المقاعد: 5)" in page.text
    assert "Répondants" not in page.text


async def test_the_default_period_is_the_last_twelve_months(browser, office, agent):
    await browser.sign_in(agent)
    page = await browser.get("/participation")
    today = office.clock.now().date()
    assert f'name="to" value="{today.isoformat()}"' in page.text
    start = today.replace(year=today.year - 1) + timedelta(days=1)
    assert f'name="from" value="{start.isoformat()}"' in page.text
    assert ["Personnes", "0", "0", "0", "0"] in table_of(page)


async def test_a_period_that_is_not_one_is_refused(browser, agent):
    await browser.sign_in(agent)
    backwards = await browser.get("/participation", **{"from": "2026-02-01", "to": "2026-01-31"})
    assert backwards.status == 422
    assert "finit (2026-01-31) avant de commencer (2026-02-01)" in backwards.text
    not_a_day = await browser.get("/participation", **{"from": "01/02/2026"})
    assert not_a_day.status == 422 and "n'est pas une date" in html.unescape(not_a_day.text)
    nowhere = await browser.get("/participation", quarter="Atlantis")
    assert nowhere.status == 422 and "Atlantis" in html.unescape(nowhere.text)
    status, _, _ = await browser.get_bytes("/participation/chart.png", quarter="Atlantis")
    assert status == 422


async def test_the_chart_is_a_png_in_the_pages_language(browser, office, admin, seeded):
    await browser.sign_in(admin)
    page = await browser.get("/participation", **JANUARY)
    assert (
        '<img class="chart" src="/participation/chart.png?from=2026-01-01&amp;to=2026-01-31"'
        in (page.text)
    )
    status, headers, french = await browser.get_bytes("/participation/chart.png", **JANUARY)
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert french.startswith(PNG) and len(french) > 5_000
    await browser.post("/language", {"locale": "ar", "next": "/participation"})
    _, _, arabic = await browser.get_bytes("/participation/chart.png", **JANUARY)
    assert arabic.startswith(PNG) and arabic != french


async def test_the_downloads_follow_the_small_count_rule(browser, office, agent, seeded):
    await browser.sign_in(agent)
    status, headers, body = await browser.get_bytes("/participation/export", **JANUARY)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment;" in headers["Content-Disposition"]
    exported = list(csv.reader(io.StringIO(body.decode())))
    assert exported[0] == ["capability", "dimension", "value", "count"]
    assert ["respondents", "gender", "male", "< 5"] in exported
    assert ["registrants", "no_show_rate_percent", "", "30.0"] in exported
    async with office.db.transaction() as uow:
        report = await gather_participation(
            uow, office.settings.core(), Period(*map(_day, JANUARY.values())), office.clock.now()
        )
    assert exported == [[str(cell) for cell in row] for row in export_rows(report)]
    status, headers, xlsx = await browser.get_bytes(
        "/participation/export", **JANUARY, format="xlsx"
    )
    assert status == 200 and xlsx[:2] == b"PK"
    details = [e.detail for e in await rows_of(office.db, AuditEntry) if e.action != "sign_in"]
    assert details == ["csv, 2026-01-01..2026-01-31, *", "xlsx, 2026-01-01..2026-01-31, *"]
