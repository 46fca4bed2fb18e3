"""`tachawor complaints stats` on a fresh SQLite file it migrates itself: translated,
aligned tables, and four PNG charts with `--charts`."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.cli.complaint_stats import add_stats_command, report_text, table, width
from bot.settings import Settings
from handlers.complaints.statistics import ComplaintStatistics
from handlers.languages.catalogs import translate
from storage.database import Database
from tests.complaint_rows import add_citizen, add_complaints, complaint_values

FILED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def stats(url: str, *options: str) -> int:
    parser = argparse.ArgumentParser(prog="tachawor complaints")
    add_stats_command(parser.add_subparsers(dest="complaint_command", required=True))
    args = parser.parse_args(["stats", "--db", url, *options])
    return args.run(args, Settings(_env_file=None, database_url=url))


async def seed(url: str) -> None:
    db = Database(url)
    try:
        citizen = await add_citizen(db, FILED)
        resolved = {
            "status": "resolved",
            "acknowledged_at": FILED + 2 * DAY,
            "resolved_at": FILED + 4 * DAY,
            "closed_at": FILED + 4 * DAY,
            "rating": 4,
        }
        rows = [{}, {"category": "waste", "quarter": None}, resolved]
        await add_complaints(db, [complaint_values(citizen, FILED, **row) for row in rows])
    finally:
        await db.close()


def test_stats_print_tables_and_write_charts(tmp_path: Path, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}"
    assert stats(url) == 0, "an empty, new database: migrated, no figures yet"
    assert "Plaintes enregistrées : 0" in capsys.readouterr().out
    asyncio.run(seed(url))

    assert stats(url, "--charts", str(tmp_path / "charts")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "Statistiques des plaintes — commune de Taroudant",
        "Plaintes enregistrées : 3",
    ]
    assert "  Reçue                                2   66,7 %" in lines
    assert ["Voirie", "et", "trottoirs", "2", "66,7", "%"] in [line.split() for line in lines]
    assert any(line.split() == ["Non", "précisé", "1", "33,3", "%"] for line in lines)
    assert any(line.split() == ["2026-01", "3", "100,0", "%"] for line in lines)
    assert "  Délai médian de résolution           4,0 j (sur 1 plaintes)" in lines
    assert "  Réponses dans le délai               100,0 % (1 sur 1)" in lines
    assert "  Satisfaction                         4,0 / 5 (1 avis)" in lines
    charts = sorted(path.name for path in (tmp_path / "charts").iterdir())
    assert charts == ["category.png", "month.png", "quarter.png", "status.png"]
    assert all((tmp_path / "charts" / name).stat().st_size > 5_000 for name in charts)


def test_stats_in_arabic(tmp_path: Path, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'stats.db'}"
    stats(url)
    asyncio.run(seed(url))
    capsys.readouterr()
    assert stats(url, "--language", "ar") == 0
    out = capsys.readouterr().out
    assert out.startswith("إحصائيات الشكايات — جماعة Taroudant\nالشكايات المسجلة: 3\n")
    assert "الشكايات حسب الحي" in out and "لا توجد معطيات بعد" not in out.split("الرضا")[0]


def test_columns_line_up_whatever_the_script():
    rows = [("", "Nombre"), ("Reçue", "12"), ("مُستلمة", "3"), ("ⵜⵍⴽⵎ", "100"), ("📋 Bilan", "7")]
    lines = table(rows)
    assert len({width(line) for line in lines}) == 1, "numbers end in the same column"
    assert width("مُستلمة") == 6, "a vowel mark takes no column"
    assert width("📋 Bilan") == 8, "an emoji takes two columns"


def test_an_empty_report_says_there_is_no_data_yet():
    empty = ComplaintStatistics(
        total=0, by_status=(("received", 0),), by_category=(), by_quarter=(), by_month=(),
        median_days_to_acknowledge=None, acknowledged=0, median_days_to_resolve=None,
        resolved=0, answered=0, answered_on_time=0, rating_average=None, ratings=0,
    )  # fmt: skip
    text = report_text(lambda key, **p: translate("fr", key, **p), empty, "Taroudant")
    assert text.count("pas encore de données") == 4
