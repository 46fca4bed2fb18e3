"""Consultations: the list, uploading a YAML or XLSForm file (every problem shown by the
key or row it is about, nothing stored until the file is right), a consultation's page
with a preview of each question in every language it is written in, and opening,
closing and publishing its results to participants — each in the audit log."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.web.guard import see_other
from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.consultations import (
    ConsultationRefused,
    PublishRefused,
    close_consultation,
    consultation_audience,
    open_consultation,
    publish_results,
    staff_may_broadcast,
    store_consultation,
)
from handlers.staff import record_staff_action
from storage.models import ConsultationRecord
from storage.unit_of_work import UnitOfWork
from surveys.definitions import Consultation, Question
from surveys.problems import DefinitionError
from surveys.stored import definition_of
from surveys.texts import text_in
from surveys.xlsform_loader import is_xlsform, load_xlsform
from surveys.yaml_loader import load_yaml

SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")
DONE = {
    name: f"backoffice.consultation.done.{name}"
    for name in ("loaded", "updated", "opened", "closed", "published", "broadcast")
}


@dataclass(frozen=True, slots=True)
class Row:
    """A consultation in the list."""

    record: ConsultationRecord
    consultation: Consultation
    title: str
    responses: int


async def _rows(uow: UnitOfWork, locale: str) -> list[Row]:
    rows = []
    for record in await uow.consultations.all():
        consultation = definition_of(record)
        title = text_in(consultation, consultation.title, locale)[1]
        responses = await uow.consultations.count_responses(record.id)
        rows.append(Row(record, consultation, title, responses))
    return rows


async def _list_page(
    request: web.Request, *, problems: list[str] | None = None, file_name: str | None = None
) -> web.Response:
    office, seen = back_office(request), visit(request)
    async with office.db.transaction() as uow:
        rows = await _rows(uow, seen.t.locale)
    status = 422 if problems else 200
    return render(
        request, "consultations.html", status=status, rows=rows, problems=problems,
        file_name=file_name,
    )  # fmt: skip


async def consultation_list(request: web.Request) -> web.Response:
    """Every consultation with its status and responses, and the upload form."""
    return await _list_page(request)


async def _uploaded(request: web.Request) -> tuple[str, bytes] | None:
    """The file of the upload form (its name and content), or None. The guard has read
    the form already (for its token): it is kept by the request."""
    field = (await request.post()).get("file")
    if not isinstance(field, web.FileField) or not field.filename:
        return None
    return field.filename, field.file.read()


def _read_consultation(name: str, content: bytes, quarters: tuple[str, ...]) -> Consultation:
    """Check the file as `tachawor consultations load` does (DefinitionError otherwise)."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        reader = load_xlsform if is_xlsform(path) else load_yaml
        try:
            return reader(path, quarters)
        except DefinitionError:
            raise
        except (ValueError, OSError, KeyError) as error:  # not YAML, not a workbook
            raise DefinitionError([f"{name}: {error}"]) from None


async def upload(request: web.Request) -> web.Response:
    """Store an uploaded consultation as a draft, or show every problem it has."""
    office, seen = back_office(request), visit(request)
    found = await _uploaded(request)
    if found is None:
        return await _list_page(request, problems=[seen.t("backoffice.consultation.no_file")])
    name, content = found
    if Path(name).suffix.lower() not in SUFFIXES:
        wrong = seen.t("backoffice.consultation.wrong_file", file=name)
        return await _list_page(request, problems=[wrong], file_name=name)
    try:
        consultation = await asyncio.to_thread(
            _read_consultation, name, content, office.core.commune_quarters
        )
    except DefinitionError as error:
        return await _list_page(request, problems=error.problems, file_name=name)
    now = office.clock.now()
    async with office.db.transaction() as uow:
        try:
            created = await store_consultation(uow, consultation, now)
        except ConsultationRefused:
            created = None
        else:
            await record_staff_action(
                uow, seen.staff, "consultation_upload", seen.where, now,
                target=consultation.key, detail=name[:200],
            )  # fmt: skip
    if created is None:
        problem = seen.t("backoffice.consultation.not_a_draft", consultation=consultation.key)
        return await _list_page(request, problems=[problem], file_name=name)
    done = "loaded" if created else "updated"
    return see_other(f"/consultations/{consultation.key}?done={done}")


