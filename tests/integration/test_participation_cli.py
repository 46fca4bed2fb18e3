"""`tachawor participation` on an SQLite file it migrates itself: the table in French and
Arabic under the small-count rule, CSV, XLSX and the chart, the default period, refused
arguments, and the README's commands as written."""

from __future__ import annotations

import asyncio
import csv
import re
import shlex
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.cli import build_parser
from bot.settings import Settings
from storage.database import Database
from tests.participation_rows import (
    add_citizens,
    add_consultation,
    add_registrations,
    add_responses,
    add_workshop,
    profile,
)

README = Path(__file__).resolve().parents[2] / "README.md"
JANUARY = ["--from", "2026-01-01", "--to", "2026-01-31"]
MID_JANUARY = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)


def participation(url: str, *options: str) -> int:
    args = build_parser().parse_args(["participation", "--db", url, *options])
    return args.run(args, Settings(_env_file=None, database_url=url))


async def seed(url: str) -> None:
    """6 women and 2 men answer; a workshop (ended) seats 5 women and 5 men, of whom 3
    women and 4 men come."""
    db = Database(url)
    try:
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
    finally:
        await db.close()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'participation.db'}"
    assert participation(url, *JANUARY) == 0, "a new database: migrated, all zeros"
    asyncio.run(seed(url))
    return url


def rows_of(out: str) -> list[list[str]]:
    return [line.split() for line in out.splitlines()]


def test_the_table_in_french_and_the_files(url: str, tmp_path: Path, capsys):
    capsys.readouterr()
    files = ["--csv", str(tmp_path / "p.csv"), "--xlsx", str(tmp_path / "p.xlsx")]
    assert participation(url, *JANUARY, *files, "--chart", str(tmp_path / "p.png")) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:3] == [
        "Participation des femmes et des hommes (approche genre) — commune de Taroudant",
        "Période : du 2026-01-01 au 2026-01-31 inclus (dates locales)",
        "Quartier : tous",
    ]
    assert lines[3].startswith("Petits effectifs : un effectif de 1 à 4 personnes est affiché")
    rows = rows_of(out)
    assert ["Répondants", "Plaignants", "Inscrits", "Présents"] in rows
    assert ["Personnes", "8", "0", "10", "7"] in rows
    assert ["Femmes", "6", "0", "5", "<", "5"] in rows
    assert ["Hommes", "<", "5", "0", "5", "<", "5"] in rows
    assert ["Part", "des", "femmes", "*", "75,0", "%", "—", "50,0", "%", "42,9", "%"] in rows
    assert ["Medina", "0", "0", "5", "<", "5"] in rows
    assert "Taux d'absence aux ateliers terminés ** : 30,0 % (sur 10 places)" in lines
    assert f"Écrit : {tmp_path / 'p.png'}" in lines

    with (tmp_path / "p.csv").open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.reader(handle))
    assert exported[0] == ["capability", "dimension", "value", "count"]
    assert ["respondents", "gender", "male", "< 5"] in exported
    assert ["respondents", "women_share_percent", "", "75.0"] in exported
    assert ["registrants", "no_show_rate_percent", "", "30.0"] in exported
    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert sheet.title == "participation"
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["attendees", "gender", "female", "< 5"] in cells
    assert ["attendees", "total", None, 7] in cells
    assert (tmp_path / "p.png").stat().st_size > 5_000


def test_the_table_in_arabic_for_one_quarter(url: str, capsys):
    capsys.readouterr()
    assert participation(url, *JANUARY, "--locale", "ar", "--quarter", "Medina") == 0
    out = capsys.readouterr().out
    assert out.startswith("مشاركة النساء والرجال (مقاربة النوع) — جماعة تارودانت\n")
    assert "الحي: المدينة" in out.splitlines()
    assert ["نساء", "0", "0", "5", "<", "5"] in rows_of(out)
    assert "نسبة الغياب في الورشات المنتهية **: 40,0 % (عدد المقاعد: 5)" in out


def test_the_default_period_is_the_last_twelve_months(url: str, capsys):
    capsys.readouterr()
    assert participation(url) == 0
    today = datetime.now(ZoneInfo("Africa/Casablanca")).date()
    period = capsys.readouterr().out.splitlines()[1]
    start, end = (date.fromisoformat(day) for day in re.findall(r"\d{4}-\d\d-\d\d", period))
    assert end == today
    assert 364 <= (today - start).days <= 365, "a year, both ends included"
    assert (start - timedelta(days=1)).month == today.month, "from the day after a year ago"


def test_refused_arguments(url: str, capsys):
    assert participation(url, "--quarter", "Atlantis") == 2
    assert "aucun quartier « Atlantis »" in capsys.readouterr().err
    assert participation(url, "--from", "2026-02-01", "--to", "2026-01-31") == 2
    assert "finit (2026-01-31) avant de commencer (2026-02-01)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        participation(url, "--from", "01/02/2026")
    assert "not a date YYYY-MM-DD" in capsys.readouterr().err


def test_the_readme_commands_work_as_written(url: str, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    prefix = ".venv/bin/tachawor participation"
    lines = [line for line in README.read_text().splitlines() if line.startswith(prefix)]
    assert len(lines) >= 2
    for line in lines:
        argv = shlex.split(line.split(" #", 1)[0])[1:]
        args = build_parser().parse_args([*argv, "--db", url])
        assert args.run(args, Settings(_env_file=None, database_url=url)) == 0, line
    assert "< 5" in capsys.readouterr().out
