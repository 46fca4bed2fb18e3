"""What workshops keep about a citizen (law 09-08): their sign-ups, waitlist places,
attendance and ratings, shown in My data and erased with them."""

from __future__ import annotations

from handlers.personal_data import PersonalData, register_personal_data
from handlers.turns import Turn
from handlers.workshops.views import title_line
from storage.models import Citizen
from storage.unit_of_work import UnitOfWork


async def workshops_section(turn: Turn, citizen: Citizen) -> list[str]:
    kept = await turn.uow.workshops.of_citizen(citizen.id)
    if not kept:
        return []
    lines = [turn.t("layout.field", label=turn.t("my_data.field.workshops"), value=len(kept))]
    for registration, workshop in kept:
        status = turn.t(f"workshop.status.{registration.status}")
        extras = [status, registration.code]
        if registration.attended_at is not None:
            extras.append(turn.t("workshop.attended"))
        if registration.rating is not None:
            extras.append(f"⭐ {registration.rating}/5")
        title = title_line(workshop, turn.locale, turn.settings.timezone)
        lines.append(f"  – {title} ({', '.join(extras)})")
    return lines


async def erase_workshop_data(uow: UnitOfWork, citizen_id: int) -> None:
    await uow.workshops.erase_citizen(citizen_id)


register_personal_data(PersonalData("workshops", workshops_section, erase_workshop_data, order=30))
