"""`tachawor demo-data`: something to try at once — the sample consultations (and the
sample quick poll), loaded and opened, so a newcomer's terminal chat has some to answer."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import surveys
from bot.cli.staff_texts import staff_translate
from bot.settings import Settings
from bot.startup import prepare_database
from handlers.clock import SystemClock
from storage.database import Database
from storage.repositories.consultations import OPEN
from surveys.documents import consultation_to_document
from surveys.yaml_loader import load_yaml

SAMPLES = Path(surveys.__file__).parent / "samples"


def add_demo_command(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo-data", help=demo_data.__doc__)
    demo.add_argument("--db", help="database URL (default: DATABASE_URL)")
    demo.set_defaults(run=demo_data)


def demo_data(args: argparse.Namespace, settings: Settings) -> int:
    """Load and open the sample consultations (again and again: it changes nothing twice)."""
    prepare_database(settings.database_url, automatic_only=True)
    for line in asyncio.run(load_samples(settings)):
        print(line)
    return 0


async def load_samples(settings: Settings) -> list[str]:
    db = Database(settings.database_url)
    t = staff_translate(settings)
    report = []
    try:
        for path in sorted(SAMPLES.glob("*.yaml")):
            consultation = load_yaml(path, settings.quarters())
            async with db.transaction() as uow:
                record = await uow.consultations.find(consultation.key)
                if record is None:
                    document = consultation_to_document(consultation)
                    await uow.consultations.save(consultation.key, document, SystemClock().now())
                    record = await uow.consultations.find(consultation.key)
                assert record is not None
                if record.status != OPEN:
                    await uow.consultations.set_status(record, OPEN, SystemClock().now())
            report.append(t("cli.demo.opened", consultation=consultation.key))
    finally:
        await db.close()
    return report
