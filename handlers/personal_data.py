"""What each capability keeps about a citizen (law 09-08), registered the way flows
register their steps: the lines it adds to "My data", so the citizen sees everything,
and how its rows are erased. My data and the erasure read this registry only, so a new
capability plugs in without editing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.turns import Turn
    from storage.models import Citizen
    from storage.unit_of_work import UnitOfWork

Describe = Callable[["Turn", "Citizen"], Awaitable[list[str]]]
Erase = Callable[["UnitOfWork", int], Awaitable[None]]  # receives the citizen's id


@dataclass(frozen=True, slots=True)
class PersonalData:
    """One capability's data about a citizen; `order` places its lines in My data."""

    name: str
    describe: Describe
    erase: Erase
    order: int


PERSONAL_DATA: dict[str, PersonalData] = {}


def register_personal_data(kept: PersonalData) -> None:
    PERSONAL_DATA[kept.name] = kept


def _in_order() -> list[PersonalData]:
    return sorted(PERSONAL_DATA.values(), key=lambda kept: kept.order)


async def describe_personal_data(turn: Turn, citizen: Citizen) -> list[str]:
    """Every capability's lines about the citizen, for My data."""
    return [line for kept in _in_order() for line in await kept.describe(turn, citizen)]


async def erase_personal_data(uow: UnitOfWork, citizen_id: int) -> None:
    """Erase what every capability keeps about the citizen (their own row stays: the
    caller erases it last)."""
    for kept in _in_order():
        await kept.erase(uow, citizen_id)
