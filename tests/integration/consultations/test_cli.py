"""`tachawor consultations …` as staff run it: real processes on a real SQLite file, and a
citizen answering in `tachawor chat` in between."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import yaml
from openpyxl import load_workbook

from tests.consultations import MEDINA, TALMQALAT_POLL, small_document
from tests.integration.test_cli import tachawor
from tests.unit.surveys.test_xlsform_loader import SURVEY, write_form


def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'consultations.db'}"


def test_load_list_open_and_close_a_sample(tmp_path):
    db = database(tmp_path)
    loaded = tachawor("consultations", "load", str(MEDINA), "--db", db)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == (
        "medina_public_space chargée (brouillon) : 9 question(s) en fr, ar, ary, ary-Latn, shi"
    )
    reloaded = tachawor("consultations", "load", str(MEDINA), "--db", db)
    assert reloaded.stdout.startswith("medina_public_space mise à jour (brouillon)")
    opened = tachawor("consultations", "open", "medina_public_space", "--db", db)
    assert opened.returncode == 0, opened.stderr
    listed = tachawor("consultations", "list", "--db", db)
    assert listed.stdout.split("\t")[:3] == ["medina_public_space", "open", "0"]
    again = tachawor("consultations", "load", str(MEDINA), "--db", db)
    assert again.returncode == 1 and "a déjà été ouverte" in again.stderr
    closed = tachawor("consultations", "close", "medina_public_space", "--db", db)
    assert closed.stdout.startswith("medina_public_space est close")
    missing = tachawor("consultations", "open", "nothing_here", "--db", db)
    assert missing.returncode == 1 and "Aucune consultation nothing_here." in missing.stderr


def test_a_quick_poll_says_so_when_loaded_and_closed(tmp_path):
    db = database(tmp_path)
    loaded = tachawor("consultations", "load", str(TALMQALAT_POLL), "--db", db)
    assert loaded.stdout.startswith(
        "talmqalat_workshop_poll chargée (brouillon, sondage rapide) : 1 question(s) en fr"
    )
    tachawor("consultations", "open", "talmqalat_workshop_poll", "--db", db)
    closed = tachawor("consultations", "close", "talmqalat_workshop_poll", "--db", db)
    assert "Ses sondages se ferment dans les conversations" in closed.stdout


def test_a_broken_file_is_refused_with_every_problem_named(tmp_path):
    document = small_document()
    document["questions"][0]["type"] = "thumbs"
    document["questions"][1]["relevant"] = "${score} > 3"
    del document["questions"][2]["label"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = tachawor("consultations", "load", str(path), "--db", database(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(
        line.startswith(f"{path}: question 'likes': unknown type 'thumbs'") for line in lines
    )
    assert f"{path}: question 'why': relevant refers to 'score', which is not earlier" in lines
    assert any(
        line.startswith(f"{path}: question 'score' label: expected a text") for line in lines
    )


def test_an_xlsform_loads_from_the_command_line(tmp_path):
    form = write_form(tmp_path / "assarag.xlsx", SURVEY)
    result = tachawor("consultations", "load", str(form), "--db", database(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("place_assarag chargée (brouillon) : 6 question(s) en fr, ar")


def test_a_citizen_answers_in_the_chat_then_staff_read_results_and_export(tmp_path):
    db = database(tmp_path)
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small_document(), allow_unicode=True), encoding="utf-8")
    assert tachawor("consultations", "load", str(path), "--db", db).returncode == 0
    assert tachawor("consultations", "open", "small", "--db", db).returncode == 0
    # Bonjour, French, consent, Consultations (after Complaints), the consultation, Start, Oui,
    # a reason, 4, Send
    typed = "Bonjour\n1\n1\n2\n1\n1\n1\nLa place est belle\n4\n1\n"
    chat = tachawor("chat", "--db", db, "--user", "amina", stdin=typed)
    assert chat.returncode == 0, chat.stderr
    assert "Merci beaucoup !" in chat.stdout, chat.stdout
    results = tachawor(
        "consultations", "results", "small", "--db", db, "--charts", str(tmp_path / "charts"),
        "--chart-language", "ar",
    )  # fmt: skip
    assert results.returncode == 0, results.stderr
    assert results.stdout.startswith("Petite consultation — 1 réponse(s)")
    assert "Oui      1  100.0%  ████████████████████" in results.stdout
    assert "- La place est belle" in results.stdout
    charts = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert charts == ["01_likes.png", "03_score.png"]
    filtered = tachawor("consultations", "results", "small", "--db", db, "--quarter", "Medina")
    assert "— 0 réponse(s) (quartier=Medina)" in filtered.stdout
    exported = tachawor(
        "consultations", "export", "small", "--output", str(tmp_path / "x.csv"), "--db", db
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert "generated" not in exported.stderr, "the key was generated once, by `load`"


def test_results_piped_into_head_still_write_the_charts(tmp_path):
    db = database(tmp_path)
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small_document(), allow_unicode=True), encoding="utf-8")
    tachawor("consultations", "load", str(path), "--db", db)
    tachawor("consultations", "open", "small", "--db", db)
    tachawor("chat", "--db", db, "--user", "u1", stdin="Bonjour\n1\n1\n2\n1\n1\n2\n5\n1\n")
    charts = tmp_path / "charts"
    command = [sys.executable, "-m", "bot.cli", "consultations", "results", "small", "--db", db]
    reader = subprocess.Popen(
        [*command, "--charts", str(charts)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )
    reader.stdout.close()  # `| head -0`: the reader is gone before the first line
    errors = reader.stderr.read().decode()
    assert reader.wait(timeout=120) == 0, errors
    assert "BrokenPipeError" not in errors
    assert sorted(p.name for p in charts.iterdir()) == ["01_likes.png", "03_score.png"]


def test_a_pseudonym_key_is_generated_once_and_said_so(tmp_path):
    db = database(tmp_path)
    first = tachawor("demo-data", "--db", db)
    assert first.returncode == 0, first.stderr
    assert "PSEUDONYM_KEY is not set: generated one in" in first.stderr
    kept = tmp_path / "consultations.db-pseudonym-key"
    assert kept.stat().st_mode & 0o777 == 0o600 and len(kept.read_text().strip()) == 64
    again = tachawor("demo-data", "--db", db)
    assert "generated" not in again.stderr
    other = tachawor("consultations", "list", "--db", db, env={"PSEUDONYM_KEY": "another-key"})
    assert other.returncode == 2 and "differs from the key kept in" in other.stderr


def test_export_with_a_pseudonym_key(tmp_path, monkeypatch):
    monkeypatch.setenv("PSEUDONYM_KEY", "a-test-key")
    db = database(tmp_path)
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small_document(), allow_unicode=True), encoding="utf-8")
    tachawor("consultations", "load", str(path), "--db", db)
    tachawor("consultations", "open", "small", "--db", db)
    tachawor("chat", "--db", db, "--user", "u1", stdin="Bonjour\n1\n1\n2\n1\n1\n2\n5\n1\n")
    assert not (tmp_path / "consultations.db-pseudonym-key").exists(), "the key was given"
    output = tmp_path / "small.xlsx"
    exported = tachawor(
        "consultations", "export", "small", "--format", "xlsx", "--output", str(output),
        "--db", db,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.strip() == f"1 réponse(s) écrite(s) dans {output}"
    sheet = load_workbook(output)["responses"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][-3:] == ["likes", "why", "score"]
    assert rows[1][-3:] == ["Non", None, 5]
    assert len(rows[1][1]) == 16, "a pseudonym, not the citizen's id"
    as_csv = tmp_path / "small.csv"
    tachawor("consultations", "export", "small", "--format", "csv", "--output", str(as_csv),
             "--labels", "ar", "--db", db)  # fmt: skip
    with as_csv.open(encoding="utf-8-sig") as handle:
        assert next(iter(csv.DictReader(handle)))["likes"] == "لا"
