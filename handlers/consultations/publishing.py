"""Publishing a closed consultation's results to those who took part: a short summary in
each participant's language (choices with their share, averages), and, when the
consultation asks for a quarter, the figures of the participant's own quarter too.

One pass over the responses builds the overall tally and one per quarter; each row is
queued once (`results:<key>:<citizen id>`), so publishing again sends nothing twice.
Anonymous responses carry no citizen: their participants cannot be told (counted, not
reached).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.consultations.broadcasts import citizen_locale
from handlers.consultations.views import text_for
from handlers.languages import LOCALES, is_rtl, place_name, translate
from handlers.serialization import outgoing_to_dict
from handlers.turns import CoreSettings
from handlers.types import Outgoing
from storage.repositories.consultations import CLOSED, ResponseFilters
from storage.unit_of_work import UnitOfWork
from surveys.definitions import Consultation
from surveys.results import AVERAGED, COUNTED, Results, Tally, stored_answers
from surveys.stored import definition_of

RESULTS_KIND = "results"
TOP_CHOICES = 3  # per question: a chat message, not a report


class PublishRefused(ValueError):
    """No consultation by that key, or not closed yet."""


@dataclass(frozen=True, slots=True)
class Published:
    participants: int  # citizens reachable by id (named responses of existing citizens)
    queued: int  # rows queued now
    anonymous_responses: int  # responses nobody can be told about


def builtin_labels(locale: str) -> dict[str, str]:
    """Labels the bot itself gives choices (yes/no, the quarter "Other"), in `locale`."""
    locale = locale if locale in LOCALES else "fr"
    return {
        "yes": translate(locale, "consultation.yes"),
        "no": translate(locale, "consultation.no"),
        "Other": translate(locale, "consultation.quarter_other"),
    }


def summary_lines(results: Results, locale: str) -> list[str]:
    """One line per counted or averaged question: its top choices, or its average."""
    lines = []
    for result in results.questions:
        question = result.question
        if not result.answered or question.type not in COUNTED | AVERAGED:
            continue
        if question.type in AVERAGED and result.average is not None:
            figure = translate(locale, "results.average", average=result.average)
        else:
            ranked = sorted(result.counts, key=lambda c: -c.count)[:TOP_CHOICES]
            figure = " · ".join(f"{c.label} {c.percent:g}%" for c in ranked if c.count)
        lines.append(translate(locale, "layout.field", label=result.label, value=figure))
    return lines


class _Summaries:
    """Texts per (locale, quarter), built once each whatever the number of participants."""

    def __init__(self, consultation: Consultation, overall: Tally, by_quarter: dict) -> None:
        self.consultation = consultation
        self.overall = overall
        self.by_quarter: dict[str, Tally] = by_quarter
        self._texts: dict[tuple[str, str | None], str] = {}

    def text(self, locale: str, quarter: str | None) -> str:
        key = (locale, quarter)
        if key not in self._texts:
            self._texts[key] = self._build(locale, quarter)
        return self._texts[key]

    def _build(self, locale: str, quarter: str | None) -> str:
        # The quarters answered, named in the reader's language like yes, no and "Other".
        builtin = {q: place_name(locale, q) for q in self.by_quarter} | builtin_labels(locale)
        title = text_for(self.consultation, self.consultation.title, locale)
        results = self.overall.results(locale, builtin)
        parts = [translate(locale, "results.header", title=title, responses=results.responses)]
        parts.append("\n".join(summary_lines(results, locale)))
        local = self.by_quarter.get(quarter) if quarter else None
        if local is not None:
            local_results = local.results(locale, builtin)
            shown = builtin.get(quarter, quarter)
            header = translate(
                locale, "results.quarter", quarter=shown, responses=local_results.responses
            )
            parts += [header, "\n".join(summary_lines(local_results, locale))]
        parts.append(translate(locale, "results.thanks"))
        return "\n\n".join(part for part in parts if part)


async def _tally(
    uow: UnitOfWork, record_id: int, consultation: Consultation
) -> tuple[Tally, dict[str, Tally], dict[int, str | None], int]:
    """Overall and per-quarter tallies, each participant's quarter, anonymous responses."""
    quarter_key = next((q.key for q in consultation.asked if q.type == "quarter"), None)
    overall, by_quarter = Tally(consultation), {}
    participants: dict[int, str | None] = {}
    anonymous = 0
    async for batch in uow.consultations.responses(record_id, ResponseFilters()):
        for response, rows in batch:
            answers = stored_answers(consultation, rows)
            overall.add(answers)
            quarter = answers.get(quarter_key) if quarter_key else None
            if quarter is not None:
                by_quarter.setdefault(quarter, Tally(consultation)).add(answers)
            if response.citizen_id is None:
                anonymous += 1
            elif quarter_key is not None:
                participants[response.citizen_id] = quarter or response.quarter
            else:
                participants[response.citizen_id] = None
    return overall, by_quarter, participants, anonymous


async def publish_results(
    uow: UnitOfWork, settings: CoreSettings, consultation_key: str, now: datetime
) -> Published:
    """Queue the results to each participant once, and record when they were published."""
    record = await uow.consultations.find(consultation_key)
    if record is None or record.status != CLOSED:
        raise PublishRefused(f"no closed consultation {consultation_key!r}")
    consultation = definition_of(record)
    overall, by_quarter, participants, anonymous = await _tally(uow, record.id, consultation)
    summaries = _Summaries(consultation, overall, by_quarter)
    queued = 0
    citizens = await uow.citizens.by_ids(list(participants))
    for citizen in citizens:
        locale = citizen_locale(citizen)
        text = summaries.text(locale, participants[citizen.id])
        message = Outgoing(citizen.chat_id, text, rtl=is_rtl(locale))
        queued += bool(
            await uow.outbox.add(
                channel=citizen.channel,
                chat_id=citizen.chat_id,
                kind=RESULTS_KIND,
                payload=outgoing_to_dict(message),
                now=now,
                citizen_id=citizen.id,
                dedupe_key=f"results:{record.key}:{citizen.id}",
            )
        )
    if record.results_published_at is None:
        record.results_published_at = now
    return Published(len(citizens), queued, anonymous)