@dataclass(frozen=True, slots=True)
class Preview:
    """One question as each language of the consultation reads it."""

    question: Question
    labels: dict[str, str]  # language → label ("" when that language lacks it)
    options: list[dict[str, str]]  # per option: language → label


def preview_of(consultation: Consultation) -> list[Preview]:
    languages = consultation.languages
    return [
        Preview(
            question,
            {lang: question.label.get(lang, "") for lang in languages},
            [
                {lang: option.label.get(lang, "") for lang in languages}
                for option in question.options
            ],
        )
        for question in consultation.questions
    ]


async def _record(uow: UnitOfWork, key: str) -> ConsultationRecord:
    record = await uow.consultations.find(key)
    if record is None:
        raise web.HTTPNotFound()
    return record


async def consultation_page(request: web.Request, *, refused: str | None = None) -> web.Response:
    """A consultation: its settings, each question in every language, what staff can do."""
    office, seen = back_office(request), visit(request)
    async with office.db.transaction() as uow:
        record = await _record(uow, request.match_info["key"])
        responses = await uow.consultations.count_responses(record.id)
        audience = await consultation_audience(uow, office.core, record.key)
    consultation = definition_of(record)
    return render(
        request,
        "consultation.html",
        status=422 if refused else 200,
        record=record,
        consultation=consultation,
        title=text_in(consultation, consultation.title, seen.t.locale)[1],
        intro=text_in(consultation, consultation.intro, seen.t.locale)[1],
        preview=preview_of(consultation),
        responses=responses,
        audience=audience,
        may_broadcast=staff_may_broadcast(seen.staff.role if seen.staff else None),
        refused=refused,
        done=DONE.get(request.query.get("done", "")),
    )


async def open_it(request: web.Request) -> web.Response:
    """Let citizens answer (within the consultation's dates)."""
    office, seen = back_office(request), visit(request)
    key, now = request.match_info["key"], office.clock.now()
    async with office.db.transaction() as uow:
        await _record(uow, key)
        await open_consultation(uow, key, now)
        await record_staff_action(uow, seen.staff, "consultation_open", seen.where, now, target=key)
    return see_other(f"/consultations/{key}?done=opened")


async def close_it(request: web.Request) -> web.Response:
    """No more answers; the reminders still queued are withdrawn."""
    office, seen = back_office(request), visit(request)
    key, now = request.match_info["key"], office.clock.now()
    async with office.db.transaction() as uow:
        await _record(uow, key)
        closed = await close_consultation(uow, key, now)
        detail = f"{closed.reminders_withdrawn} reminders withdrawn"
        await record_staff_action(
            uow, seen.staff, "consultation_close", seen.where, now, target=key, detail=detail
        )
    return see_other(f"/consultations/{key}?done=closed")


async def publish(request: web.Request) -> web.Response:
    """Send the results to each participant (once; a closed consultation only)."""
    office, seen = back_office(request), visit(request)
    if not staff_may_broadcast(seen.staff.role if seen.staff else None):
        raise web.HTTPForbidden()
    key, now = request.match_info["key"], office.clock.now()
    async with office.db.transaction() as uow:
        await _record(uow, key)
        try:
            done = await publish_results(uow, office.core, key, now)
        except PublishRefused:
            done = None
        else:
            detail = f"{done.queued} queued, {done.participants} participants"
            await record_staff_action(
                uow, seen.staff, "consultation_publish", seen.where, now, target=key, detail=detail
            )
    if done is None:
        return await consultation_page(request, refused="backoffice.consultation.not_closed")
    return see_other(f"/consultations/{key}?done=published")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/consultations", consultation_list)
    app.router.add_post("/consultations/upload", upload)
    app.router.add_get("/consultations/{key}", consultation_page)
    app.router.add_post("/consultations/{key}/open", open_it)
    app.router.add_post("/consultations/{key}/close", close_it)
    app.router.add_post("/consultations/{key}/publish", publish)
