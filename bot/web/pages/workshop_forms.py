"""Creating and editing a workshop in the back-office: a form with the fields
`tachawor workshops create` takes (titles and descriptions per language, kind, quarter,
place, times in the commune's time zone, capacity, audience), or the YAML file it reads.
What the use case refuses is shown with its reasons (422), and nothing is stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from aiohttp import web

from bot.web.guard import see_other
from bot.web.pages.workshops import FIELDS, TEXT_LIMIT, workshop_of
from bot.web.rendering import render
from bot.web.state import back_office, visit
from handlers.staff import record_staff_action
from handlers.workshops import (
    AUDIENCES,
    KINDS,
    TEXT_LOCALES,
    Reason,
    WorkshopFields,
    WorkshopRefused,
    create_workshop,
    edit_workshop,
    fields_from_document,
    fields_of,
    local_moment,
)
from storage.models import Workshop


def _typed(form: Mapping[str, Any]) -> dict[str, str]:
    """What was typed in each field of the form (a missing field is empty)."""
    values = {name: form.get(name) for name in FIELDS}
    return {
        name: v.strip()[:TEXT_LIMIT] if isinstance(v, str) else "" for name, v in values.items()
    }


def _changes_of(typed: Mapping[str, str], timezone: str) -> dict[str, Any]:
    """The fields as the use cases take them; a time that is not one is refused here."""
    changes: dict[str, Any] = {
        name: typed[name] for name in ("kind", "quarter", "place", "audience")
    }
    digits = typed["capacity"]
    changes["capacity"] = int(digits) if digits.isdigit() and len(digits) < 9 else 0
    problems: list[Reason] = []
    for name in ("starts", "ends"):
        changes[f"{name}_at"] = None
        try:  # a browser's date-time field sends 2027-01-16T10:00
            if typed[name]:
                changes[f"{name}_at"] = local_moment(typed[name].replace("T", " "), timezone)
        except WorkshopRefused as refusal:
            problems += refusal.reasons
    for name in ("title", "description"):
        texts = {locale: typed[f"{name}_{locale}"] for locale in TEXT_LOCALES}
        changes[name] = {locale: text for locale, text in texts.items() if text}
    if problems:
        raise WorkshopRefused(*problems)
    return changes


def _shown(workshop: Workshop | None, timezone: str) -> dict[str, str]:
    """The form's values for a workshop (empty ones for a new workshop)."""
    if workshop is None:
        return {name: "" for name in FIELDS} | {"kind": "workshop", "audience": "everyone"}
    values, zone = fields_of(workshop), ZoneInfo(timezone)
    shown = {name: str(getattr(values, name)) for name in ("kind", "quarter", "place", "audience")}
    for name in ("starts", "ends"):
        moment = getattr(values, f"{name}_at")
        shown[name] = moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if moment else ""
    shown["capacity"] = str(values.capacity)
    for name in ("title", "description"):
        for locale in TEXT_LOCALES:
            shown[f"{name}_{locale}"] = str(getattr(values, name).get(locale, ""))
    return shown


def _form_page(
    request: web.Request,
    workshop: Workshop | None,
    shown: Mapping[str, str],
    refusal: WorkshopRefused | None = None,
) -> web.Response:
    office, t = back_office(request), visit(request).t
    reasons = refusal.reasons if refusal else ()
    return render(
        request,
        "workshop_form.html",
        status=422 if refusal else 200,
        workshop=workshop,
        shown=shown,
        kinds=KINDS,
        audiences=AUDIENCES,
        quarters=office.core.commune_quarters,
        locales=TEXT_LOCALES,
        refused=[t(r.key, **r.params) for r in reasons],
        where=refusal.where if refusal else None,
    )


async def new_form(request: web.Request) -> web.Response:
    """An empty form for a new workshop, and the upload of a workshop file."""
    return _form_page(request, None, _shown(None, back_office(request).settings.timezone))


def _document_fields(document: object, timezone: str) -> dict[str, Any]:
    """The fields of an uploaded workshop file, as `tachawor workshops create --file`
    reads it; a file that is not such a document is refused."""
    bad = WorkshopRefused(Reason("backoffice.workshop.bad_file", "not a workshop file"))
    if not isinstance(document, web.FileField):
        raise bad
    try:
        read = yaml.safe_load(document.file.read().decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        raise bad from None
    if not isinstance(read, dict):
        raise bad
    try:
        found = fields_from_document(read, timezone)
    except WorkshopRefused as refusal:
        raise WorkshopRefused(*refusal.reasons, where=document.filename[:120]) from None
    texts_ok = all(isinstance(found.get(n, {}), dict) for n in ("title", "description"))
    words_ok = all(
        isinstance(found.get(n, ""), str) for n in ("kind", "quarter", "place", "audience")
    )
    capacity = found.get("capacity", 0)
    if not (texts_ok and words_ok and isinstance(capacity, int) and not isinstance(capacity, bool)):
        raise WorkshopRefused(*bad.reasons, where=document.filename[:120])
    return found


async def create(request: web.Request) -> web.Response:
    """A draft workshop from the form or from an uploaded file; what is wrong is named,
    and nothing is created."""
    office, seen = back_office(request), visit(request)
    form = await request.post()
    timezone, now = office.settings.timezone, office.clock.now()
    from_file = "document" in form
    typed = _shown(None, timezone) if from_file else _typed(form)
    assert seen.staff is not None
    try:
        if from_file:
            changes = _document_fields(form.get("document"), timezone)
        else:
            changes = _changes_of(typed, timezone)
        async with office.db.transaction() as uow:
            workshop = await create_workshop(uow, office.core, WorkshopFields(**changes), now)
            number = workshop.id
            await record_staff_action(
                uow, seen.staff, "workshop_create", seen.where, now, target=str(number),
                detail="file" if from_file else "form",
            )  # fmt: skip
    except WorkshopRefused as refusal:
        return _form_page(request, None, typed, refusal)
    return see_other(f"/workshops/{number}?done=created")


async def edit_form(request: web.Request) -> web.Response:
    """The workshop's form, filled in, to change it."""
    office = back_office(request)
    async with office.db.transaction() as uow:
        workshop = await workshop_of(uow, request)
    return _form_page(request, workshop, _shown(workshop, office.settings.timezone))


async def edit(request: web.Request) -> web.Response:
    """Save the changes; those signed up or waiting are told when time or place moves."""
    office, seen = back_office(request), visit(request)
    typed = _typed(await request.post())
    now = office.clock.now()
    assert seen.staff is not None
    async with office.db.transaction() as uow:
        workshop = await workshop_of(uow, request)
    try:
        changes = _changes_of(typed, office.settings.timezone)
        async with office.db.transaction() as uow:
            changed = await edit_workshop(uow, office.core, workshop.id, changes, now)
            await record_staff_action(
                uow, seen.staff, "workshop_edit", seen.where, now, target=str(workshop.id),
                detail=f"version {changed.version}",
            )  # fmt: skip
    except WorkshopRefused as refusal:
        return _form_page(request, workshop, typed, refusal)
    return see_other(f"/workshops/{workshop.id}?done=edited")


# --- actions on a workshop ---------------------------------------------------------------


def add_routes(app: web.Application) -> None:
    app.router.add_get("/workshops/new", new_form)
    app.router.add_post("/workshops/new", create)
    app.router.add_get(r"/workshops/{id:\d{1,12}}/edit", edit_form)
    app.router.add_post(r"/workshops/{id:\d{1,12}}/edit", edit)
