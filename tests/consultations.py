"""Consultations for tests: a sample or a document stored and opened, as staff would."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from storage.database import Database
from storage.repositories.consultations import OPEN
from surveys.definitions import Consultation
from surveys.documents import consultation_from_document, consultation_to_document
from surveys.yaml_loader import load_yaml

SAMPLES = Path(__file__).resolve().parents[1] / "surveys" / "samples"
MEDINA = SAMPLES / "medina_public_space.yaml"
DERB_JDID = SAMPLES / "derb_jdid_waste_sorting.yaml"
TALMQALAT_POLL = SAMPLES / "talmqalat_workshop_poll.yaml"


async def open_consultation(
    db: Database, source: Path | str | dict[str, Any], now: datetime, *, status: str = OPEN
) -> tuple[int, Consultation]:
    """Store a consultation (a YAML path or a document) and give it `status`."""
    if isinstance(source, dict):
        consultation = consultation_from_document(source)
    else:
        consultation = load_yaml(source)
    async with db.transaction() as uow:
        await uow.consultations.save(consultation.key, consultation_to_document(consultation), now)
        record = await uow.consultations.find(consultation.key)
        assert record is not None
        await uow.consultations.set_status(record, status, now)
        return record.id, consultation


def small_document(**changes: Any) -> dict[str, Any]:
    """A three-question consultation in French only, for focused tests."""
    document: dict[str, Any] = {
        "key": "small",
        "languages": ["fr"],
        "title": {"fr": "Petite consultation"},
        "intro": {"fr": "Trois questions."},
        "privacy": {"fr": "Réponses gardées 24 mois."},
        "thanks": {"fr": "Merci beaucoup !"},
        "questions": [
            {"key": "likes", "type": "yes_no", "label": {"fr": "Aimez-vous la place ?"}},
            {
                "key": "why",
                "type": "text",
                "required": False,
                "relevant": "${likes} = 'yes'",
                "label": {"fr": "Pourquoi ?"},
            },
            {"key": "score", "type": "rating", "label": {"fr": "Votre note ?"}},
        ],
    }
    document.update(changes)
    return document


def written_in(*languages: str, **changes: Any) -> dict[str, Any]:
    """`small_document` with every text in `languages` only: the French text, followed by
    the language's code in brackets for the others ("Trois questions. [ar]")."""
    document = small_document(**changes)

    def texts(french: str) -> dict[str, str]:
        return {code: french if code == "fr" else f"{french} [{code}]" for code in languages}

    for field in ("title", "intro", "privacy", "thanks"):
        document[field] = texts(document[field]["fr"])
    for question in document["questions"]:
        question["label"] = texts(question["label"]["fr"])
    return document | {"languages": list(languages)}


async def open_for_transcript(core: Any, samples: list[str], now: datetime) -> None:
    """Move the core's clock to `now` and open these samples (file names in
    surveys/samples/), as a transcript's `consultations:` and `now:` ask."""
    core.clock.advance(now - core.clock.now())
    for name in samples:
        await open_consultation(core.db, SAMPLES / name, now)


def quick_poll_document(kind: str = "single_choice", **changes: Any) -> dict[str, Any]:
    """A one-question quick poll in French only."""
    question: dict[str, Any] = {"key": "slot", "type": kind, "label": {"fr": "Quel créneau ?"}}
    if kind in ("single_choice", "multiple_choice"):
        question["choices"] = [
            {"id": "sat", "label": {"fr": "Samedi"}},
            {"id": "sun", "label": {"fr": "Dimanche"}},
            {"id": "eve", "label": {"fr": "En semaine le soir"}},
        ]
    document: dict[str, Any] = {
        "key": "slot_poll",
        "quick_poll": True,
        "languages": ["fr"],
        "title": {"fr": "Atelier de Talmqalat"},
        "intro": {"fr": "Choisissez un créneau."},
        "privacy": {"fr": "Votre vote est gardé 12 mois."},
        "thanks": {"fr": "Merci !"},
        "questions": [question],
    }
    return document | changes
