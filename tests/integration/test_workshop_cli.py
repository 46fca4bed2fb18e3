"""`tachawor workshops …` as staff type it: create (every problem named at once), publish,
list, show, attendance by code, export and stats, on the default SQLite database."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.workshops import TEXT_LOCALES
from tests.integration.test_cli import tachawor


def test_staff_create_publish_and_follow_a_workshop(tmp_path: Path):
    database = f"sqlite+aiosqlite:///{tmp_path / 'workshops.db'}"
    day = (datetime.now(ZoneInfo("Africa/Casablanca")) + timedelta(days=10)).strftime("%Y-%m-%d")
    texts = [f"--title={locale}=Atelier {locale}" for locale in TEXT_LOCALES]
    texts += [f"--description={locale}=Projets {locale}" for locale in TEXT_LOCALES]
    refused = tachawor(
        "workshops", "create", "--kind", "training", "--quarter", "Assarag", "--place", "Salle",
        "--starts", f"{day} 10:00", "--ends", f"{day} 09:00", "--capacity", "0",
        "--title", "fr=Seul", "--db", database, cwd=tmp_path,
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.startswith("Refusé : ")
    assert "title : manque en ar, ary, ary-Latn, shi" in refused.stderr
    assert "ends : doit être après starts" in refused.stderr and "capacity" in refused.stderr

    created = tachawor(
        "workshops", "create", "--kind", "training", "--quarter", "Assarag", "--place", "Salle",
        "--starts", f"{day} 10:00", "--ends", f"{day} 12:00", "--capacity", "12", *texts,
        "--db", database, cwd=tmp_path,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Atelier n° 1 créé (brouillon)")
    published = tachawor("workshops", "publish", "1", "--announce", "--db", database)
    assert published.stdout.strip() == "Atelier n° 1 publié ; 0 annonce(s) en file d'envoi."
    listed = tachawor("workshops", "list", "--db", database)
    assert "publié   formation" in listed.stdout and "0/12 places" in listed.stdout
    assert f"{day[8:10]}/{day[5:7]}/{day[:4]} 10:00–12:00" in listed.stdout, "local time"
    nobody = tachawor("workshops", "attendees", "1", "--db", database)
    assert nobody.stdout.strip() == "Aucune inscription pour l'instant."
    wrong = tachawor("workshops", "attendance", "1", "ABCDEF", "--db", database)
    assert (
        wrong.returncode == 1 and wrong.stdout.strip() == "⚠️ Aucun code ABCDEF : rien n'a changé."
    )
    exported = tachawor("workshops", "export", "1", "--db", database)
    assert exported.stdout.startswith("workshop,code,status,citizen,gender,age_bracket")
    stats = tachawor("workshops", "stats", "--db", database)
    assert stats.stdout.splitlines()[1].split()[:3] == ["1", "12", "0"]
    cancelled = tachawor("workshops", "cancel", "1", "--db", database)
    assert cancelled.stdout.strip() == "Atelier n° 1 annulé ; 0 personne(s) prévenue(s)."
    again = tachawor("workshops", "cancel", "1", "--db", database)
    assert again.returncode == 1 and "l'atelier n° 1 est déjà annulé" in again.stderr
